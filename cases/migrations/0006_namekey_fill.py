"""Fill the distinct-surname table from existing applicants; a trigram index on PostgreSQL."""

from django.db import migrations


def forward(apps, schema_editor):
    Applicant = apps.get_model("cases", "Applicant")
    NameKey = apps.get_model("cases", "NameKey")
    keys = Applicant.objects.exclude(last_name_key="").values_list("last_name_key", flat=True).distinct()
    NameKey.objects.bulk_create([NameKey(key=k) for k in keys], ignore_conflicts=True, batch_size=5000)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS namekey_key_trgm ON cases_namekey USING gin (key gin_trgm_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS namekey_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_namekey")]

    operations = [migrations.RunPython(forward, backward)]
