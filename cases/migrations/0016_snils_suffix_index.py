"""PostgreSQL: the counter finds a person by the last digits of the СНИЛС («445 95») through an
index on the reversed СНИЛС (`reverse(snils) LIKE '59544%'` is a prefix search), and by its first
nine digits through a prefix index, each within the office. Nothing to do on SQLite (a scan of one
office's applicants there)."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS applicant_office_snils_reversed ON cases_applicant (office_id, reverse(snils) text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS applicant_office_snils_prefix ON cases_applicant (office_id, snils text_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS applicant_office_snils_reversed",
    "DROP INDEX IF EXISTS applicant_office_snils_prefix",
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
    dependencies = [("cases", "0015_fold_latin_lookalikes_in_name_keys")]

    operations = [migrations.RunPython(forward, backward)]
