"""Every application gets the status code printed on its receipt (the public status page asks for
it with the receipt's number). The column comes in empty, the applications already registered
get a random code each here, then the column takes its default for new ones: a callable default
on AddField would give every existing row the same code."""

import secrets

from django.db import migrations, models

import cases.models.applications

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as cases.models.STATUS_CODE_ALPHABET then
BATCH = 2000


def fill_status_codes(apps, schema_editor):
    Application = apps.get_model("cases", "Application")
    if schema_editor.connection.vendor == "postgresql":
        # one statement (millions of rows in seconds): each sign from a byte of its own
        # gen_random_uuid() — the server's strong random source, as `secrets` is Python's; 256
        # is a multiple of 32, so every sign is equally likely
        sign = f"substr('{ALPHABET}', get_byte(uuid_send(gen_random_uuid()), 0) % 32 + 1, 1)"
        schema_editor.execute(
            f"UPDATE {Application._meta.db_table} SET status_code = {' || '.join([sign] * 8)} "
            "WHERE status_code = ''",
            None,  # no parameters: the «%» is the operator
        )
        return
    pending = Application.objects.filter(status_code="").order_by("pk").values_list("pk", flat=True)
    while True:
        ids = list(pending[:BATCH])
        if not ids:
            return
        rows = [
            Application(pk=pk, status_code="".join(secrets.choice(ALPHABET) for _ in range(8)))
            for pk in ids
        ]
        Application.objects.bulk_update(rows, ["status_code"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0020_field_rules")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="status_code",
            field=models.CharField(
                default="", editable=False, max_length=8, verbose_name="код проверки состояния"
            ),
        ),
        migrations.AddField(
            model_name="historicalapplication",
            name="status_code",
            field=models.CharField(
                default="", editable=False, max_length=8, verbose_name="код проверки состояния"
            ),
        ),
        migrations.RunPython(fill_status_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="application",
            name="status_code",
            field=models.CharField(
                default=cases.models.applications.new_status_code,
                editable=False,
                max_length=8,
                verbose_name="код проверки состояния",
            ),
        ),
        migrations.AlterField(
            model_name="historicalapplication",
            name="status_code",
            field=models.CharField(
                default=cases.models.applications.new_status_code,
                editable=False,
                max_length=8,
                verbose_name="код проверки состояния",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["reg_number", "reg_year"], name="application_receipt_number"),
        ),
    ]
