"""`/api/`: the schema and its documentation (offline: drf-spectacular-sidecar); the endpoints
of `/api/v1/` come from each app's `api/urls.py` (onewindow/urls.py)."""

from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from onewindow.api import views

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="api/swagger_ui.html"
        ),
        name="api_docs",
    ),
    path(
        "redoc/",
        views.RedocView.as_view(url_name="api_schema", template_name="api/redoc.html"),
        name="api_redoc",
    ),
]
