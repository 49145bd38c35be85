"""Levenshtein distance in SQL for the set-based matching on PostgreSQL (reconciliation/fastpath.py).
Nothing to do on SQLite (the Python path matches there)."""

from django.db import migrations


def forward(apps, schema_editor):
    from django.db import DatabaseError, transaction

    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
    except DatabaseError:
        pass  # not allowed to this role: runs take the Python path (fastpath.usable checks)


class Migration(migrations.Migration):
    dependencies = [("reconciliation", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
