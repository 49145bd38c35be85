from __future__ import annotations

from rest_framework import serializers

from onewindow.api.serializers import StrictSerializer
from reconciliation.models import ExtractProfile, ReconciliationRun, Selection


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtractProfile
        fields = ["id", "name", "title", "source", "kind", "file_format", "encoding"]
        read_only_fields = fields


class RunSerializer(serializers.ModelSerializer):
    profile = serializers.SlugRelatedField(slug_field="name", read_only=True)
    state = serializers.CharField(
        source="state_display", read_only=True, help_text="Состояние словами, как в списке сверок"
    )
    progress = serializers.IntegerField(read_only=True, help_text="Прочитано строк")
    total = serializers.IntegerField(read_only=True, help_text="Строк всего (оценка)")
    percent = serializers.IntegerField(read_only=True, help_text="Готово, %")
    step = serializers.CharField(
        read_only=True,
        help_text="Этап выполняющейся сверки («загрузка», «сопоставление», …), как на её "
        "странице и в командной строке; пусто, пока сверка в очереди и когда она завершена",
    )
    counts = serializers.JSONField(
        read_only=True,
        help_text="Итоги сверки: rows_total (строк), rows_invalid (ошибочных), matched_snils (по "
        "СНИЛС, подтверждено фамилией или датой рождения), matched_name_dob, probable, "
        "snils_only (совпал только СНИЛС — проверить), ambiguous, unmatched (в сумме с "
        "rows_invalid — rows_total), selections. В сверках до появления snils_only ключа нет.",
    )

    class Meta:
        model = ReconciliationRun
        fields = [
            "id", "profile", "source", "kind", "file_name", "sha256", "status", "state",
            "progress", "total", "percent", "step", "counts", "error", "created_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


class UploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text="Выгрузка: CSV, DBF, XLSX или XML")
    profile = serializers.SlugRelatedField(
        slug_field="name", queryset=ExtractProfile.objects.all(), help_text="Код профиля выгрузки"
    )
    force = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Обработать повторно, если этот файл уже обрабатывался",
    )
    encoding = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="Кодировка CSV/DBF, если определена неверно",
    )


class SelectionSerializer(serializers.ModelSerializer):
    applicant_name = serializers.CharField(source="applicant.full_name", read_only=True)

    class Meta:
        model = Selection
        fields = [
            "id", "run", "applicant", "applicant_name", "kind", "source", "match",
            "needs_confirmation", "event_date", "evidence", "suggested_action", "services",
            "status", "outcome", "note", "assigned_to", "created_at", "worked_at", "worked_by",
        ]  # fmt: skip
        read_only_fields = fields


class WorkOutSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=Selection.Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    event_date = serializers.DateField(
        required=False, allow_null=True, help_text="Дата события, если её нет в выгрузке"
    )
