from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from onewindow.api.params import ON_DATE, date_param
from services.api.serializers import ServiceDetailSerializer, ServiceSerializer
from services.models import Service
from services.services import search_services


@extend_schema_view(
    list=extend_schema(
        summary="Услуги каталога",
        description="Услуги, действующие на дату `on` (по умолчанию — сегодня); `q` — поиск по "
        "коду и словам наименования, как на экране приёма.",
        parameters=[
            ON_DATE,
            OpenApiParameter("q", str, description="Поиск: код или слова наименования"),
        ],
    ),
    retrieve=extend_schema(
        summary="Услуга с редакцией на дату",
        description="Услуга и её редакция, действующая на дату `on`: сроки, основания, перечень документов.",
        parameters=[ON_DATE],
    ),
)
class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends = []
    permissions = {}  # the catalogue is read by every signed-in role

    def get_queryset(self):
        return Service.objects.order_by("code")

    def get_serializer_class(self):
        return ServiceDetailSerializer if self.action == "retrieve" else ServiceSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["on"] = date_param(self.request)
        return context

    def list(self, request, *args, **kwargs):
        on = date_param(request)
        in_force = Service.objects.in_force_on(on).filter(is_active=True).order_by("code")
        found = search_services(request.query_params.get("q", ""), in_force, limit=1000)
        page = self.paginate_queryset(found)
        return self.get_paginated_response(ServiceSerializer(page, many=True).data)
