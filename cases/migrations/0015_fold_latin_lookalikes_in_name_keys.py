"""Name keys fold Latin look-alikes now («Сидopова» with Latin o, p is «сидорова»): recompute the
keys of the applicants whose names hold Latin letters, so the namesake check and the search
find them beside the Cyrillic spelling. Derived fields only: no history rows."""

import re

from django.db import migrations
from django.db.models import Q

# Frozen copy of onewindow.identity.normalize_name as of this migration.
LOOKALIKES = str.maketrans("aebcohkmptxy", "аевсонкмртху")
SPACES = re.compile(r"\s+")


def _name(value):
    value = (value or "").replace("-", " ").replace("‐", " ").casefold().replace("ё", "е")
    return SPACES.sub(" ", value).strip().translate(LOOKALIKES)


def _key(*parts):
    return " ".join(p for p in (_name(part) for part in parts) if p)


def forward(apps, schema_editor):
    Applicant = apps.get_model("cases", "Applicant")
    NameKey = apps.get_model("cases", "NameKey")
    latin = (
        Q(last_name__regex=r"[A-Za-z]")
        | Q(first_name__regex=r"[A-Za-z]")
        | Q(middle_name__regex=r"[A-Za-z]")
    )
    surnames = set()
    for person in (
        Applicant.objects.filter(latin).only("last_name", "first_name", "middle_name").iterator()
    ):
        last_key = _key(person.last_name)
        initials = "".join(k[0] for k in (_key(person.first_name), _key(person.middle_name)) if k)
        Applicant.objects.filter(pk=person.pk).update(
            name_key=_key(person.last_name, person.first_name, person.middle_name),
            last_name_key=last_key,
            initials=initials,
        )
        if last_key:
            surnames.add(last_key)
    NameKey.objects.bulk_create(
        [NameKey(key=k) for k in surnames], ignore_conflicts=True, batch_size=5000
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_person_name_validator")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
