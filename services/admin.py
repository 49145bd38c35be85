"""The catalogue in the admin site. Titles, departments and document types are edited here;
versions and checklists change only through regulation loads (they are what applications were
accepted under), so they are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from services.models import (
    DocumentType,
    EligibilityCondition,
    Ground,
    Regulation,
    RegulationLoad,
    RequiredDocument,
    Service,
    ServiceVersion,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Regulation)
class RegulationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "title", "issued_by"]
    fields = ["kind", "number", "date", "title", "issued_by", "amendments"]
    search_fields = ["number", "title"]
    list_filter = ["kind"]


@admin.register(DocumentType)
class DocumentTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "issuing_agency", "interagency"]
    search_fields = ["code", "title"]
    list_filter = ["interagency"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["code", "short_title", "department", "is_active"]
    search_fields = ["code", "title", "short_title"]
    list_filter = ["is_active"]
    fields = ["code", "title", "short_title", "department", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


class RequiredDocumentInline(ReadOnlyMixin, admin.TabularInline):
    model = RequiredDocument
    fields = ["order", "document_type", "required", "condition", "form", "copies", "interagency",
              "group", "group_title", "valid_months", "for_categories", "per_member", "applies_to"]  # fmt: skip
    readonly_fields = fields
    extra = 0


class GroundInline(ReadOnlyMixin, admin.TabularInline):
    model = Ground
    fields = ["order", "kind", "clause", "text"]
    readonly_fields = fields
    extra = 0


class EligibilityConditionInline(ReadOnlyMixin, admin.TabularInline):
    model = EligibilityCondition
    fields = ["order", "text", "clause"]
    readonly_fields = fields
    extra = 0


@admin.register(ServiceVersion)
class ServiceVersionAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["service", "effective_from", "effective_to", "deadline_days", "deadline_kind",
                    "regulation"]  # fmt: skip
    list_filter = ["service", "deadline_kind"]
    inlines = [RequiredDocumentInline, GroundInline, EligibilityConditionInline]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("services.view_serviceversion")


@admin.register(RegulationLoad)
class RegulationLoadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "file_name", "status", "uploaded_by", "uploaded_at", "applied_at"]
    list_filter = ["status", "source"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("services.view_regulationload")
