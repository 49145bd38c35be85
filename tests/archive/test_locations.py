import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from archive import services
from archive.models import Location

pytestmark = pytest.mark.django_db


def test_a_place_is_added_with_its_history_naming_the_archivist(archivist):
    room = services.create_location(actor=archivist, kind="room", name="101")
    box = services.create_location(
        actor=archivist, kind="box", name="К-1", parent=room, capacity=30
    )
    assert box.office == archivist.office and box.path.endswith("К-1")
    assert box.history.get().history_user == archivist


def test_a_rack_without_its_room_is_refused_at_the_parent_field(archivist):
    with pytest.raises(services.ArchiveError) as refusal:
        services.create_location(actor=archivist, kind="rack", name="2")
    assert refusal.value.field == "parent"
    assert "Укажите, куда входит это место" in refusal.value.message
    assert not Location.objects.exists()


def test_the_same_designation_in_the_same_place_is_refused(archivist):
    room = services.create_location(actor=archivist, kind="room", name="101")
    services.create_location(actor=archivist, kind="rack", name="1", parent=room)
    with pytest.raises(services.ArchiveError) as refusal:
        services.create_location(actor=archivist, kind="rack", name="1", parent=room)
    assert (refusal.value.field, refusal.value.message) == (
        "name",
        "Такое обозначение здесь уже есть.",
    )
    assert Location.objects.filter(parent=room).count() == 1


def test_another_offices_room_is_no_parent(archivist, other_office):
    theirs = Location.objects.create(office=other_office, kind="room", name="9")
    with pytest.raises(services.ArchiveError) as refusal:
        services.create_location(actor=archivist, kind="rack", name="1", parent=theirs)
    assert refusal.value.field == "parent"
    assert not Location.objects.filter(parent=theirs).exists()


def test_a_specialist_adds_no_place(specialist):
    with pytest.raises(PermissionDenied):
        services.create_location(actor=specialist, kind="room", name="101")
    assert not Location.objects.exists()


def test_the_page_shows_the_refusal_at_the_field_and_writes_nothing(client, archivist):
    client.force_login(archivist)
    page = client.post(reverse("archive:locations"), {"kind": "shelf", "name": "3"})
    assert page.status_code == 200
    assert "Укажите, куда входит это место" in page.context["form"].errors["parent"][0]
    assert not Location.objects.exists()
