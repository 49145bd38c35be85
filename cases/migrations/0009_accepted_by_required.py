# The accepted_by column is filled by 0008; made required in its own transaction (PostgreSQL
# refuses to alter a table with pending deferred foreign-key checks).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_fill_accepted_by_notice_due"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="accepted_by",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="accepted_applications", to=settings.AUTH_USER_MODEL, verbose_name="принял документы"),
        ),
    ]
