from __future__ import annotations

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import (
    Applicant,
    Application,
    ApplicationDocument,
    Booking,
    CaseFile,
    Entitlement,
    IncomingRequest,
    InteragencyRequest,
    RequestKind,
)
from cases.services import TRANSITIONS
from cases.services.queue import mask_phone
from onewindow.api.serializers import (
    DateTimeField,
    SnilsField,
    StrictModelSerializer,
    StrictSerializer,
)
from onewindow.identity import format_snils, mask_snils

# --- People -----------------------------------------------------------------------------------


def sees_full_identity(context) -> bool:
    request = context.get("request")
    return bool(request and request.user.has_perm("cases.view_full_identity"))


class ApplicantSerializer(serializers.ModelSerializer):
    """A person as the counter shows them: СНИЛС and the identity document in full only to a
    role that sees them in full (else masked, as in the lists)."""

    snils = serializers.SerializerMethodField(
        help_text="СНИЛС: 11 цифр (роль без права полного просмотра — маска «•••-•••-789 01»)"
    )
    snils_display = serializers.SerializerMethodField(help_text="СНИЛС в виде «123-456-789 01»")
    office = serializers.CharField(source="office.code", read_only=True, help_text="Код учреждения")
    case_files = serializers.SerializerMethodField(help_text="Номера личных дел")
    email = serializers.CharField(read_only=True, help_text="Электронная почта (может быть пустой)")

    class Meta:
        model = Applicant
        fields = [
            "id", "office", "snils", "snils_display", "last_name", "first_name", "middle_name",
            "sex", "birth_date", "birth_place", "id_doc_type", "id_series", "id_number",
            "id_issued_by", "id_issued_date", "id_unit_code", "reg_address", "actual_address",
            "phone", "email", "death_date", "is_anonymised", "case_files",
        ]  # fmt: skip
        read_only_fields = fields

    IDENTITY = ("id_series", "id_number", "id_issued_by", "id_issued_date", "id_unit_code")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not sees_full_identity(self.context):
            for name in self.IDENTITY:
                if data.get(name):
                    data[name] = "•••" if name != "id_issued_date" else None
        return data

    def get_snils(self, applicant) -> str:
        if sees_full_identity(self.context):
            return applicant.snils
        return mask_snils(applicant.snils)

    def get_snils_display(self, applicant) -> str:
        if sees_full_identity(self.context):
            return format_snils(applicant.snils)
        return mask_snils(applicant.snils)

    def get_case_files(self, applicant) -> list[int]:
        return [f.number for f in applicant.case_files.all()]


class ApplicantWriteSerializer(StrictModelSerializer):
    """Registering or correcting a person: the model's own rules (СНИЛС check number, passport
    series and number, dates not in the future, names) and then the service's (one СНИЛС per
    person, the namesake check)."""

    snils = SnilsField(required=False, allow_blank=True)
    confirm_namesake = serializers.BooleanField(
        required=False, default=False, write_only=True,
        help_text="Это другой человек с теми же ФИО и датой рождения: зарегистрировать",
    )  # fmt: skip

    class Meta:
        model = Applicant
        fields = [
            "snils", "last_name", "first_name", "middle_name", "sex", "birth_date", "birth_place",
            "id_doc_type", "id_series", "id_number", "id_issued_by", "id_issued_date",
            "id_unit_code", "reg_address", "actual_address", "phone", "email", "confirm_namesake",
        ]  # fmt: skip

    def validate(self, attrs):
        """The model's own rules over the whole person (those of one field and those between
        fields, such as a passport's series for its kind of document)."""
        person = copy.copy(self.instance) if self.instance is not None else Applicant()
        for name, value in attrs.items():
            if name != "confirm_namesake":
                setattr(person, name, value)
        try:
            person.full_clean(
                exclude=["office", "created_by"], validate_unique=False, validate_constraints=False
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs


class CaseFileSerializer(serializers.ModelSerializer):
    applicant = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Заявитель")
    number_display = serializers.CharField(read_only=True, help_text="Номер дела, как его пишут")

    class Meta:
        model = CaseFile
        fields = ["id", "number", "number_display", "applicant", "status", "opened_on", "closed_on"]
        read_only_fields = fields


# --- Applications -----------------------------------------------------------------------------


class DocumentLineSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = ApplicationDocument
        fields = [
            "required_document",
            "title",
            "status",
            "form",
            "sheets",
            "copies",
            "quantity",
            "required",
        ]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    number = serializers.CharField(
        source="number_display", read_only=True, help_text="Номер заявления в журнале"
    )
    service = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Код услуги"
    )
    service_title = serializers.CharField(source="service.short_title", read_only=True)
    specialist = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="Специалист, ведущий заявление"
    )
    case_file = serializers.IntegerField(
        source="case_file.number", read_only=True, help_text="Номер личного дела"
    )
    documents = DocumentLineSerializer(many=True, read_only=True)
    transitions = serializers.SerializerMethodField(
        help_text="Действия, доступные этому пользователю сейчас"
    )

    class Meta:
        model = Application
        fields = [
            "id", "number", "reg_number", "reg_year", "applicant", "case_file", "service",
            "service_title", "status", "received_at", "registered_on", "deadline", "incomplete",
            "specialist", "decision_date", "decision_number", "documents", "transitions",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_transitions(self, application) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return [
            name
            for name, spec in TRANSITIONS.items()
            if application.status in spec["from"] and request.user.has_perm(spec["perm"])
        ]


class MarkSerializer(StrictSerializer):
    document = serializers.IntegerField(help_text="id строки перечня документов редакции услуги")
    status = serializers.ChoiceField(
        choices=ApplicationDocument.Status.choices, help_text="Как отмечена строка"
    )
    form = serializers.ChoiceField(
        choices=[("original", "подлинник"), ("copy", "копия"), ("both", "подлинник и копия")],
        required=False, allow_blank=True,
    )  # fmt: skip
    sheets = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10000)
    copies = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    original_returned = serializers.BooleanField(required=False, default=False)
    issued_on = serializers.DateField(
        required=False, allow_null=True, help_text="Дата выдачи документа"
    )


class RepresentativeSerializer(StrictSerializer):
    kind = serializers.ChoiceField(
        choices=Application.RepresentativeKind.choices, required=False, allow_blank=True
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    document = serializers.CharField(required=False, allow_blank=True, max_length=500)
    authority = serializers.CharField(required=False, allow_blank=True, max_length=500)


class OrganisationSerializer(StrictSerializer):
    inn = serializers.CharField(max_length=12)
    ogrn = serializers.CharField(required=False, allow_blank=True, max_length=15)
    name = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    address = serializers.CharField(required=False, allow_blank=True, max_length=500)


class IntakeSerializer(StrictSerializer):
    applicant_category = serializers.CharField(required=False, allow_blank=True, max_length=100)
    family_children = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=99
    )
    family_adults = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=99
    )
    event_date = serializers.DateField(required=False, allow_null=True)
    confirmed_conditions = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list,
        help_text="id условий предоставления, которые заявитель подтвердил",
    )  # fmt: skip
    organisation = OrganisationSerializer(required=False, allow_null=True)


class ApplicationCreateSerializer(StrictSerializer):
    """An application accepted against the checklist of the version in force today: the same
    service (`cases.services.register_application`) as the counter's form."""

    applicant = serializers.IntegerField(help_text="id заявителя")
    service = serializers.SlugField(help_text="Код услуги")
    documents = MarkSerializer(many=True, help_text="Отметки по строкам перечня документов")
    representative = RepresentativeSerializer(required=False)
    consent_given = serializers.BooleanField(
        required=False, default=False, help_text="Согласие на обработку персональных данных"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    intake = IntakeSerializer(required=False)


class TransitionSerializer(StrictSerializer):
    action = serializers.ChoiceField(choices=[(n, s["title"]) for n, s in TRANSITIONS.items()])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    grounds = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class EntitlementSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Entitlement
        fields = [
            "id", "applicant", "application", "service", "start_date", "end_date", "amount",
            "status", "status_reason", "status_changed_on",
        ]  # fmt: skip
        read_only_fields = fields


# --- Requests ---------------------------------------------------------------------------------


class InteragencyRequestSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", read_only=True)
    document = serializers.CharField(source="document.title", read_only=True)

    class Meta:
        model = InteragencyRequest
        fields = [
            "id",
            "application",
            "document",
            "agency",
            "sent_on",
            "due_date",
            "result",
            "response_on",
            "response_note",
        ]
        read_only_fields = fields


class InteragencyAnswerSerializer(StrictSerializer):
    result = serializers.ChoiceField(choices=InteragencyRequest.Result.choices)
    response_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class IncomingRequestSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    subject_snils = serializers.SerializerMethodField()

    class Meta:
        model = IncomingRequest
        fields = [
            "id", "kind", "sender", "sender_number", "sender_date", "received_on", "subject_name",
            "subject_birth_date", "subject_snils", "applicant", "question", "due_date",
            "assigned_to", "answer", "answered_on",
        ]  # fmt: skip
        read_only_fields = fields

    def get_subject_snils(self, request) -> str:
        if sees_full_identity(self.context):
            return request.subject_snils
        return mask_snils(request.subject_snils)


class IncomingRequestCreateSerializer(StrictSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", queryset=RequestKind.objects.all())
    sender = serializers.CharField(max_length=500)
    sender_address = serializers.CharField(required=False, allow_blank=True, max_length=500)
    sender_number = serializers.CharField(max_length=100)
    sender_date = serializers.DateField()
    received_on = serializers.DateField()
    subject_name = serializers.CharField(max_length=300)
    subject_birth_date = serializers.DateField(required=False, allow_null=True)
    subject_snils = SnilsField(required=False, allow_blank=True)
    question = serializers.CharField(max_length=5000)
    due_date = serializers.DateField(required=False, allow_null=True)


class IncomingAnswerSerializer(StrictSerializer):
    answer = serializers.CharField(max_length=10000)
    attachments = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    answered_on = serializers.DateField(required=False, allow_null=True)


# --- The public status by the receipt (no login) -------------------------------------------------


class StatusQuerySerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="Номер расписки, например 15/2026")
    code = serializers.CharField(max_length=40, help_text="Код с расписки, например ABCD-EFGH")


class AwaitedRequestSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="Документ")
    agency = serializers.CharField(help_text="Ведомство, в которое направлен запрос")
    due_date = serializers.DateField(allow_null=True, help_text="Ответ ожидается до")
    refused = serializers.BooleanField(
        help_text="Ведомство документ не представило: заявитель вправе принести его сам"
    )


class PublicStatusSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Номер расписки")
    service = serializers.CharField(help_text="Услуга")
    headline = serializers.CharField(help_text="Состояние заявления словами")
    explanation = serializers.CharField()
    is_open = serializers.BooleanField(help_text="Решение ещё не принято")
    deadline = serializers.DateField(help_text="Срок принятия решения")
    deadline_note = serializers.CharField()
    overdue = serializers.BooleanField()
    decision_date = serializers.DateField(allow_null=True, help_text="Дата решения")
    to_bring = serializers.ListField(
        child=serializers.CharField(), help_text="Документы, которые нужно представить"
    )
    requested = AwaitedRequestSerializer(many=True, help_text="Документы, запрошенные учреждением")


# --- The queue's pre-booking ------------------------------------------------------------------


class BookingSerializer(serializers.ModelSerializer):
    """A booking; the visitor's phone in full only to a role that sees personal data in full."""

    group = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Группа услуг (id)")
    group_title = serializers.CharField(source="group.title", read_only=True)
    visitor_phone = serializers.SerializerMethodField(
        help_text="Телефон «+7 999 123-45-67» (роль без права полного просмотра — маска)"
    )
    booked_by = serializers.CharField(
        source="booked_by.short_name", read_only=True, help_text="Кто записал"
    )
    ticket = serializers.SerializerMethodField(help_text="Талон, выданный по записи на киоске")

    class Meta:
        model = Booking
        fields = [
            "id", "group", "group_title", "day", "starts_at", "visitor_name", "visitor_phone",
            "applicant", "code", "status", "booked_by", "booked_at", "cancelled_at",
            "checked_in_at", "ticket",
        ]  # fmt: skip
        read_only_fields = fields

    def get_visitor_phone(self, booking) -> str:
        if sees_full_identity(self.context):
            return booking.visitor_phone
        return mask_phone(booking.visitor_phone)

    def get_ticket(self, booking) -> str | None:
        ticket = getattr(booking, "ticket", None)
        return ticket.code if ticket is not None else None


class BookingCreateSerializer(StrictSerializer):
    group = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="Группа услуг (id)"
    )
    starts_at = DateTimeField(
        help_text="Начало интервала (ISO 8601; без пояснения зоны — местное время учреждения)"
    )
    visitor_name = serializers.CharField(max_length=200, help_text="Кто придёт: ФИО")
    visitor_phone = serializers.CharField(max_length=30, help_text="Телефон: 10 цифр номера")
    applicant = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, allow_null=True,
        help_text="Заявитель (id), если известен",
    )  # fmt: skip


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(source="starts", help_text="Начало интервала")
    ends_at = serializers.DateTimeField(source="ends", help_text="Конец интервала")
    capacity = serializers.IntegerField(help_text="Мест: окон, обслуживающих группу")
    booked = serializers.IntegerField(help_text="Записано")
    free = serializers.IntegerField(help_text="Свободно")


class SlotsSerializer(serializers.Serializer):
    group = serializers.IntegerField(help_text="Группа услуг (id)")
    date = serializers.DateField(help_text="День")
    open = serializers.BooleanField(help_text="Есть ли в этот день приём")
    slots = SlotSerializer(many=True, help_text="Интервалы, ещё не начавшиеся")
