"""The regulations admin keeps the extract profiles in the admin site, with history; other roles
do not reach it."""

import pytest
from django.urls import reverse

from reconciliation.models import ExtractProfile

pytestmark = pytest.mark.django_db


def test_the_admin_edits_an_extract_profile_with_history(client, reg_admin, catalogue):
    reg_admin.is_staff = True
    reg_admin.save(update_fields=["is_staff"])
    profile = ExtractProfile.objects.filter(kind="deaths").first()
    client.force_login(reg_admin)
    listing = client.get(reverse("admin:reconciliation_extractprofile_changelist"))
    assert listing.status_code == 200 and profile.title in listing.content.decode()
    url = reverse("admin:reconciliation_extractprofile_change", args=[profile.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Чтение файла" in page.content.decode()
    form = page.context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        {
            "title": "Сведения о смерти (СФР), новая форма",
            "is_active": "on",
            "columns": '{"snils": ["СНИЛС"]}',
            "services": '["*"]',
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile.refresh_from_db()
    assert profile.title == "Сведения о смерти (СФР), новая форма"
    assert profile.history.first().history_user == reg_admin


def test_a_specialist_does_not_reach_the_admin_site(client, specialist):
    client.force_login(specialist)
    response = client.get(reverse("admin:reconciliation_extractprofile_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
