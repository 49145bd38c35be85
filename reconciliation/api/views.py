"""Selections over the API: upload an extract (it is staged, previewed and started as on the
runs page), follow its run, read the items and work one out — the same services as the screens."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from onewindow.api import idempotency
from onewindow.api.schema import errors
from onewindow.api.viewsets import LoggedListMixin, ScopedViewSet
from onewindow.audit import log_access
from reconciliation import services
from reconciliation.api import serializers as s
from reconciliation.models import ExtractProfile, ReconciliationRun, Selection
from reconciliation.readers import ExtractError


@extend_schema_view(
    list=extend_schema(
        summary="Профили выгрузок",
        responses={200: s.ProfileSerializer(many=True), **errors(401, 403)},
    ),
    retrieve=extend_schema(
        summary="Профиль выгрузки", responses={200: s.ProfileSerializer, **errors(401, 403, 404)}
    ),
)
class ProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = s.ProfileSerializer
    filter_backends = []
    permissions = {"*": ["reconciliation.view_reconciliationrun"]}

    def scoped_queryset(self):
        return ExtractProfile.objects.order_by("name")

    def get_queryset(self):
        return self.scoped_queryset()  # shared by every office

    def get_object(self, **kwargs):
        return super(ScopedViewSet, self).get_object()


@extend_schema_view(
    list=extend_schema(
        summary="Сверки", responses={200: s.RunSerializer(many=True), **errors(400, 401, 403)}
    ),
    retrieve=extend_schema(
        summary="Сверка: состояние, ход, итоги",
        responses={200: s.RunSerializer, **errors(401, 403, 404)},
    ),
    create=extend_schema(
        summary="Загрузить выгрузку и запустить сверку",
        description="multipart/form-data: `file`, `profile` (код профиля), `force`, `encoding`. "
        "Файл проверяется (размер, формат, первые строки) и ставится в очередь; ход — в "
        "`progress`/`percent` сверки. Уже обработанный файл — 409 (повторно — с `force`).",
        parameters=[idempotency.PARAMETER],
        request={"multipart/form-data": s.UploadSerializer},
        responses={201: s.RunSerializer, **errors(400, 401, 403, 409)},
    ),
)
class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = s.RunSerializer
    filterset_fields = ["status", "kind", "source"]
    ordering_fields = ["created_at", "finished_at"]
    ordering = ["-created_at"]
    permissions = {
        "list": ["reconciliation.view_reconciliationrun"],
        "retrieve": ["reconciliation.view_reconciliationrun"],
        "create": ["reconciliation.add_reconciliationrun"],
    }

    parser_classes = [parsers.MultiPartParser]  # the only body it takes is the upload

    def scoped_queryset(self):
        return ReconciliationRun.objects.select_related("profile", "job")

    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        form = s.UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            staged, shown = services.stage_extract(
                data["file"], profile=data["profile"], actor=request.user, force=data["force"]
            )
        except ExtractError as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        except services.AlreadyProcessed as exc:
            raise services.StagedExtractError(str(exc)) from None
        if shown.get("error"):
            services.discard_staged(token=staged.token, actor=request.user)
            raise ValidationError({"file": [shown["error"]]})
        run = services.start_staged(
            token=staged.token, actor=request.user, encoding=data.get("encoding", "")
        )
        run = self.scoped_queryset().get(pk=run.pk)
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Селекции (отбор по сверкам)",
        responses={200: s.SelectionSerializer(many=True), **errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="Селекция", responses={200: s.SelectionSerializer, **errors(401, 403, 404)}
    ),
)
class SelectionViewSet(LoggedListMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    list_what = "селекции"
    serializer_class = s.SelectionSerializer
    filterset_fields = ["status", "kind", "run", "assigned_to", "match", "needs_confirmation"]
    ordering_fields = ["created_at", "event_date", "worked_at"]
    ordering = ["created_at", "pk"]
    list_event = "view_selections"
    permissions = {
        "list": ["reconciliation.view_selection"],
        "retrieve": ["reconciliation.view_selection"],
        "work_out": ["reconciliation.change_selection"],
    }

    def scoped_queryset(self):
        return Selection.objects.select_related("applicant")

    def get_object(self, *, event=True):
        item = super().get_object(event=False)
        if event:
            log_access(self.request._request, event="view_applicant", subject=item.applicant,
                       detail=f"селекция № {item.pk} «{item.get_kind_display()}», сверка № {item.run_id}")  # fmt: skip
        return item

    @extend_schema(
        summary="Отработать селекцию",
        request=s.WorkOutSerializer,
        responses={200: s.SelectionSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="work-out")
    def work_out(self, request, pk=None):
        item = self.get_object(event=False)
        form = s.WorkOutSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.work_out(item, actor=request.user, **form.validated_data)
        return Response(self.get_serializer(self.scoped_queryset().get(pk=item.pk)).data)

    def logged(self, page):
        return [item.applicant for item in page]
