"""Regulation change files: the validation matrix, the difference, applying and resolution."""

import datetime
import itertools
import json

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import timezone

from services.models import DocumentType, Regulation, RegulationLoad, Service, ServiceVersion
from services.regulations import (
    RegulationFileError,
    apply_plan,
    build_plan,
    parse_change,
)
from tests.factories import counter_marks

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """The frozen day of the test (read when the test runs, never at import)."""
    return timezone.localdate()


def in_a_week() -> datetime.date:
    return today() + datetime.timedelta(days=7)


def change_doc(**overrides) -> dict:
    doc = {
        "regulation": {
            "kind": "приказ",
            "number": "245",
            "date": today().isoformat(),
            "title": "О внесении изменений в административный регламент",
            "issued_by": "Комитет социальной защиты населения Волгоградской области",
        },
        "effective_from": in_a_week().isoformat(),
        "services": [
            {
                "code": "edv-veterans",
                "action": "change",
                "deadline_days": 7,
                "add_documents": [{"code": "photo-3x4", "form": "original"}],
            }
        ],
    }
    doc.update(overrides)
    return doc


def as_yaml(doc) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()


def errors_of(data: bytes, name="change.yaml") -> list[str]:
    with pytest.raises(RegulationFileError) as info:
        build_plan(parse_change(data, name))
    return info.value.errors


def counts():
    return (
        Service.objects.count(),
        ServiceVersion.objects.count(),
        Regulation.objects.count(),
        DocumentType.objects.count(),
        RegulationLoad.objects.count(),
    )


# --- The validation matrix: each error message, nothing written ------------------------------


def service_with(**fields) -> dict:
    return change_doc(services=[{"code": "edv-veterans", "action": "change", **fields}])


@pytest.mark.parametrize(
    "doc,expected",
    [
        (
            lambda: service_with(add_documents=[{"code": "pasport"}]),
            "services[0].add_documents[0].code: неизвестный тип документа «pasport»",
        ),
        (
            lambda: change_doc(
                services=[{"code": "asp", "documents": ["passport", "snils", {"code": "pasport"}]}]
            ),
            "services[0].documents[2].code: неизвестный тип документа «pasport»",
        ),
        (
            lambda: change_doc(services=[{"code": "no-such-service", "deadline_days": 5}]),
            "services[0].code: неизвестная услуга «no-such-service»; чтобы добавить новую услугу, укажите action: add",
        ),
        (
            lambda: change_doc(
                services=[{"code": "asp", "documents": ["passport", "snils", "passport"]}]
            ),
            "services[0].documents[2].code: документ «passport» указан дважды (см. services[0].documents[0])",
        ),
        (
            lambda: service_with(deadline_days=-5),
            "services[0].deadline_days: срок должен быть целым положительным числом дней, получено «-5»",
        ),
        (
            lambda: service_with(deadline_days=0),
            "services[0].deadline_days: срок должен быть целым положительным числом дней, получено «0»",
        ),
        (
            lambda: service_with(deadline_days=2.5),
            "services[0].deadline_days: срок должен быть целым положительным числом дней, получено «2.5»",
        ),
        (
            lambda: service_with(deadline_days="десять"),
            "services[0].deadline_days: срок должен быть целым положительным числом дней, получено «десять»",
        ),
        (
            lambda: service_with(deadine_days=10),
            "services[0].deadine_days: неизвестное поле",
        ),
        (
            lambda: change_doc(
                regulation={"kind": "приказ", "date": "2026-11-01", "title": "О внесении"}
            ),
            "regulation.number: обязательное поле",
        ),
        (
            lambda: change_doc(
                regulation={"kind": "указ", "number": "1", "date": "2026-11-01", "title": "О"}
            ),
            "regulation.kind: неизвестный вид акта «указ»: допустимо административный регламент, закон, постановление, приказ, распоряжение",
        ),
        (
            lambda: change_doc(effective_from="2026-13-01"),
            "effective_from: неверная дата «2026-13-01»: ожидается ГГГГ-ММ-ДД",
        ),
        (
            lambda: change_doc(
                services=[
                    {"code": "asp", "deadline_days": 9},
                    {
                        "code": "asp",
                        "deadline_days": 8,
                        "effective_from": (in_a_week() + datetime.timedelta(days=3)).isoformat(),
                    },
                ]
            ),
            "services[1]: период действия пересекается с services[0] для услуги «asp»",
        ),
        (
            lambda: service_with(effective_to=today().isoformat()),
            "services[0].effective_to: дата окончания раньше даты вступления в силу",
        ),
        (
            lambda: change_doc(
                services=[{"code": "new-service", "action": "add", "title": "Новая услуга"}]
            ),
            "services[0].deadline_days: обязательное поле для новой услуги",
        ),
        (
            lambda: change_doc(
                services=[
                    {"code": "new-service", "action": "add", "title": "Новая", "deadline_days": 5}
                ]
            ),
            "services[0].documents: для новой услуги нужен перечень документов",
        ),
        (
            lambda: service_with(remove_documents=["photo-3x4"]),
            "services[0].remove_documents[0]: документа «photo-3x4» нет в перечне услуги «edv-veterans»",
        ),
        (
            lambda: service_with(add_documents=["passport"]),
            "services[0].add_documents[0].code: документ «passport» уже есть в перечне услуги «edv-veterans»",
        ),
        (
            lambda: service_with(documents=["passport"], add_documents=["snils"]),
            "services[0]: укажите либо documents (весь перечень), либо add_documents/remove_documents",
        ),
        (
            lambda: service_with(allow_incomplete="да"),
            "services[0].allow_incomplete: ожидается true или false, получено «да»",
        ),
        (
            lambda: change_doc(services=[{"code": "Пособие", "deadline_days": 5}]),
            "services[0].code: неверный код «Пособие»: допустимы строчные латинские буквы, цифры и дефис",
        ),
        (
            lambda: {
                "services": [{"code": "asp", "deadline_days": 5}],
                "effective_from": in_a_week().isoformat(),
            },
            "regulation: обязательное поле: изменение услуг вносится нормативным актом",
        ),
    ],
)
def test_invalid_file_is_refused_with_the_error_at_its_path(catalogue, doc, expected):
    # the documents are built when the test runs (under the frozen clock), not at collection
    before = counts()
    assert expected in errors_of(as_yaml(doc()))
    assert counts() == before


def test_every_error_of_a_file_is_listed_at_once(catalogue):
    doc = change_doc(
        services=[
            {"code": "asp", "deadline_days": -1},
            {"code": "edv-veterans", "add_documents": ["pasport"]},
        ]
    )
    errors = errors_of(as_yaml(doc))
    assert len(errors) == 2
    assert errors[0].startswith("services[0].deadline_days")
    assert errors[1].startswith("services[1].add_documents[0].code")


@pytest.mark.parametrize(
    "data,name,expected",
    [
        (b"", "x.yaml", "файл пуст"),
        (b"   \n\n", "x.yaml", "файл пуст"),
        (b"# only a comment\n", "x.yaml", "файл пуст"),
        (
            "regulation: приказ".encode("cp1251"),
            "x.yaml",
            "файл не в кодировке UTF-8 (неверный байт 0xEF в позиции 12); сохраните файл в UTF-8",
        ),
        (
            b"services:\n  - code: asp\n   deadline_days: 5\n",
            "x.yaml",
            "строка 3, столбец 4: ошибка YAML:",
        ),
        (b'{"services": [}', "x.json", "строка 1, столбец 15: ошибка JSON: ожидается значение"),
        (
            b"- a\n- b\n",
            "x.yaml",
            "ожидается описание изменения (поля regulation, effective_from, services), получено: список",
        ),
        (
            b"\x00\x01" * (5 * 1024 * 1024),
            "junk.yaml",
            "файл слишком большой: 10,0 МБ (допустимо не более 2 МБ)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.yaml", "файл не в кодировке UTF-8"),
    ],
)
def test_unreadable_files_are_refused_with_a_russian_reason(catalogue, data, name, expected):
    errors = errors_of(data, name)
    assert len(errors) == 1
    assert errors[0].startswith(expected)


def test_json_file_with_the_same_schema_loads(catalogue):
    plan = build_plan(parse_change(json.dumps(change_doc()).encode(), "change.json"))
    assert plan.diff["summary"]["changed"] == 1


# --- The difference -------------------------------------------------------------------------


def test_diff_lists_changed_fields_and_documents(catalogue):
    plan = build_plan(parse_change(as_yaml(change_doc())))
    assert plan.has_changes and not plan.backdated
    [item] = plan.diff["services"]
    assert item["status"] == "changed"
    assert {
        "field": "срок принятия решения",
        "old": "10 рабочих дней",
        "new": "7 рабочих дней",
    } in item["changes"]
    assert [d["code"] for d in item["documents"]["added"]] == ["photo-3x4"]
    assert item["documents"]["added"][0]["detail"] == "подлинник, обязательно"
    assert (
        item["closes_version"]["last_day"] == (in_a_week() - datetime.timedelta(days=1)).isoformat()
    )
    assert plan.diff["regulation"]["status"] == "new"


def test_diff_of_added_retired_and_changed_documents(catalogue):
    doc = change_doc(
        document_types=[{"code": "new-certificate", "title": "Новая справка", "interagency": True}],
        services=[
            {
                "code": "new-service", "action": "add", "title": "Новая услуга", "deadline_days": 5,
                "documents": ["passport", "new-certificate"],
            },
            {"code": "burial-service-refund", "action": "retire"},
            {"code": "asp", "documents": ["passport", {"code": "snils", "form": "original", "interagency": False}]},
        ]
    )  # fmt: skip
    plan = build_plan(parse_change(as_yaml(doc)))
    statuses = {item["code"]: item["status"] for item in plan.diff["services"]}
    assert statuses == {
        "new-service": "added",
        "burial-service-refund": "retired",
        "asp": "changed",
    }
    assert plan.diff["document_types"] == [
        {"code": "new-certificate", "title": "Новая справка", "status": "added"}
    ]
    asp = plan.diff["services"][2]
    assert {d["code"] for d in asp["documents"]["removed"]} >= {"income-certificate"}
    [snils] = asp["documents"]["changed"]
    assert {"field": "межведомственный запрос", "old": "да", "new": "нет"} in snils["changes"]
    new = plan.diff["services"][0]["documents"]["added"]
    assert new[1] == {
        "code": "new-certificate",
        "title": "Новая справка",
        "detail": "подлинник и копия, обязательно, запрашивает учреждение",
    }


# --- Applying and resolution ----------------------------------------------------------------


def apply(doc, **kwargs):
    plan = build_plan(parse_change(as_yaml(doc)))
    return apply_plan(plan, file_name="change.yaml", content="…", sha256="0" * 64, **kwargs)


def test_applied_change_takes_effect_from_its_date_and_keeps_the_past(catalogue):
    service = Service.objects.get(code="edv-veterans")
    old = service.version_on(today())
    old_docs = list(old.documents.values_list("document_type__code", flat=True))
    load = apply(change_doc())
    assert load.status == "applied" and load.diff["summary"]["changed"] == 1

    old.refresh_from_db()
    assert old.deadline_days == 10
    assert list(old.documents.values_list("document_type__code", flat=True)) == old_docs
    assert old.effective_to == in_a_week() - datetime.timedelta(days=1)
    assert service.version_on(today()) == old
    assert service.version_on(in_a_week() - datetime.timedelta(days=1)) == old
    new = service.version_on(in_a_week())
    assert new != old and new.deadline_days == 7 and new.effective_to is None
    assert list(new.documents.values_list("document_type__code", flat=True)) == [
        *old_docs,
        "photo-3x4",
    ]
    assert new.regulation.number == "245"
    assert new.history.first().history_type == "+"


def test_loading_the_same_file_twice_reports_no_changes_and_writes_nothing(catalogue):
    apply(change_doc())
    before = counts()
    plan = build_plan(parse_change(as_yaml(change_doc())))
    assert not plan.has_changes
    assert apply_plan(plan) is None
    assert counts() == before


def test_one_version_in_force_per_day_after_several_changes(catalogue):
    apply(change_doc())
    later = in_a_week() + datetime.timedelta(days=30)
    apply(
        change_doc(
            effective_from=later.isoformat(),
            services=[{"code": "edv-veterans", "deadline_days": 5}],
        )
    )
    # a change between the two: ends the day before the later one
    middle = in_a_week() + datetime.timedelta(days=10)
    apply(
        change_doc(
            effective_from=middle.isoformat(),
            services=[{"code": "edv-veterans", "deadline_days": 6}],
        )
    )
    service = Service.objects.get(code="edv-veterans")
    periods = list(
        service.versions.order_by("effective_from").values_list("effective_from", "effective_to")
    )
    for (_start, end), (next_start, _) in itertools.pairwise(periods):
        assert end == next_start - datetime.timedelta(days=1)
    day = today()
    while day < later + datetime.timedelta(days=5):
        in_force = [v for v in service.versions.all() if v.is_in_force(day)]
        assert len(in_force) == 1, day
        day += datetime.timedelta(days=1)
    assert service.version_on(middle).deadline_days == 6
    assert service.version_on(later).deadline_days == 5


def test_backdated_change_needs_explicit_confirmation(catalogue):
    past = today() - datetime.timedelta(days=3)
    doc = change_doc(effective_from=past.isoformat())
    plan = build_plan(parse_change(as_yaml(doc)))
    assert plan.backdated
    before = counts()
    with pytest.raises(RegulationFileError, match="подтвердите изменение задним числом"):
        apply_plan(plan)
    assert counts() == before
    apply(doc, allow_past=True)
    assert Service.objects.get(code="edv-veterans").version_on(past).deadline_days == 7


def test_version_referenced_by_applications_is_never_altered(catalogue, monkeypatch):
    apply(change_doc())
    new = Service.objects.get(code="edv-veterans").version_on(in_a_week())
    monkeypatch.setattr(ServiceVersion, "is_referenced", lambda self: self.pk == new.pk)
    doc = change_doc(services=[{"code": "edv-veterans", "deadline_days": 3}])
    assert (
        "services[0]: редакция услуги «edv-veterans» с "
        f"{in_a_week():%d.%m.%Y} уже используется заявлениями и не может быть изменена; "
        "укажите другую дату вступления в силу"
    ) in errors_of(as_yaml(doc))
    new.refresh_from_db()
    assert new.deadline_days == 7


def test_unreferenced_version_of_the_same_day_is_replaced(catalogue):
    apply(change_doc())
    apply(change_doc(services=[{"code": "edv-veterans", "deadline_days": 3}]))
    service = Service.objects.get(code="edv-veterans")
    assert service.versions.filter(effective_from=in_a_week()).count() == 1
    assert service.version_on(in_a_week()).deadline_days == 3


def test_retired_service_has_no_version_from_the_date(catalogue):
    apply(change_doc(services=[{"code": "burial-service-refund", "action": "retire"}]))
    service = Service.objects.get(code="burial-service-refund")
    assert service.version_on(in_a_week() - datetime.timedelta(days=1)) is not None
    assert service.version_on(in_a_week()) is None
    assert "не действует" in errors_of(
        as_yaml(change_doc(effective_from=(in_a_week() + datetime.timedelta(days=1)).isoformat(),
                           services=[{"code": "burial-service-refund", "action": "retire"}]))
    )[0]  # fmt: skip


def test_stale_preview_is_refused(catalogue):
    from services.regulations import StalePreviewError

    plan = build_plan(parse_change(as_yaml(change_doc())))
    apply(change_doc(services=[{"code": "edv-veterans", "deadline_days": 4}]))
    with pytest.raises(StalePreviewError, match="Каталог изменился после предпросмотра"):
        apply_plan(plan)


# --- Command line -----------------------------------------------------------------------------


def test_cli_dry_run_prints_the_difference_and_writes_nothing(catalogue, tmp_path, capsys):
    path = tmp_path / "change.yaml"
    path.write_bytes(as_yaml(change_doc()))
    before = counts()
    call_command("load_regulations", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Услуга edv-veterans «Ежемесячная денежная выплата ветеранам»: изменена" in out
    assert "срок принятия решения: 10 рабочих дней → 7 рабочих дней" in out
    assert "+ документ photo-3x4" in out
    assert "Пробный запуск (--dry-run): ничего не записано." in out
    assert counts() == before


def test_cli_applies_and_then_reports_no_changes(catalogue, tmp_path, capsys):
    path = tmp_path / "change.yaml"
    path.write_bytes(as_yaml(change_doc()))
    call_command("load_regulations", str(path))
    assert "Применено: загрузка №" in capsys.readouterr().out
    load = RegulationLoad.objects.order_by("pk").last()
    assert (load.source, load.status, load.file_name) == ("cli", "applied", "change.yaml")
    call_command("load_regulations", str(path))
    assert "изменений нет: ничего не записано" in capsys.readouterr().out


def test_cli_exits_non_zero_with_every_error(catalogue, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(as_yaml(service_with(deadline_days=-5, add_documents=["pasport"])))
    with pytest.raises(CommandError) as info:
        call_command("load_regulations", str(path))
    message = str(info.value)
    assert "Файл bad.yaml не загружен, ошибок: 2" in message
    assert "services[0].add_documents[0].code: неизвестный тип документа «pasport»" in message


def test_cli_refuses_a_backdated_change_without_allow_past(catalogue, tmp_path):
    path = tmp_path / "past.yaml"
    path.write_bytes(
        as_yaml(change_doc(effective_from=(today() - datetime.timedelta(days=1)).isoformat()))
    )
    with pytest.raises(CommandError, match="--allow-past"):
        call_command("load_regulations", str(path))
    call_command("load_regulations", str(path), "--allow-past")


def test_documented_example_loads_against_the_shipped_catalogue(catalogue, capsys):
    from django.conf import settings

    example = settings.BASE_DIR / "docs" / "examples" / "regulation-change.yaml"
    call_command("load_regulations", str(example), "--dry-run", "--allow-past")
    out = capsys.readouterr().out
    assert "Услуга veteran-certificate" in out and "выводится" in out


# --- The documented example: loads twice as «изменений нет», on any day ----------------------


def example_path():
    from django.conf import settings

    return settings.BASE_DIR / "docs" / "examples" / "regulation-change.yaml"


def test_documented_example_loaded_twice_says_no_changes_and_writes_nothing(catalogue, capsys):
    call_command("load_regulations", str(example_path()))
    assert "Применено" in capsys.readouterr().out
    before = counts()
    call_command("load_regulations", str(example_path()))
    out = capsys.readouterr().out
    assert "изменений нет: ничего не записано" in out
    assert "не действует" not in out
    assert counts() == before


def test_a_retirement_loaded_again_is_unchanged(catalogue):
    doc = change_doc(services=[{"code": "burial-service-refund", "action": "retire"}])
    apply(doc)
    before = counts()
    plan = build_plan(parse_change(as_yaml(doc)))
    assert not plan.has_changes
    assert plan.diff["summary"]["unchanged"] == 1
    assert counts() == before


def accept_veteran_certificate(office, specialist):
    from cases import services as case_services
    from tests.factories import ApplicantFactory

    version = Service.objects.get(code="veteran-certificate").version_on(today())
    marks = counter_marks(version)
    return case_services.register_application(
        ApplicantFactory(office=office), version.service, actor=specialist, marks=marks
    )


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 6, 1, 9, 0),
        datetime.datetime(2026, 12, 1, 9, 0),  # the day the example's own date takes effect
        datetime.datetime(2027, 3, 15, 9, 0),
        datetime.datetime(2031, 9, 2, 9, 0),
    ],
)
def test_documented_example_loads_on_a_fresh_installation_on_any_day(
    catalogue, freeze_now, office, specialist, capsys, moment
):
    """The example's date is the act's; `--effective-from завтра` lets it load on any day, even
    after an application was accepted that morning, without weakening the rule for real data."""
    freeze_now(moment)
    application = accept_veteran_certificate(office, specialist)
    freeze_now(moment.replace(hour=12))
    call_command("load_regulations", str(example_path()), "--effective-from", "завтра")
    assert "Применено" in capsys.readouterr().out
    tomorrow = today() + datetime.timedelta(days=1)
    service = Service.objects.get(code="veteran-certificate")
    assert service.version_on(tomorrow).deadline_days == 12
    assert service.version_on(today()) == application.service_version
    assert Service.objects.get(code="burial-service-refund").version_on(tomorrow) is None
    call_command("load_regulations", str(example_path()), "--effective-from", "завтра")
    assert "изменений нет" in capsys.readouterr().out


def test_the_rule_still_refuses_a_change_from_a_day_applications_were_accepted(
    catalogue, freeze_now, office, specialist
):
    freeze_now(datetime.datetime(2026, 12, 1, 9, 0))
    accept_veteran_certificate(office, specialist)
    freeze_now(datetime.datetime(2026, 12, 1, 12, 0))
    before = counts()
    with pytest.raises(CommandError) as info:
        call_command("load_regulations", str(example_path()))
    assert "уже приняты заявления, зарегистрированные 01.12.2026 или позже" in str(info.value)
    assert counts() == before


def test_effective_from_option_refuses_a_bad_date(catalogue):
    with pytest.raises(CommandError, match=r"--effective-from: неверная дата «01\.13\.2026»"):
        call_command("load_regulations", str(example_path()), "--effective-from", "01.13.2026")
