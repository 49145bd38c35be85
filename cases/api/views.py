"""The counter's endpoints. Each parses its input with a serializer, calls the one `cases`
service the screens call, and answers with what was written."""

from __future__ import annotations

import dataclasses
import datetime
import uuid

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import printing, search, services
from cases import status as public_status
from cases.api import serializers as s
from cases.api.filters import (
    ApplicationFilter,
    EntitlementFilter,
    IncomingFilter,
    InteragencyFilter,
)
from cases.models import (
    Applicant,
    Application,
    Booking,
    CaseFile,
    Entitlement,
    IncomingRequest,
    InteragencyRequest,
    ServiceGroup,
)
from cases.requests import (
    answer_incoming_request,
    record_interagency_response,
    register_incoming_request,
)
from cases.services import queue
from onewindow.api import idempotency
from onewindow.api.params import date_param
from onewindow.api.schema import errors
from onewindow.api.viewsets import LoggedListMixin, PdfRenderer, ScopedViewSet
from onewindow.audit import client_ip, get_for_user_or_404, log_access
from services.models import Service

IDEMPOTENCY_NAMESPACE = uuid.UUID("5b0d8f8e-4d1b-4a57-9a43-0a1b7ad0e001")


# --- Applicants -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Поиск заявителей",
        description="`q` — тот же поиск, что у окна приёма: СНИЛС (полностью или последние цифры), "
        "«Фамилия И.О.», ФИО, дата рождения ДД.ММ.ГГГГ, номер дела или заявления. Без `q` — "
        "заявители учреждения по алфавиту. Каждый показанный попадает в журнал доступа.",
        parameters=[OpenApiParameter("q", str, description="Строка поиска")],
        responses={200: s.ApplicantSerializer(many=True), **errors(401, 403)},
    ),
    retrieve=extend_schema(
        summary="Заявитель", responses={200: s.ApplicantSerializer, **errors(401, 403, 404)}
    ),
    create=extend_schema(
        summary="Зарегистрировать заявителя",
        parameters=[idempotency.PARAMETER],
        request=s.ApplicantWriteSerializer,
        responses={
            201: s.ApplicantSerializer,
            **errors(400, 401, 403, 409),
        },
    ),
    partial_update=extend_schema(
        summary="Исправить данные заявителя",
        request=s.ApplicantWriteSerializer,
        responses={200: s.ApplicantSerializer, **errors(400, 401, 403, 404)},
    ),
)
class ApplicantViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = s.ApplicantSerializer
    read_event = "view_applicant"
    list_event = "search"
    filter_backends = []
    permissions = {
        "list": ["cases.view_applicant"],
        "retrieve": ["cases.view_applicant"],
        "create": ["cases.add_applicant"],
        "partial_update": ["cases.change_applicant"],
    }

    def scoped_queryset(self):
        return Applicant.objects.select_related("office").prefetch_related(
            Prefetch("case_files", queryset=CaseFile.objects.order_by("number"))
        )

    def list(self, request, *args, **kwargs):
        query = request.query_params.get("q", "").strip()
        if query:
            page = [
                hit.applicant
                for hit in search.search(
                    query, request.user, limit=self.paginator.get_page_size(request)
                )
            ]
            self.log_list(page, f"«{query[:60]}»: найдено {len(page)}")
            data = self.get_serializer(
                self.scoped_queryset().filter(pk__in=[a.pk for a in page]), many=True
            ).data
            order = {a.pk: n for n, a in enumerate(page)}
            data = sorted(data, key=lambda row: order[row["id"]])
            return Response({"count": len(data), "next": None, "previous": None, "results": data})
        page = self.paginate_queryset(
            self.get_queryset().order_by("last_name", "first_name", "middle_name", "pk")
        )
        self.log_list(page, "список заявителей", event="view_list")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        form = s.ApplicantWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        confirmed = data.pop("confirm_namesake", False)
        _refuse_namesakes(data, request.user, confirmed)
        applicant = services.register_applicant(actor=request.user, **data)
        return Response(
            self.get_serializer(self._reread(applicant)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        applicant = self.get_object(event="view_applicant")
        form = s.ApplicantWriteSerializer(applicant, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        data.pop("confirm_namesake", None)
        applicant = services.update_applicant(applicant, actor=request.user, **data)
        return Response(self.get_serializer(self._reread(applicant)).data)

    def _reread(self, applicant):
        return self.scoped_queryset().get(pk=applicant.pk)


def _refuse_namesakes(data: dict, user, confirmed: bool) -> None:
    if confirmed:
        return
    same = services.find_namesakes(
        office=user.office, last_name=data["last_name"], first_name=data["first_name"],
        middle_name=data.get("middle_name", ""), birth_date=data["birth_date"],
    )  # fmt: skip
    if same:
        raise services.CounterError(
            "Заявитель с такими же ФИО и датой рождения уже зарегистрирован. Проверьте, не он "
            "ли это; если это другой человек — повторите с «confirm_namesake»: true."
        )


# --- Case files -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Личные дела", responses={200: s.CaseFileSerializer(many=True), **errors(401, 403)}
    ),
    retrieve=extend_schema(
        summary="Личное дело", responses={200: s.CaseFileSerializer, **errors(401, 403, 404)}
    ),
)
class CaseFileViewSet(LoggedListMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    list_what = "личные дела"
    serializer_class = s.CaseFileSerializer
    read_event = "view_casefile"
    list_event = "view_list"
    filterset_fields = ["status", "applicant"]
    ordering_fields = ["number", "opened_on"]
    ordering = ["number"]
    permissions = {"*": ["cases.view_casefile"]}

    def scoped_queryset(self):
        return CaseFile.objects.all()


# --- Applications -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Заявления",
        responses={200: s.ApplicationSerializer(many=True), **errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="Заявление", responses={200: s.ApplicationSerializer, **errors(401, 403, 404)}
    ),
    create=extend_schema(
        summary="Принять и зарегистрировать заявление",
        description="Заявление по перечню документов редакции услуги, действующей сегодня: те же "
        "правила, что у формы приёма (обязательные строки, группы «один из», сроки давности "
        "документов, представитель, согласие). Повтор с тем же `Idempotency-Key` — тот же ответ.",
        parameters=[idempotency.PARAMETER],
        request=s.ApplicationCreateSerializer,
        responses={
            201: s.ApplicationSerializer,
            **errors(400, 401, 403, 404, 409),
        },
    ),
)
class ApplicationViewSet(LoggedListMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    list_what = "заявления"
    serializer_class = s.ApplicationSerializer
    read_event = "view_application"
    list_event = "view_list"
    filterset_class = ApplicationFilter
    ordering_fields = ["registered_on", "deadline", "reg_number", "status", "decision_date"]
    ordering = ["-registered_on", "-reg_number"]
    permissions = {
        "list": ["cases.view_application"],
        "retrieve": ["cases.view_application"],
        "create": ["cases.add_application"],
        "transition": ["cases.view_application"],  # the action's own permission: the service
        "receipt": ["cases.view_application"],
    }

    def scoped_queryset(self):
        return Application.objects.select_related("service", "case_file").prefetch_related(
            "documents"
        )

    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        form = s.ApplicationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        applicant = get_for_user_or_404(
            request._request, Applicant.objects.all(), event="view_applicant", pk=data["applicant"]
        )
        service = Service.objects.filter(code=data["service"]).first()
        if service is None:
            raise serializers.ValidationError(
                {"service": [f"Услуги с кодом «{data['service']}» в каталоге нет."]}
            )
        now = timezone.now()
        _, version = services.version_for_registration(service, now)
        key = request.headers.get(idempotency.HEADER, "").strip()
        application = services.register_application(
            applicant,
            service,
            actor=request.user,
            marks=_marks(version, data["documents"]),
            idempotency_key=uuid.uuid5(IDEMPOTENCY_NAMESPACE, key) if key else None,
            received_at=now,
            representative=services.Representative(**data.get("representative", {})),
            consent_given=data["consent_given"],
            note=data.get("note", ""),
            intake=_intake(version, data.get("intake") or {}),
        )
        application = self.scoped_queryset().get(pk=application.pk)
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Шаг жизненного цикла заявления",
        description="Передать в отдел, принять к рассмотрению, решение (назначить / отказать с "
        "основаниями), заявитель уведомлён, отозвано — как кнопки на странице заявления.",
        request=s.TransitionSerializer,
        responses={
            200: s.ApplicationSerializer,
            **errors(400, 401, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        application = self.get_object(event=False)
        form = s.TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        name = data.pop("action")
        services.transition(application, name, actor=request.user, **data)
        return Response(self.get_serializer(self.scoped_queryset().get(pk=application.pk)).data)

    @extend_schema(
        summary="Расписка в приёме документов (PDF)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **errors(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer])
    def receipt(self, request, pk=None):
        application = self.get_object(event="print_document")
        application = Application.objects.select_related(
            "applicant", "office", "service", "service_version", "accepted_by"
        ).get(pk=application.pk)
        response = HttpResponse(
            printing.receipt_pdf(application, request), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="receipt-{application.reg_number}-{application.reg_year}.pdf"'
        )
        return response


def _marks(version, documents: list[dict]) -> list:
    lines = {rd.pk: rd for rd in version.documents.select_related("document_type")}
    marks, errors = [], {}
    for index, mark in enumerate(documents):
        rd = lines.get(mark["document"])
        if rd is None:
            errors[f"documents.{index}.document"] = [
                f"Строки {mark['document']} нет в перечне документов действующей редакции услуги."
            ]
            continue
        marks.append(
            services.DocumentMark(
                required_document=rd,
                status=mark["status"],
                form=mark.get("form") or rd.form,
                sheets=mark.get("sheets"),
                copies=mark.get("copies") or rd.copies,
                original_returned=mark.get("original_returned", False),
                issued_on=mark.get("issued_on"),
            )
        )
    seen = [m.required_document.pk for m in marks]
    if len(seen) != len(set(seen)):
        errors["documents"] = ["Строка перечня отмечена дважды."]
    if errors:
        raise serializers.ValidationError(errors)
    return marks


def _intake(version, data: dict):
    conditions = set(version.conditions.values_list("pk", flat=True))
    picked = set(data.get("confirmed_conditions", []))
    if picked - conditions:
        raise serializers.ValidationError(
            {
                "intake.confirmed_conditions": [
                    f"Условий {sorted(picked - conditions)} у действующей редакции услуги нет."
                ]
            }
        )
    organisation = data.get("organisation")
    return services.Intake(
        applicant_category=data.get("applicant_category", ""),
        family_children=data.get("family_children"),
        family_adults=data.get("family_adults"),
        event_date=data.get("event_date"),
        confirmed_conditions=frozenset(picked),
        organisation=services.OrganisationDetails(**organisation) if organisation else None,
    )


# --- Measures ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Меры поддержки (назначения)",
        responses={200: s.EntitlementSerializer(many=True), **errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="Мера поддержки", responses={200: s.EntitlementSerializer, **errors(401, 403, 404)}
    ),
)
class EntitlementViewSet(LoggedListMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    list_what = "меры поддержки"
    serializer_class = s.EntitlementSerializer
    read_event = "view_entitlement"
    list_event = "view_list"
    filterset_class = EntitlementFilter
    ordering_fields = ["start_date", "end_date", "status"]
    ordering = ["-start_date", "pk"]
    permissions = {"*": ["cases.view_entitlement"]}

    def scoped_queryset(self):
        return Entitlement.objects.select_related("service")


# --- Requests ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Межведомственные запросы",
        responses={200: s.InteragencyRequestSerializer(many=True), **errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="Межведомственный запрос",
        responses={200: s.InteragencyRequestSerializer, **errors(401, 403, 404)},
    ),
)
class InteragencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = s.InteragencyRequestSerializer
    read_event = "view_request"
    filterset_class = InteragencyFilter
    ordering_fields = ["sent_on", "due_date"]
    ordering = ["due_date", "pk"]
    permissions = {
        "list": ["cases.view_interagencyrequest"],
        "retrieve": ["cases.view_interagencyrequest"],
        "answer": ["cases.change_interagencyrequest"],
    }

    def scoped_queryset(self):
        return InteragencyRequest.objects.select_related("agency", "document")

    @extend_schema(
        summary="Внести ответ на межведомственный запрос",
        request=s.InteragencyAnswerSerializer,
        responses={
            200: s.InteragencyRequestSerializer,
            **errors(400, 401, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        item = self.get_object(event=False)
        form = s.InteragencyAnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        record_interagency_response(item, actor=request.user, **form.validated_data)
        return Response(self.get_serializer(self.scoped_queryset().get(pk=item.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Входящие запросы",
        responses={200: s.IncomingRequestSerializer(many=True), **errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="Входящий запрос",
        responses={200: s.IncomingRequestSerializer, **errors(401, 403, 404)},
    ),
    create=extend_schema(
        summary="Зарегистрировать входящий запрос",
        parameters=[idempotency.PARAMETER],
        request=s.IncomingRequestCreateSerializer,
        responses={201: s.IncomingRequestSerializer, **errors(400, 401, 403)},
    ),
)
class IncomingViewSet(
    LoggedListMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    list_what = "входящие запросы"
    serializer_class = s.IncomingRequestSerializer
    read_event = "view_request"
    list_event = "view_list"
    filterset_class = IncomingFilter
    ordering_fields = ["received_on", "due_date"]
    ordering = ["due_date", "pk"]
    permissions = {
        "list": ["cases.view_incomingrequest"],
        "retrieve": ["cases.view_incomingrequest"],
        "create": ["cases.add_incomingrequest"],
        "answer": ["cases.change_incomingrequest"],
    }

    def scoped_queryset(self):
        return IncomingRequest.objects.select_related("kind")

    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        form = s.IncomingRequestCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = register_incoming_request(actor=request.user, **form.validated_data)
        return Response(
            self.get_serializer(self.scoped_queryset().get(pk=item.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Ответить на входящий запрос",
        request=s.IncomingAnswerSerializer,
        responses={200: s.IncomingRequestSerializer, **errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        item = self.get_object(event=False)
        form = s.IncomingAnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        answer_incoming_request(item, actor=request.user, **form.validated_data)
        return Response(self.get_serializer(self.scoped_queryset().get(pk=item.pk)).data)


# --- The queue's pre-booking -----------------------------------------------------------------


def _office_of(user):
    if user.office_id is None:
        raise services.CounterError("Учётной записи не назначено учреждение: записывать некуда.")
    return user.office


def _booking_group(value, field: str = "group") -> ServiceGroup:
    group = ServiceGroup.objects.filter(pk=value, is_active=True).first()
    if group is None:
        raise serializers.ValidationError({field: [f"Группы услуг с id {value} нет."]})
    return group


@extend_schema_view(
    list=extend_schema(
        summary="Предварительная запись",
        description="Записи учреждения (фильтры: день, группа, состояние). Телефон посетителя "
        "полностью — роли с правом полного просмотра, остальным маской; показанные записи "
        "попадают в журнал доступа.",
        responses={200: s.BookingSerializer(many=True), **errors(400, 401, 403)},
    ),
    create=extend_schema(
        summary="Записать посетителя на интервал",
        description="Тот же отказ с причиной, что у страницы записи: нерабочий день, прошедшее "
        "время, вне часов приёма или после времени последнего талона, интервал занят "
        "(мест столько, сколько окон обслуживает группу) — 400 у поля `starts_at`.",
        parameters=[idempotency.PARAMETER],
        request=s.BookingCreateSerializer,
        responses={201: s.BookingSerializer, **errors(400, 401, 403, 409)},
    ),
)
class BookingViewSet(LoggedListMixin, ScopedViewSet):
    list_what = "предварительная запись"
    serializer_class = s.BookingSerializer
    list_event = "view_list"
    filterset_fields = ["day", "group", "status"]
    ordering_fields = ["starts_at"]
    ordering = ["starts_at", "pk"]
    permissions = {
        "list": ["cases.view_booking"],
        "create": ["cases.add_booking"],
        "cancel": ["cases.change_booking"],
    }

    def scoped_queryset(self):
        return Booking.objects.select_related("group", "booked_by", "ticket")

    def list(self, request, *args, **kwargs):
        if request.user.office_id is not None:  # «не пришёл» without waiting for beat
            queue.mark_missed_bookings(office=request.user.office)
        return super().list(request, *args, **kwargs)

    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        form = s.BookingCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        group = _booking_group(data["group"])
        applicant = None
        if data.get("applicant"):
            applicant = (
                Applicant.objects.for_user(request.user).filter(pk=data["applicant"]).first()
            )
            if applicant is None:
                raise serializers.ValidationError(
                    {"applicant": [f"Заявителя с id {data['applicant']} в учреждении нет."]}
                )
        booking = queue.book_slot(
            office=_office_of(request.user),
            group=group,
            starts_at=data["starts_at"],
            visitor_name=data["visitor_name"],
            visitor_phone=data["visitor_phone"],
            applicant=applicant,
            actor=request.user,
        )
        booking = self.scoped_queryset().get(pk=booking.pk)
        return Response(self.get_serializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Отменить запись",
        request=None,
        responses={200: s.BookingSerializer, **errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = queue.cancel_booking(self.get_object(event=False), actor=request.user)
        return Response(self.get_serializer(self.scoped_queryset().get(pk=booking.pk)).data)


class SlotsView(APIView):
    """The free slots of a group on a day, as the bookings page shows them."""

    permissions = {"*": ["cases.view_booking"]}

    @extend_schema(
        summary="Свободные интервалы записи",
        description="Интервалы дня, ещё не начавшиеся: с открытия через длину интервала группы, "
        "пока интервал начинается до времени последнего талона; в нерабочий день — пусто.",
        parameters=[
            OpenApiParameter("group", int, required=True, description="Группа услуг (id)"),
            OpenApiParameter(
                "date", datetime.date, description="День (ГГГГ-ММ-ДД); по умолчанию — сегодня"
            ),
        ],
        responses={200: s.SlotsSerializer, **errors(400, 401, 403, 409)},
    )
    def get(self, request):
        raw = request.query_params.get("group", "")
        if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
            raise serializers.ValidationError({"group": ["Укажите группу услуг: её id числом."]})
        group = _booking_group(int(raw))
        day = date_param(request, "date")
        office = _office_of(request.user)
        hours = queue.day_hours(office, day) if _near(day) else None
        slots = queue.day_slots(office, group, day, hours=hours) if hours else []
        data = {"group": group.pk, "date": day, "open": hours is not None, "slots": slots}
        return Response(s.SlotsSerializer(data).data)


def _near(day: datetime.date) -> bool:
    today = timezone.localdate()
    return abs((day - today).days) <= queue.booking_days_ahead()


# --- The public status by the receipt (no login) -------------------------------------------------


class StatusView(APIView):
    """What the public status page shows, for the region's portal or a chat bot: no token, the
    same answer to a wrong code as to a missing number, the page's throttle (per address and per
    receipt number, shared with it)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Состояние заявления по расписке (без входа)",
        description="Номер расписки и код с неё → состояние, срок решения и ожидаемые документы. "
        "Неверный код и несуществующий номер дают один ответ 404. Не больше "
        "STATUS_ATTEMPTS попыток за STATUS_WINDOW_SECONDS с адреса и на номер, дальше 429.",
        parameters=[
            OpenApiParameter("number", str, required=True, description="Номер расписки"),
            OpenApiParameter("code", str, required=True, description="Код с расписки"),
        ],
        auth=[],
        responses={200: s.PublicStatusSerializer, **errors(400, 404)},
    )
    def get(self, request):
        query = s.StatusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        number = public_status.parse_receipt_number(query.validated_data["number"])
        if number is None:
            raise serializers.ValidationError({"number": [public_status.BAD_NUMBER]})
        code = public_status.normalize_code(query.validated_data["code"])
        if code is None:
            raise serializers.ValidationError({"code": [public_status.BAD_CODE]})
        if not public_status.attempt_allowed(client_ip(request._request), number):
            raise Throttled(detail=public_status.TOO_MANY)
        application = public_status.find_application(number, code)
        if application is None:
            raise NotFound(public_status.NOT_FOUND)
        log_access(
            request._request,
            event="status_check",
            subject=application,
            detail="состояние заявления по номеру расписки и коду (API)",
            path=request._request.path,
        )
        data = dataclasses.asdict(public_status.public_status(application))
        data.pop("tone")
        return Response(s.PublicStatusSerializer(data).data)
