from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M`, M at most API_MAX_PAGE_SIZE; the answer carries `count`, `next`,
    `previous` and `results`."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    invalid_page_message = "Такой страницы нет."
