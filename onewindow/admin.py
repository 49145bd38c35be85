import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey
from simple_history.admin import SimpleHistoryAdmin

from onewindow.models import AccessLog, ApiToken, CalendarOverride, Job, Office, User


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


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "user", "expiry_date", "revoked"]
        labels = {"name": "назначение", "expiry_date": "действует до", "revoked": "отозван"}
        help_texts = {
            "name": "Кто пользуется ключом, например «Терминал очереди, окно 3».",
            "expiry_date": "После этой даты ключ не принимается.",
            "revoked": "Отозванный ключ больше не принимается; отменить отзыв нельзя.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["expiry_date"].required = True
            self.initial.setdefault(
                "expiry_date",
                timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS),
            )


# the package's own key model (keys of no user) is not used: keys belong to users
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(ApiToken)
class ApiTokenAdmin(APIKeyModelAdmin, SimpleHistoryAdmin):
    """Issued here: the key is shown once, in the message after saving; only its hash is kept."""

    form = ApiTokenForm
    list_display = ["prefix", "name", "user", "created", "expiry_date", "last_used_at", "revoked"]
    list_filter = ["revoked", "user__office"]
    search_fields = ["name", "prefix", "user__username", "user__last_name"]
    readonly_fields = ["prefix", "created", "created_by", "last_used_at", "last_used_ip"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        fields = ["prefix", "created", "created_by", "last_used_at", "last_used_ip"]
        if obj is not None:
            fields.append("user")  # a key is never moved to another person
            if obj.revoked:
                fields += ["name", "expiry_date", "revoked"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            key = ApiToken.objects.assign_key(obj)
            obj.save()
            messages.warning(
                request,
                f"Ключ API «{obj.name}» для {obj.user}: {key} — скопируйте его сейчас, больше он "
                "показан не будет (хранится только его хеш). Заголовок запроса: "
                f"Authorization: Token {key}",
            )
        else:
            obj.save()

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the access log names the key's user
