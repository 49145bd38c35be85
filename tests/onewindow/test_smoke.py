"""Every role opens every section its navigation shows: no errors, Russian pages."""

import pytest
from django.urls import reverse

from onewindow import navigation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fixture", ["specialist", "chief", "archivist", "reg_admin", "director"])
def test_every_navigation_link_opens(client, request, fixture, catalogue):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    items = navigation.items_for(user)
    assert items, fixture
    for item in items:
        response = client.get(item["url"])
        assert response.status_code == 200, (fixture, item["url"], response.status_code)
        assert 'lang="ru"' in response.content.decode()
    for url in (reverse("calendar"), reverse("services:detail", args=["asp"]), reverse("my_work")):
        assert client.get(url).status_code == 200
