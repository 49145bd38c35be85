from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from onewindow.models import AccessLog, CalendarOverride, Job, Office, User


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "code", "director_name", "phone", "is_active"]
    search_fields = ["code", "name", "short_name"]


class UserChangeForm(DjangoUserAdmin.form):
    def clean_is_active(self):
        from onewindow.handover import deactivation_blockers

        is_active = self.cleaned_data.get("is_active")
        if self.instance.pk and self.instance.is_active and not is_active:
            blockers = deactivation_blockers(self.instance)
            if blockers:
                raise forms.ValidationError(
                    "Нельзя отключить учётную запись: за сотрудником числятся незавершённые дела ("
                    + "; ".join(blockers)
                    + "). Сначала передайте их (раздел «Передача дел»)."
                )
        return is_active


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    form = UserChangeForm
    list_display = ["username", "last_name", "first_name", "office", "position", "is_active"]
    list_filter = ["office", "groups", "is_active"]
    search_fields = ["username", "last_name", "first_name", "middle_name"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Учреждение и должность", {"fields": ["office", "middle_name", "position"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (
            "Учреждение и должность",
            {"fields": ["office", "last_name", "first_name", "middle_name", "position", "groups"]},
        ),
    ]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """The access log is evidence: read-only for everyone, superusers included."""

    list_display = ["at", "username", "office", "event", "subject_repr", "result", "ip_address"]
    list_filter = ["result", "event", "office"]
    search_fields = ["username", "subject_repr", "subject_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "office", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_working", "reason"]
    date_hierarchy = "date"
