"""Default data of the `services` app for `manage.py load_catalogue`: the shipped catalogue."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from services.regulations import apply_plan, build_plan, parse_change, sha256_of

CATALOGUE_DIR = Path(settings.BASE_DIR) / "fixtures" / "catalogue"


def load_defaults(write=print) -> dict:
    """Apply every file of fixtures/catalogue in name order; idempotent."""
    totals = {"files": 0, "applied": 0, "unchanged": 0}
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        data = path.read_bytes()
        change = parse_change(data, path.name)
        plan = build_plan(change)
        totals["files"] += 1
        if not plan.has_changes:
            totals["unchanged"] += 1
            continue
        apply_plan(
            plan,
            allow_past=True,  # the shipped catalogue describes acts in force since years ago
            file_name=f"fixtures/catalogue/{path.name}",
            content=data.decode("utf-8"),
            sha256=sha256_of(data),
            source="catalogue",
        )
        totals["applied"] += 1
    write(
        f"Каталог услуг: файлов {totals['files']}, применено {totals['applied']}, "
        f"без изменений {totals['unchanged']}"
    )
    return totals
