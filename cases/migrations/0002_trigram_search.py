"""Typo-tolerant counter search on PostgreSQL: pg_trgm GIN indexes on the normalised names.
Nothing to do on SQLite (the search falls back to rapidfuzz there)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS applicant_lastname_trgm ON cases_applicant USING gin (last_name_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS applicant_lastname_prefix ON cases_applicant (last_name_key text_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS applicant_lastname_trgm",
    "DROP INDEX IF EXISTS applicant_lastname_prefix",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
