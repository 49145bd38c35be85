"""What a screen reader is told (issue 15): every error is linked to its field, every checklist
control is named by its document, the radio groups have a legend, search results are announced."""

import re

import pytest
from django.urls import reverse

from tests.counter import VALID

pytestmark = pytest.mark.django_db


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_every_aria_reference_on_the_applicant_form_with_errors_exists(
    client, specialist, catalogue
):
    client.force_login(specialist)
    html = client.post(
        reverse("cases:applicant_new"),
        {**VALID, "last_name": "", "birth_date": "31.02.x", "sex": ""},
    ).content.decode()
    ids = ids_in(html)
    references = re.findall(r'aria-(?:describedby|labelledby)="([^"]+)"', html)
    assert references  # the errors are referenced...
    for reference in references:
        for target in reference.split():
            assert target in ids, f"aria reference to a missing id «{target}»"  # ...and exist
    assert re.search(r'id="id_last_name_error"[^>]*>Укажите фамилию\.', html)
    assert 'aria-describedby="id_last_name_error"' in html
    assert re.search(r'<legend class="label">Пол</legend>', html)
    assert re.search(r'id="id_sex_error"[^>]*>Укажите пол\.', html)


def test_checklist_controls_are_named_by_their_document(client, specialist, applicant):
    client.force_login(specialist)
    html = client.get(
        reverse("cases:apply_form", args=[applicant.pk, "edv-veterans"])
    ).content.decode()
    ids = ids_in(html)
    rows = re.findall(r'<tr class="[^"]*">(.*?)</tr>', html, flags=re.S)
    assert rows
    for row in rows:
        title_id = re.search(r'<span id="(doc-\d+-title)">', row).group(1)
        assert f'role="radiogroup" aria-labelledby="{title_id}"' in row
        assert f'aria-labelledby="col-form {title_id}"' in row
        assert f'aria-labelledby="col-sheets {title_id}"' in row
    assert {"col-form", "col-sheets"} <= ids


def test_checklist_errors_are_linked_to_their_controls(client, specialist, applicant):
    client.force_login(specialist)
    url = reverse("cases:apply_form", args=[applicant.pk, "edv-veterans"])
    page = client.get(url).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    sheets = re.findall(r'name="(doc_\d+_sheets)"', page)
    html = client.post(url, {"idempotency_key": key, sheets[0]: "много"}).content.decode()
    ids = ids_in(html)
    for reference in re.findall(r'aria-describedby="([^"]+)"', html):
        for target in reference.split():
            assert target in ids, f"aria-describedby to a missing id «{target}»"
    assert f'id="id_{sheets[0]}_error"' in html


def test_search_results_are_swapped_inside_a_live_region(client, specialist, catalogue):
    client.force_login(specialist)
    html = client.get(reverse("cases:counter")).content.decode()
    assert re.search(r'<div class="results-live" aria-live="polite">\s*<div id="results"', html)
