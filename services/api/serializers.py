from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from services.models import EligibilityCondition, Ground, RequiredDocument, Service, ServiceVersion


class RequiredDocumentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="document_type.title", help_text="Наименование документа")
    document_type = serializers.CharField(
        source="document_type.code", help_text="Код вида документа"
    )
    requirement = serializers.CharField(
        source="requirement_display", help_text="Требование к документу, как его читает заявитель"
    )

    class Meta:
        model = RequiredDocument
        fields = [
            "id", "document_type", "title", "required", "condition", "form", "copies",
            "interagency", "group", "group_title", "valid_months", "for_categories",
            "per_member", "applies_to", "requirement",
        ]  # fmt: skip


class GroundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ground
        fields = ["id", "kind", "clause", "text"]


class ConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EligibilityCondition
        fields = ["id", "text", "clause"]


class VersionSerializer(serializers.ModelSerializer):
    regulation = serializers.CharField(source="regulation.citation", help_text="Нормативный акт")
    deadline = serializers.CharField(source="deadline_display", help_text="Срок решения")
    documents = RequiredDocumentSerializer(
        many=True, read_only=True, help_text="Перечень документов"
    )
    grounds = GroundSerializer(
        many=True, read_only=True, help_text="Основания отказа и приостановления"
    )
    conditions = ConditionSerializer(many=True, read_only=True, help_text="Условия предоставления")

    class Meta:
        model = ServiceVersion
        fields = [
            "id", "effective_from", "effective_to", "regulation", "deadline_days",
            "deadline_kind", "deadline_from", "deadline", "applicants", "applicant_categories",
            "allow_incomplete", "requires_consent", "on_death", "result", "result_form",
            "documents", "grounds", "conditions",
        ]  # fmt: skip


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["code", "title", "short_title", "department", "issues_document", "is_active"]


class ServiceDetailSerializer(ServiceSerializer):
    version = serializers.SerializerMethodField(
        help_text="Редакция, действующая на дату `on` (пусто — на эту дату услуга не действует)"
    )

    class Meta(ServiceSerializer.Meta):
        fields = [*ServiceSerializer.Meta.fields, "version"]

    @extend_schema_field(VersionSerializer(allow_null=True))
    def get_version(self, service: Service):
        version = service.version_on(self.context["on"])
        return VersionSerializer(version).data if version else None
