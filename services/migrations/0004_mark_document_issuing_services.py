"""The shipped catalogue's certificate-type services (they issue a document, not a payment):
mark them on databases that loaded the catalogue before the flag existed."""

from django.db import migrations

DOCUMENT_SERVICES = [
    "veteran-certificate",
    "legal-aid-certificate",
    "chernobyl-certificate",
    "travel-petition",
]


def mark(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    Service.objects.filter(code__in=DOCUMENT_SERVICES).update(issues_document=True)


class Migration(migrations.Migration):
    dependencies = [("services", "0003_service_issues_document")]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
