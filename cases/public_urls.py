"""The pages a citizen opens without a login (mounted at the site's root by onewindow.urls)."""

from django.urls import path

from cases.views import status

urlpatterns = [
    path("status/", status.status_page, name="status"),
]
