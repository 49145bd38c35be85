import datetime

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from onewindow.models import AccessLog
from services.models import RegulationLoad, Service
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """The frozen day of the test (read when the test runs, never at import)."""
    return timezone.localdate()


def in_a_week() -> datetime.date:
    return today() + datetime.timedelta(days=7)


def web_loads():
    return RegulationLoad.objects.filter(source="web")


def change_file(effective_from=None, name="change.yaml", **service) -> SimpleUploadedFile:
    effective_from = effective_from or in_a_week()
    doc = {
        "regulation": {
            "kind": "приказ",
            "number": "77-п",
            "date": today().isoformat(),
            "title": "О внесении изменений",
        },
        "effective_from": effective_from.isoformat(),
        "services": [
            service or {"code": "edv-veterans", "deadline_days": 7, "add_documents": ["photo-3x4"]}
        ],
    }
    return SimpleUploadedFile(name, yaml.safe_dump(doc, allow_unicode=True).encode())


def test_catalogue_list_is_searchable_with_a_typo(client, specialist, catalogue):
    client.force_login(specialist)
    html = client.get(reverse("services:list"), {"q": "ветиран труда"}).content.decode()
    assert "Удостоверение «Ветеран труда»" in html
    assert "Ежемесячная денежная выплата ветеранам" in html
    assert "Пособие на погребение" not in html
    html = client.get(reverse("services:list"), {"q": "asp"}).content.decode()
    assert 'href="/services/asp/"' in html
    html = client.get(reverse("services:list"), {"q": "zzzzzz"}).content.decode()
    assert "Ничего не найдено по запросу «zzzzzz»." in html


def test_search_results_come_as_an_htmx_partial(client, specialist, catalogue):
    client.force_login(specialist)
    response = client.get(reverse("services:list"), {"q": "погреб"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results" data-query="погреб">')
    assert "<html" not in html
    assert "burial-allowance" in html


def test_catalogue_list_query_count_is_fixed(
    client, specialist, catalogue, django_assert_max_num_queries
):
    client.force_login(specialist)
    # session, user, perms, groups, office, 2 data, «Мои дела» counters, session save
    from onewindow import work

    with django_assert_max_num_queries(11 + len(work.KINDS)):
        response = client.get(reverse("services:list"))
    assert response.content.decode().count('class="result-link"') == Service.objects.count()


def test_service_page_shows_checklist_deadline_basis_and_history(client, specialist, catalogue):
    client.force_login(specialist)
    html = client.get(reverse("services:detail", args=["edv-veterans"])).content.decode()
    assert "Ежемесячная денежная выплата ветеранам" in html
    assert "<strong>10 рабочих дней</strong> со дня регистрации заявления" in html
    assert "Паспорт гражданина Российской Федерации" in html
    assert "запрашивает учреждение" in html
    # the act cited with the body that issued it, «№» held to its number (the version in force
    # since 01.06.2022 rests on the Social Code, whose amendment brought «Житель осажденного Сталинграда»)
    assert (
        "Закон от 31.12.2015 №\u00a0246-ОД «Социальный кодекс Волгоградской области» "
        "(принят: Волгоградская областная Дума)" in html
    )
    assert "История редакций" in html


def test_memo_pdf_lists_what_to_bring_and_what_the_office_requests(client, specialist, catalogue):
    client.force_login(specialist)
    response = client.get(reverse("services:memo", args=["edv-veterans"]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "ПАМЯТКА ЗАЯВИТЕЛЮ" in text
    assert "Предоставление ежемесячной денежной выплаты ветеранам труда" in text
    assert "Какие документы принести" in text
    assert "Паспорт гражданина Российской Федерации" in text
    assert (
        "Учреждение запросит их само в других ведомствах (статья 7 Федерального закона от 27.07.2010 № 210-ФЗ"
        in text
    )
    assert "в течение 10 рабочих дней со дня регистрации заявления" in text
    assert "по Краснооктябрьскому району Волгограда" in text  # the office's letterhead


def test_admin_uploads_previews_and_confirms_a_change(client, reg_admin, catalogue):
    client.force_login(reg_admin)
    response = client.post(reverse("services:upload"), {"file": change_file()})
    load = web_loads().get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "services:load", args=[load.pk]
    )
    assert load.status == "preview"
    html = client.get(response["Location"]).content.decode()
    assert "Предпросмотр изменений" in html
    assert "прочитан: проверьте изменения и нажмите «Применить»." in html
    assert "изменяется" in html and "+ документ: Фотография размером 3×4 см" in html
    assert "срок принятия решения" in html and "7 рабочих дней" in html
    service = Service.objects.get(code="edv-veterans")
    assert service.version_on(in_a_week()).deadline_days == 10  # nothing applied yet

    html = client.post(reverse("services:load", args=[load.pk]), follow=True).content.decode()
    assert "Изменения применены." in html
    load.refresh_from_db()
    assert load.status == "applied" and load.applied_by == reg_admin
    assert service.version_on(in_a_week()).deadline_days == 7
    assert service.version_on(today()).deadline_days == 10
    # confirming twice writes nothing more
    html = client.post(reverse("services:load", args=[load.pk]), follow=True).content.decode()
    assert "эти изменения уже применены" in html
    assert service.versions.filter(effective_from=in_a_week()).count() == 1


def test_same_file_again_says_no_changes(client, reg_admin, catalogue):
    client.force_login(reg_admin)
    client.post(reverse("services:upload"), {"file": change_file()})
    client.post(reverse("services:load", args=[web_loads().get().pk]))
    response = client.post(reverse("services:upload"), {"file": change_file()}, follow=True)
    assert "изменений нет, ничего не записано" in response.content.decode()
    assert web_loads().count() == 1


def test_invalid_upload_lists_errors_and_writes_nothing(client, reg_admin, catalogue):
    client.force_login(reg_admin)
    bad = change_file(code="edv-veterans", deadline_days=-5, add_documents=["pasport"])
    html = client.post(reverse("services:upload"), {"file": bad}).content.decode()
    assert "Файл не загружен: ошибок 2." in html
    assert "services[0].add_documents[0].code: неизвестный тип документа «pasport»" in html
    assert "получено «-5»" in html
    assert not web_loads().exists()
    html = client.post(
        reverse("services:upload"), {"file": SimpleUploadedFile("data.csv", b"a;b")}
    ).content.decode()
    assert "Нужен файл .yaml, .yml или .json, получен «data.csv»." in html
    html = client.post(
        reverse("services:upload"), {"file": SimpleUploadedFile("e.yaml", b"")}
    ).content.decode()
    assert "Файл пуст." in html or "файл пуст" in html


def test_backdated_change_needs_the_checkbox(client, reg_admin, catalogue):
    client.force_login(reg_admin)
    yesterday = today() - datetime.timedelta(days=1)
    client.post(reverse("services:upload"), {"file": change_file(effective_from=yesterday)})
    load = web_loads().get()
    html = client.post(reverse("services:load", args=[load.pk])).content.decode()
    assert "Изменение вступает в силу задним числом: подтвердите это отметкой." in html
    assert Service.objects.get(code="edv-veterans").version_on(today()).deadline_days == 10
    client.post(reverse("services:load", args=[load.pk]), {"allow_past": "on"})
    assert Service.objects.get(code="edv-veterans").version_on(today()).deadline_days == 7


@pytest.mark.parametrize("fixture", ["specialist", "chief", "archivist", "director"])
def test_only_the_admin_may_load_regulations(client, request, fixture, catalogue):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    response = client.post(reverse("services:upload"), {"file": change_file()})
    assert response.status_code == 403
    assert "Недостаточно прав" in response.content.decode()
    assert not web_loads().exists()
    assert AccessLog.objects.filter(user=user, result="refused", event="forbidden").exists()


def test_chief_sees_a_preview_but_cannot_apply_it(client, reg_admin, chief, catalogue):
    client.force_login(reg_admin)
    client.post(reverse("services:upload"), {"file": change_file()})
    load = web_loads().get()
    client.force_login(chief)
    html = client.get(reverse("services:load", args=[load.pk])).content.decode()
    assert "Предпросмотр изменений" in html and "Применить изменения" not in html
    assert client.post(reverse("services:load", args=[load.pk])).status_code == 403
    load.refresh_from_db()
    assert load.status == "preview"


def test_the_documented_example_uploaded_twice_says_no_changes(client, reg_admin, catalogue):
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    example = (settings.BASE_DIR / "docs" / "examples" / "regulation-change.yaml").read_bytes()
    client.force_login(reg_admin)
    client.post(reverse("services:upload"), {"file": SimpleUploadedFile("example.yaml", example)})
    html = client.post(reverse("services:load", args=[web_loads().get().pk]), follow=True)
    assert "Изменения применены." in html.content.decode()
    html = client.post(
        reverse("services:upload"),
        {"file": SimpleUploadedFile("example.yaml", example)},
        follow=True,
    ).content.decode()
    assert "Файл «example.yaml»: изменений нет, ничего не записано." in html
    assert "не действует" not in html
    assert web_loads().count() == 1
