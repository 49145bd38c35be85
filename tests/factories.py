"""Factories for every test: one place, as healthchecks and Zulip do."""

import factory
from django.contrib.auth.models import Group

from onewindow import roles
from onewindow.models import Office, User


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"office-{n}")
    name = factory.Sequence(lambda n: f"ГКУ «Центр социальной защиты населения № {n}»")
    short_name = factory.Sequence(lambda n: f"ЦСЗН № {n}")
    address = "400105, г. Волгоград, ул. Богунская, д. 4"
    director_name = "Сергеева Ольга Викторовна"
    phone = "(8442) 71-00-00"
    email = "cszn@example.ru"
    ogrn = "1023403123457"
    inn = "3443010010"
    kpp = "344301001"
    superior_body = "Комитет социальной защиты населения Волгоградской области"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Петрова"
    first_name = "Анна"
    middle_name = "Сергеевна"
    office = factory.SubFactory(OfficeFactory)
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))


def make_user(role: str, office: Office, username: str, **kwargs) -> User:
    return UserFactory(username=username, office=office, role=role, **kwargs)


__all__ = ["OfficeFactory", "UserFactory", "make_user", "roles"]


def valid_snils(first_nine: str) -> str:
    from onewindow.identity import snils_check_number

    return f"{first_nine}{snils_check_number(first_nine):02d}"


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Applicant"

    office = factory.SubFactory(OfficeFactory)
    snils = factory.Sequence(lambda n: valid_snils(f"{100000000 + n * 7:09d}"))
    last_name = "Иванов"
    first_name = "Иван"
    middle_name = "Иванович"
    sex = "M"
    birth_date = factory.LazyFunction(lambda: __import__("datetime").date(1950, 3, 15))
    id_doc_type = "passport_rf"
    id_series = "1804"
    id_number = factory.Sequence(lambda n: f"{100000 + n:06d}")
    id_issued_by = "ОУФМС России по Волгоградской области"
    id_unit_code = "340-001"
    reg_address = "400105, г. Волгоград, ул. Богунская, д. 1, кв. 1"


# --- State built the way the system builds it ---------------------------------------------------
# Records with rules of their own (numbers, deadlines, history, checklists) are made through the
# services, so a test's state is what a person could have produced; plain rows (a selection item,
# a run already done, an archived file) are created directly with every field a real one has.


def _days_ago(days: int):
    import datetime as dt

    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=days)


def counter_marks(
    version, facts=None, *, sheets: int = 1, issued_on=None, bring_all: bool = False
) -> list:
    """The checklist of `version` marked the way a specialist at the counter satisfies it
    (`cases.intake`): every line that applies brought — or «запрашивает учреждение» where the office
    obtains it —, one member of each «one of» group (the rest left for the rules to grey out), and
    «не требуется» on lines that do not apply to these facts. `bring_all`: the applicant brings even
    what the office could obtain itself (no interagency request is opened)."""
    import datetime as dt

    from django.utils import timezone

    from cases import intake
    from cases.services import DocumentMark

    facts = facts or intake.Facts()
    today = timezone.localdate()
    if hasattr(version, "version_on"):  # a Service: its version in force today
        version = version.version_on(today)
    lines = list(version.documents.select_related("document_type"))
    statuses = intake.satisfying_marks(lines, facts, bring_all=bring_all)
    marks = []
    for rd in lines:
        status = statuses.get(rd.pk)
        if status == intake.BROUGHT:
            issued = issued_on or (today - dt.timedelta(days=1) if rd.valid_months else None)
            marks.append(DocumentMark(rd, status, form=rd.form, sheets=sheets, issued_on=issued))
        elif status:
            marks.append(DocumentMark(rd, status))
    return marks


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application accepted at the counter (`cases.services.register_application`): numbered,
    its deadline counted, its interagency requests opened, with history. `actor` is required;
    `service` is a code or a Service; `facts` (cases.intake.Facts) decide which lines apply."""

    class Meta:
        model = "cases.Application"

    actor = None
    applicant = factory.SubFactory(
        ApplicantFactory, office=factory.SelfAttribute("..actor.office"), snils=""
    )
    service = "edv-veterans"

    @classmethod
    def _create(cls, model_class, *, actor, applicant, service, facts=None, **kwargs):
        from django.utils import timezone

        from cases import services
        from services.models import Service

        if not isinstance(service, Service):
            service = Service.objects.get(code=service)
        day = kwargs["received_at"].date() if kwargs.get("received_at") else timezone.localdate()
        kwargs.setdefault("consent_given", True)
        return services.register_application(
            applicant, service, actor=actor,
            marks=counter_marks(service.version_on(day), facts), **kwargs,
        )  # fmt: skip


class EntitlementFactory(factory.django.DjangoModelFactory):
    """A measure (назначенная мера) of a person, in their case file (opened if there is none)."""

    class Meta:
        model = "cases.Entitlement"

    applicant = factory.SubFactory(ApplicantFactory, snils="")
    office = factory.SelfAttribute("applicant.office")
    service = "asp"
    start_date = factory.LazyFunction(lambda: __import__("datetime").date(2025, 1, 1))
    actor = None

    @classmethod
    def _create(cls, model_class, *, actor=None, service, **kwargs):
        from cases.services import ensure_case_file
        from services.models import Service

        if not isinstance(service, Service):
            service = Service.objects.get(code=service)
        if "case_file" not in kwargs:
            kwargs["case_file"] = ensure_case_file(kwargs["applicant"], actor=actor)
        return model_class.objects.create(service=service, **kwargs)


class IncomingRequestFactory(factory.django.DjangoModelFactory):
    """A request about a person from another district or region, registered by `actor`
    (`cases.requests.register_incoming_request`: numbered, its due date counted)."""

    class Meta:
        model = "cases.IncomingRequest"

    actor = None
    last_name = "Запросова"

    @classmethod
    def _create(cls, model_class, *, actor, last_name, office=None, **overrides):
        import datetime as dt

        from django.utils import timezone

        from cases.models import RequestKind
        from cases.requests import register_incoming_request

        today = timezone.localdate()
        data = {
            "kind": RequestKind.objects.order_by("pk").first(),
            "sender": "ЦСЗН по Дзержинскому району",
            "sender_number": "15-01/77",
            "sender_date": today - dt.timedelta(days=2),
            "received_on": today,
            "subject_name": f"{last_name} Ирина Петровна",
            "question": "Сведения о получаемых мерах",
        } | overrides
        return register_incoming_request(**data, actor=actor, office=office)


class OutgoingRequestFactory(factory.django.DjangoModelFactory):
    """Our request to another office of the installation about one of our applicants."""

    class Meta:
        model = "cases.OutgoingRequest"

    actor = None
    to_office = None
    applicant = factory.SubFactory(
        ApplicantFactory, office=factory.SelfAttribute("..actor.office"), snils=""
    )
    question = "Получал ли меры в вашем районе?"

    @classmethod
    def _create(cls, model_class, *, actor, to_office, applicant, question, kind=None):
        from cases.models import RequestKind
        from cases.requests import send_request_to_office

        return send_request_to_office(
            actor=actor, to_office=to_office, kind=kind or RequestKind.objects.order_by("pk").first(),
            applicant=applicant, question=question,
        )  # fmt: skip


def _shipped_profile(kind: str):
    from reconciliation.models import ExtractProfile

    return ExtractProfile.objects.filter(kind=kind).order_by("pk").first()


class ReconciliationRunFactory(factory.django.DjangoModelFactory):
    """A finished run of the office's extract of `kind` (the shipped profile)."""

    class Meta:
        model = "reconciliation.ReconciliationRun"

    office = factory.SubFactory(OfficeFactory)
    kind = "deaths"
    profile = factory.LazyAttribute(
        lambda run: (
            __import__("reconciliation.models")
            .models.ExtractProfile.objects.filter(kind=run.kind)
            .first()
        )
    )
    source = factory.SelfAttribute("profile.source")
    file_name = factory.LazyAttribute(lambda run: f"{run.kind}.csv")
    file_path = ""
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    status = "done"


class SelectionFactory(factory.django.DjangoModelFactory):
    """An open selection item of a run (a confident СНИЛС match suggesting to stop the measures)."""

    class Meta:
        model = "reconciliation.Selection"

    office = factory.SubFactory(OfficeFactory)
    run = factory.SubFactory(
        ReconciliationRunFactory, office=factory.SelfAttribute("..office"),
        kind=factory.SelfAttribute("..kind"),
    )  # fmt: skip
    applicant = factory.SubFactory(
        ApplicantFactory, office=factory.SelfAttribute("..office"), snils=""
    )
    kind = "deaths"
    source = factory.SelfAttribute("run.source")
    match = "snils"
    suggested_action = "stop"
    services = factory.LazyFunction(lambda: ["asp"])
    # the event four days before today (the suite's frozen day)
    evidence = factory.LazyAttribute(
        lambda item: [{"run": item.run.pk, "row": 2, "event_date": _days_ago(4).isoformat()}]
    )


# what `archive.services.register_file` takes; ArchivedFileFactory sets the rest afterwards
_REGISTER_FILE_ARGS = {
    "archive_number", "nomenclature_index", "sheets", "title", "start_date", "end_date",
    "event_date", "volumes",
}  # fmt: skip


def _storage_box(office):
    """The office's box «К-1» in room «101» (made on first use): where a file goes unless the
    test places it."""
    from archive.models import Location

    room, _ = Location.objects.get_or_create(office=office, kind="room", name="101", parent=None)
    box, _ = Location.objects.get_or_create(office=office, kind="box", name="К-1", parent=room)
    return box


class ArchivedFileFactory(factory.django.DjangoModelFactory):
    """A case file taken into the archive by `actor` (`archive.services.register_file`): the
    person's case file (opened on the file's start date), checked against the archive's rules,
    the retention counted from the deregistration date, the case file marked archived, with
    history. `retention_rule` is a code or a RetentionRule; `location` a box (the office's «К-1»
    in room «101» when not given). States the archive never takes a file in with (`status`
    issued or destroyed, `legal_hold`, a fixed `eligible_from` or `registered_at`) are set on the
    row after the registration."""

    class Meta:
        model = "archive.ArchivedFile"

    actor = None
    applicant = factory.SubFactory(
        ApplicantFactory, office=factory.SelfAttribute("..actor.office"), snils="",
        last_name="Архивов",
    )  # fmt: skip
    archive_number = factory.Sequence(lambda n: f"А-{n + 1}")
    retention_rule = "benefit-recipient"
    location = None
    nomenclature_index = "07-15"
    sheets = 5
    title = factory.LazyAttribute(lambda f: f"Личное дело {f.applicant.last_name}")
    start_date = factory.LazyFunction(lambda: __import__("datetime").date(2015, 1, 1))
    end_date = factory.LazyFunction(lambda: __import__("datetime").date(2020, 6, 1))
    event_date = factory.SelfAttribute("end_date")

    @classmethod
    def _create(cls, model_class, *, actor, applicant, retention_rule, location, **kwargs):
        from archive.models import RetentionRule
        from archive.services import register_file
        from cases.services import ensure_case_file

        if not isinstance(retention_rule, RetentionRule):
            retention_rule = RetentionRule.objects.get(code=retention_rule)
        after = {key: kwargs.pop(key) for key in list(kwargs) if key not in _REGISTER_FILE_ARGS}
        case_file = ensure_case_file(applicant, actor=actor, on=kwargs["start_date"])
        item = register_file(
            case_file, actor=actor, retention_rule=retention_rule,
            location=location or _storage_box(applicant.office), **kwargs,
        )  # fmt: skip
        if after:
            model_class.objects.filter(pk=item.pk).update(**after)
            item.refresh_from_db()
        return item


class InteragencyRequestFactory(factory.django.DjangoModelFactory):
    """An interagency request as the counter opens it: an application registered by `actor`
    (ApplicationFactory, `cases.services.register_application`) for `service`, its checklist
    marked as a specialist marks it (`counter_marks`), so each line the office obtains itself
    (`RequiredDocument.interagency`) is «запрашивает учреждение» and its request goes out. The
    request of that line; `document_type` (a code or a DocumentType) picks the line when the
    checklist has several. `application__…` reaches ApplicationFactory."""

    class Meta:
        model = "cases.InteragencyRequest"

    actor = None
    service = "edv-veterans"
    document_type = None
    application = factory.SubFactory(
        ApplicationFactory, actor=factory.SelfAttribute("..actor"),
        service=factory.SelfAttribute("..service"),
    )  # fmt: skip

    @classmethod
    def _create(cls, model_class, *, actor, service, application, document_type=None):
        requests = model_class.objects.filter(
            application=application, document__required_document__interagency=True
        ).order_by("document__required_document__order", "pk")
        if document_type is not None:
            code = getattr(document_type, "code", document_type)
            requests = requests.filter(document__document_type__code=code)
        request = requests.select_related("document", "agency").first()
        if request is None:
            raise ValueError(
                f"the checklist of {application.service.code} has no line the office obtains"
                f"{f' of type {document_type}' if document_type else ''}"
            )
        return request
