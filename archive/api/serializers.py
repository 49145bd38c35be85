from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from archive.models import ArchivedFile, FileIssue
from onewindow.api.serializers import StrictSerializer


class IssueSerializer(serializers.ModelSerializer):
    class Meta:
        model = FileIssue
        fields = [
            "id",
            "archived_file",
            "issued_to",
            "purpose",
            "issued_on",
            "due_back",
            "returned_on",
            "issued_by",
            "received_by",
        ]
        read_only_fields = fields


class ArchivedFileSerializer(serializers.ModelSerializer):
    case_file = serializers.IntegerField(
        source="case_file.number", read_only=True, help_text="Номер личного дела"
    )
    location = serializers.CharField(
        source="location.__str__", read_only=True, allow_null=True, help_text="Место хранения"
    )
    current_issue = serializers.SerializerMethodField(help_text="Открытая выдача, если дело выдано")

    class Meta:
        model = ArchivedFile
        fields = [
            "id", "archive_number", "nomenclature_index", "year", "case_file", "title", "volumes",
            "sheets", "start_date", "end_date", "event_date", "eligible_from", "location",
            "status", "legal_hold", "current_issue",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(IssueSerializer(allow_null=True))
    def get_current_issue(self, item):
        issue = next((i for i in item.issues.all() if i.returned_on is None), None)
        return IssueSerializer(issue).data if issue else None


class IssueRequestSerializer(StrictSerializer):
    to_user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        help_text="Кому выдаётся (id сотрудника)",
    )
    purpose = serializers.CharField(max_length=300)
    due_back = serializers.DateField(
        required=False, allow_null=True, help_text="Вернуть до (по умолчанию — срок выдачи архива)"
    )
