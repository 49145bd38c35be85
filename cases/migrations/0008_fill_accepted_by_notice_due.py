"""Who accepted each application and when a decided one is to be notified, for the rows that
exist. Data only, in its own migration: PostgreSQL refuses to alter or index a table while the
same transaction holds deferred foreign-key checks of rows it changed."""

import datetime

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_accepted_by(apps, schema_editor):
    """Who accepted an application is the actor of its first «принято» event (the specialist
    field was rewritten by handovers); the responsible specialist where no event names one.
    One statement for the whole table."""
    Application = apps.get_model("cases", "Application")
    ApplicationEvent = apps.get_model("cases", "ApplicationEvent")
    first_actor = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"), to_status="accepted")
        .exclude(actor=None)
        .order_by("at", "id")
        .values("actor_id")[:1]
    )
    Application.objects.filter(accepted_by__isnull=True).update(
        accepted_by_id=Coalesce(Subquery(first_actor), "specialist_id")
    )


def fill_notice_due(apps, schema_editor):
    """Decided applications not yet notified: due five working days after the decision (counted
    on the plain week here; new decisions count the production calendar)."""
    Application = apps.get_model("cases", "Application")
    for pk, decided, registered in Application.objects.filter(
        status__in=["granted", "refused"], notice_due__isnull=True
    ).values_list("pk", "decision_date", "registered_on"):
        day, left = decided or registered, 5
        while left:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        Application.objects.filter(pk=pk).update(notice_due=day)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_deaths_accepted_by_notice")]

    operations = [
        migrations.RunPython(fill_accepted_by, migrations.RunPython.noop),
        migrations.RunPython(fill_notice_due, migrations.RunPython.noop),
    ]
