"""The shared endpoints of `/api/v1/`: the chief's dashboard figures and assignments (поручения).
The apps' endpoints are in their own `api/` packages."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from onewindow import assignments, dashboard
from onewindow.api import idempotency
from onewindow.api.params import date_param
from onewindow.api.schema import errors
from onewindow.api.serializers import StrictSerializer
from onewindow.api.viewsets import ScopedViewSet
from onewindow.audit import log_access
from onewindow.models import Assignment

# --- The dashboard ----------------------------------------------------------------------------


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.IntegerField(allow_null=True)
    alarm = serializers.BooleanField(help_text="Ненулевое значение требует внимания")
    unit = serializers.CharField(help_text="Единица значения («мин», «%»), пусто — штуки")


class TableRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    cells = serializers.ListField(child=serializers.IntegerField(allow_null=True))


class TableSerializer(serializers.Serializer):
    caption = serializers.CharField()
    label_header = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = TableRowSerializer(many=True)
    total = TableRowSerializer(allow_null=True)


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    figures = FigureSerializer(many=True)
    tables = TableSerializer(many=True)
    note = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    offices = serializers.ListField(
        child=serializers.CharField(), help_text="Коды учреждений в сводке"
    )
    today = serializers.DateField()
    day = serializers.DateField(help_text="День, за который считается приём")
    sections = SectionSerializer(many=True)
    workload = TableSerializer(help_text="Нагрузка по специалистам")


def _row(row) -> dict:
    return {"label": row.label, "cells": [cell.value for cell in row.cells]}


def _table(table) -> dict:
    return {
        "caption": table.caption,
        "label_header": table.label_header,
        "columns": list(table.columns),
        "rows": [_row(row) for row in table.rows],
        "total": _row(table.total) if table.total else None,
    }


class DashboardView(APIView):
    """The chief's dashboard as figures: the same providers as the page."""

    permissions = {"*": ["onewindow.view_office_reports"]}

    @extend_schema(
        summary="Сводка главного специалиста",
        description="Те же показатели, что на странице «Сводка»: приём, сроки, просрочки, "
        "селекции, архив, поручения, нагрузка. `office` — id учреждения (для пользователя, "
        "видящего все учреждения), `day` — день, за который считается приём.",
        parameters=[
            OpenApiParameter("office", int, description="id учреждения"),
            OpenApiParameter("day", datetime.date, description="ГГГГ-ММ-ДД, не позже сегодняшнего"),
        ],
        responses={200: DashboardSerializer, **errors(400, 401, 403, 404)},
    )
    def get(self, request):
        offices = dashboard.visible_offices(request.user)
        if not offices:
            raise Http404
        raw = request.query_params.get("office", "")
        picked = offices[0] if len(offices) == 1 else None
        if raw:
            picked = next((o for o in offices if str(o.pk) == raw), None)
            if picked is None:
                log_access(request._request, event="forbidden", allowed=False,
                           subject_repr=f"сводка учреждения #{raw[:20]}", detail="сводка чужого учреждения")  # fmt: skip
                raise Http404
        today = timezone.localdate()
        day = date_param(request, "day", today)
        if day > today:
            raise serializers.ValidationError(
                {"day": [f"Не позже сегодняшнего дня ({today:%d.%m.%Y})."]}
            )
        scope = dashboard.Scope(
            user=request.user, offices=[picked] if picked else offices, office=picked,
            today=today, day=day,
        )  # fmt: skip
        board = dashboard.build(scope)
        data = {
            "offices": [office.code for office in scope.offices],
            "today": today,
            "day": day,
            "sections": [
                {
                    "key": section.key,
                    "title": section.title,
                    "note": section.note,
                    "figures": [
                        {"label": f.label, "value": f.value, "alarm": f.warn, "unit": f.unit}
                        for f in section.figures
                    ],
                    "tables": [_table(t) for t in section.tables],
                }
                for section in board.sections
            ],
            "workload": _table(board.workload),
        }
        return Response(DashboardSerializer(data).data)


# --- Assignments ------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    number = serializers.SerializerMethodField()
    about = serializers.SerializerMethodField(help_text="Запись, которой касается поручение")

    class Meta:
        model = Assignment
        fields = [
            "id", "number", "given_by", "given_at", "assignee", "text", "due_date", "status",
            "done_at", "done_note", "cancelled_at", "cancel_reason", "about",
        ]  # fmt: skip
        read_only_fields = fields

    def get_number(self, item) -> str:
        return f"{item.number}/{item.year}"

    def get_about(self, item) -> str:
        described = assignments.describe(item)
        return described["title"] if described else ""


class GiveSerializer(StrictSerializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True)
    )
    text = serializers.CharField(max_length=assignments.TEXT_MAX)
    days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=365, help_text="Срок в рабочих днях"
    )
    due_date = serializers.DateField(required=False, allow_null=True, help_text="Или срок датой")


class NoteSerializer(StrictSerializer):
    note = serializers.CharField(max_length=2000, help_text="Что сделано")


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500, help_text="Причина отмены")


@extend_schema_view(
    list=extend_schema(
        summary="Поручения",
        responses={200: AssignmentSerializer(many=True), **errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="Поручение", responses={200: AssignmentSerializer, **errors(401, 403, 404)}
    ),
    create=extend_schema(
        summary="Дать поручение",
        parameters=[idempotency.PARAMETER],
        request=GiveSerializer,
        responses={201: AssignmentSerializer, **errors(400, 401, 403)},
    ),
)
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = AssignmentSerializer
    filterset_fields = ["status", "assignee"]
    ordering_fields = ["due_date", "given_at"]
    ordering = ["due_date", "pk"]
    # a specialist reads and closes his own assignments without the chief's permissions
    permissions = {"create": [assignments.GIVE], "cancel": [assignments.GIVE]}

    def scoped_queryset(self):
        return assignments.with_about(Assignment.objects.select_related("content_type"))

    def get_queryset(self):
        items = super().get_queryset()
        user = self.request.user
        if not getattr(self, "swagger_fake_view", False) and not user.has_perm(assignments.VIEW):
            items = items.filter(Q(assignee=user) | Q(given_by=user))
        return items

    def get_object(self, **kwargs):
        item = super().get_object(event=False)
        if not assignments.may_see(self.request.user, item):
            raise Http404
        return item

    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        form = GiveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = assignments.give_assignment(actor=request.user, **form.validated_data)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Отметить поручение выполненным",
        request=NoteSerializer,
        responses={200: AssignmentSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        form = NoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = assignments.complete_assignment(
            self.get_object(), actor=request.user, **form.validated_data
        )
        return Response(self.get_serializer(item).data)

    @extend_schema(
        summary="Отменить поручение",
        request=ReasonSerializer,
        responses={200: AssignmentSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = assignments.cancel_assignment(
            self.get_object(), actor=request.user, **form.validated_data
        )
        return Response(self.get_serializer(item).data)


router = SimpleRouter()
router.register("assignments", AssignmentViewSet, basename="api-assignment")

urlpatterns = [
    *router.urls,
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
]
