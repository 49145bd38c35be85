"""PostgreSQL: the counter's name keys in the "C" collation, with one index that serves both
the surname-prefix filter (LIKE 'петров%') and the ORDER BY of the results, so a common prefix
on a million applicants reads ten index entries instead of sorting thousands of rows. The keys
are already lower case with ё folded to е, so code-point order is alphabetical.
Nothing to do on SQLite (its default collation is already binary)."""

from django.db import migrations

FORWARD = [
    'ALTER TABLE cases_applicant ALTER COLUMN last_name_key TYPE varchar(100) COLLATE "C"',
    'ALTER TABLE cases_applicant ALTER COLUMN name_key TYPE varchar(320) COLLATE "C"',
    "DROP INDEX IF EXISTS applicant_lastname_prefix",
    "CREATE INDEX IF NOT EXISTS applicant_office_name_order ON cases_applicant (office_id, last_name_key, name_key)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS applicant_office_name_order",
    'ALTER TABLE cases_applicant ALTER COLUMN last_name_key TYPE varchar(100) COLLATE "default"',
    'ALTER TABLE cases_applicant ALTER COLUMN name_key TYPE varchar(320) COLLATE "default"',
    "CREATE INDEX IF NOT EXISTS applicant_lastname_prefix ON cases_applicant (last_name_key text_pattern_ops)",
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
    dependencies = [("cases", "0003_requests")]

    operations = [migrations.RunPython(forward, backward)]
