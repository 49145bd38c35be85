"""The archive over the API: archived files (read), issue and return — the archive's services."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from archive import services
from archive.api import serializers as s
from archive.models import ArchivedFile, FileIssue
from onewindow.api.schema import errors
from onewindow.api.viewsets import LoggedListMixin, ScopedViewSet


@extend_schema_view(
    list=extend_schema(
        summary="Архивные дела",
        responses={200: s.ArchivedFileSerializer(many=True), **errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="Архивное дело", responses={200: s.ArchivedFileSerializer, **errors(401, 403, 404)}
    ),
)
class ArchivedFileViewSet(LoggedListMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    list_what = "архивные дела"
    serializer_class = s.ArchivedFileSerializer
    read_event = "view_casefile"
    list_event = "view_list"
    filterset_fields = ["status", "year", "nomenclature_index", "legal_hold"]
    ordering_fields = ["year", "archive_number", "eligible_from"]
    ordering = ["year", "archive_number"]
    permissions = {
        "list": ["archive.view_archivedfile"],
        "retrieve": ["archive.view_archivedfile"],
        "issue": ["archive.change_fileissue"],
    }

    def scoped_queryset(self):
        return ArchivedFile.objects.select_related("case_file", "location").prefetch_related(
            Prefetch("issues", queryset=FileIssue.objects.order_by("-issued_on"))
        )

    @extend_schema(
        summary="Выдать дело во временное пользование",
        request=s.IssueRequestSerializer,
        responses={201: s.IssueSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        item = self.get_object(event=False)
        form = s.IssueRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        issue = services.issue_file(item, actor=request.user, **form.validated_data)
        return Response(s.IssueSerializer(issue).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Выдачи дел", responses={200: s.IssueSerializer(many=True), **errors(400, 401, 403)}
    ),
    retrieve=extend_schema(
        summary="Выдача дела", responses={200: s.IssueSerializer, **errors(401, 403, 404)}
    ),
)
class IssueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = s.IssueSerializer
    filterset_fields = ["archived_file", "issued_to"]
    ordering_fields = ["issued_on", "due_back"]
    ordering = ["-issued_on", "pk"]
    permissions = {"*": ["archive.view_fileissue"], "give_back": ["archive.change_fileissue"]}

    def scoped_queryset(self):
        return FileIssue.objects.all()

    @extend_schema(
        summary="Вернуть дело в архив",
        request=None,
        responses={200: s.IssueSerializer, **errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def give_back(self, request, pk=None):
        issue = services.return_file(self.get_object(event=False), actor=request.user)
        return Response(s.IssueSerializer(issue).data)
