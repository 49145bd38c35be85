"""Archive benchmark: 5,000 archived files -> the destruction act and the inventory list PDFs.

    make bench-archive

Times the project's render (WeasyPrint for the head and the tail, the rows between drawn by
ReportLab in the same geometry; onewindow/registers.py) against a naive single WeasyPrint render
of the same document in the same run. Target: <= 10 s each.
"""

from __future__ import annotations

import datetime
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# bench/http.py is named like the standard library's `http`: this folder goes to the end of
# the import path (Python puts a script's own folder first), so `http` is the standard one.
_BENCH = str(ROOT / "bench")
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != _BENCH] + [_BENCH]

import counter  # noqa: E402  (the bench database)

N_FILES = int(__import__("os").environ.get("BENCH_FILES", "5000"))


def main() -> None:
    counter.ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from archive.models import (
        ArchivedFile,
        DestructionAct,
        DestructionItem,
        Location,
        RetentionRule,
    )
    from cases.models import CaseFile
    from onewindow.models import Office, User
    from onewindow.names import name_in

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", stdout=io.StringIO())
    office, _ = Office.objects.get_or_create(
        code="bench", defaults={"name": "ГКУ «ЦСЗН (бенчмарк)»", "short_name": "ЦСЗН (бенчмарк)"}
    )
    user, _ = User.objects.get_or_create(
        username="bench-archivist", defaults={"office": office, "last_name": "Архивова"}
    )
    counter.fill(office, user)
    rule = RetentionRule.objects.get(code="benefit-recipient")
    room, _ = Location.objects.get_or_create(
        office=office, parent=None, name="А", defaults={"kind": "room"}
    )
    box, _ = Location.objects.get_or_create(
        office=office, parent=room, name="Б-1", defaults={"kind": "box"}
    )
    if ArchivedFile.objects.filter(office=office).count() < N_FILES:
        ArchivedFile.objects.filter(office=office).delete()
        files = []
        for n, case_file in enumerate(
            CaseFile.objects.filter(office=office).select_related("applicant")[:N_FILES], start=1
        ):
            files.append(ArchivedFile(
                office=office, case_file=case_file, archive_number=f"{n:05d}", nomenclature_index="07-15", year=2019,
                sheets=20 + n % 80, title=f"Личное дело {name_in(case_file.applicant, 'genitive')}",
                start_date=datetime.date(2012, 1, 1), end_date=datetime.date(2019, 12, 31),
                event_date=datetime.date(2019, 12, 31), retention_rule=rule, eligible_from=datetime.date(2025, 1, 1),
                location=box, registered_by=user,
            ))  # fmt: skip
        ArchivedFile.objects.bulk_create(files, batch_size=1000)
    files = list(ArchivedFile.objects.filter(office=office).order_by("archive_number")[:N_FILES])
    act = DestructionAct.objects.filter(office=office).first() or DestructionAct.objects.create(
        office=office, number=1, act_date=datetime.date(2026, 11, 24), compiled_by=user
    )
    if act.items.count() < N_FILES or act.items.exclude(retention=rule.act_reference).exists():
        act.items.all().delete()
        DestructionItem.objects.bulk_create([
            DestructionItem(act=act, archived_file=f, title=f.title, dates=f.dates_display, year=f.year,
                            inventory="опись за 2019 г.", index=f.nomenclature_index,
                            retention=rule.act_reference)
            for f in files
        ], batch_size=1000)  # fmt: skip
    from archive.documents import destruction_act_context, inventory_register
    from onewindow.registers import render_register

    act_context = destruction_act_context(act)
    documents = [
        ("акт о выделении к уничтожению", "archive/destruction_act_pdf.html", act_context, act_context["register"]),
        ("опись дел", "archive/inventory_pdf.html", {"year": 2019, "index": "07-15", "office": office}, inventory_register(files)),
    ]  # fmt: skip
    print(f"Дел: {len(files)}")
    ok = True
    for title, template, context, register in documents:
        started = time.perf_counter()
        ours = render_register(template, context, register)
        project = time.perf_counter() - started
        started = time.perf_counter()
        naive = render_register(template, context, register, fast=False)
        baseline = time.perf_counter() - started
        print(f"  {title}: проект {project:.1f} с ({len(ours) // 1024} КБ); WeasyPrint одним вызовом {baseline:.1f} с "
              f"({len(naive) // 1024} КБ); отношение {project / baseline:.2f}")  # fmt: skip
        ok &= project <= 10
    print("Цель (≤ 10 с на документ):", "выполнена" if ok else "НЕ выполнена")


if __name__ == "__main__":
    main()
