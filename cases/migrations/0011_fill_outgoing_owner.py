"""Our requests to other offices already sent get an owner and a due date. Data only, in its own
migration (see 0008)."""

from django.db import migrations


def fill_outgoing_owner(apps, schema_editor):
    """Requests already sent are followed up by whoever sent them; the answer is expected by the
    kind's days (counted on the plain week here; new requests count the production calendar)."""
    import datetime

    OutgoingRequest = apps.get_model("cases", "OutgoingRequest")
    for request in OutgoingRequest.objects.filter(handled_by__isnull=True).select_related("kind"):
        day, left = request.sent_on, request.kind.due_days
        while left:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        OutgoingRequest.objects.filter(pk=request.pk).update(
            handled_by_id=request.created_by_id, due_date=day
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_case_transfer_outgoing_owner")]

    operations = [migrations.RunPython(fill_outgoing_owner, migrations.RunPython.noop)]
