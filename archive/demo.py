"""The archive's demo data (`manage.py bootstrap_demo`, through `onewindow.demo`)."""

from __future__ import annotations

from archive.models import Location

DEMO_OFFICE = "krasnooktyabrsky"


def archive_places(offices: dict) -> None:
    """A room, a rack, a shelf and two boxes, so the archivist can take files in at once."""
    office = offices.get(DEMO_OFFICE)
    if office is None:
        return
    room, _ = Location.objects.get_or_create(
        office=office, parent=None, name="Архив, каб. 12", defaults={"kind": "room"}
    )
    rack, _ = Location.objects.get_or_create(
        office=office, parent=room, name="1", defaults={"kind": "rack"}
    )
    shelf, _ = Location.objects.get_or_create(
        office=office, parent=rack, name="1", defaults={"kind": "shelf"}
    )
    for name in ("К-1", "К-2"):
        Location.objects.get_or_create(
            office=office, parent=shelf, name=name, defaults={"kind": "box", "capacity": 50}
        )
