"""Default retention rules that still cite the repealed 2010 list (приказ Минкультуры № 558,
ст. 900) cite the 2019 one (приказ Росархива № 236) instead. A rule the office has edited is
left as it is."""

from django.db import migrations

# Literals, not imports: a migration must not change when archive/defaults.py does.
OLD = (
    "Перечень типовых управленческих архивных документов (приказ Минкультуры России от "
    "25.08.2010 № 558), ст. 900"
)
NEW = "Перечень типовых управленческих архивных документов (приказ Росархива от 20.12.2019 № 236), ст. 477"


def forwards(apps, schema_editor):
    rule_model = apps.get_model("archive", "RetentionRule")
    rule_model.objects.filter(legal_basis=OLD).update(legal_basis=NEW)


def backwards(apps, schema_editor):
    rule_model = apps.get_model("archive", "RetentionRule")
    rule_model.objects.filter(legal_basis=NEW).update(legal_basis=OLD)


class Migration(migrations.Migration):
    dependencies = [("archive", "0007_destruction_record_pd_act_number_check_requisites")]

    operations = [migrations.RunPython(forwards, backwards)]
