"""Default extract profiles for `manage.py load_catalogue` (the admin edits them afterwards)."""

from reconciliation.models import ExtractProfile

PROFILES = [
    {"name": "pfr-deaths", "title": "ПФР (СФР): сведения о смерти получателей", "source": "pfr", "kind": "deaths",
     "services": ["*"], "action": "stop", "encoding": "cp866"},
    {"name": "pfr-employment", "title": "ПФР (СФР): сведения о трудоустройстве (СЗВ-М, ЕФС-1)", "source": "pfr",
     "kind": "employment", "services": ["unemployed-mothers", "childcare-uninsured", "asp", "esp-single"],
     "action": "review", "encoding": "cp866"},
    {"name": "pfr-pension", "title": "ПФР (СФР): сведения о назначении пенсии", "source": "pfr", "kind": "pension",
     "services": ["unemployed-mothers", "childcare-uninsured", "asp", "food-subsidy"], "action": "review",
     "encoding": "cp866"},
    {"name": "czn-unemployed", "title": "ЦЗН: признанные безработными, получатели пособия по безработице",
     "source": "czn", "kind": "unemployed", "services": ["childcare-uninsured", "unemployed-mothers"],
     "action": "review", "encoding": "cp1251"},
    {"name": "czn-employment", "title": "ЦЗН: трудоустроенные граждане", "source": "czn", "kind": "employment",
     "services": ["unemployed-mothers", "childcare-uninsured"], "action": "review", "encoding": "cp1251"},
]  # fmt: skip


def load_defaults(write=print) -> dict:
    created = 0
    for data in PROFILES:
        _, was_created = ExtractProfile.objects.get_or_create(name=data["name"], defaults=data)
        created += was_created
    write(f"Профили выгрузок: {len(PROFILES)}, добавлено {created}")
    return {"created": created}


def default_profile(source: str, kind: str) -> ExtractProfile | None:
    return (
        ExtractProfile.objects.filter(source=source, kind=kind, is_active=True)
        .order_by("name")
        .first()
    )
