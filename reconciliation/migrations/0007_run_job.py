# Runs are run by background jobs (onewindow.jobs): the attempt, attempts, interruption and
# progress move to the run's job. An unfinished run gets its job here, with what it had; so does
# a finished one that was interrupted (its page keeps saying so).

import django.db.models.deletion
from django.db import migrations, models


def jobs_for_unfinished_runs(apps, schema_editor):
    Run = apps.get_model("reconciliation", "ReconciliationRun")
    Job = apps.get_model("onewindow", "Job")
    unfinished = models.Q(status__in=["queued", "running", "interrupted"])
    interrupted = models.Q(interrupted_at__isnull=False) | models.Q(attempts__gt=1)
    for run in Run.objects.filter(unfinished | interrupted, job=None):
        run.job = Job.objects.create(
            kind="reconciliation.run",
            status=run.status,  # a job «выполняется» with no live worker is taken up again
            error=run.error if run.status == "failed" else "",
            finished_at=run.finished_at,
            office_id=run.office_id,
            created_by_id=run.created_by_id,
            params={"run": run.pk},
            progress=run.progress,
            started_at=run.started_at,
            attempt=run.attempt,
            attempts=run.attempts,
            interrupted_at=run.interrupted_at,
        )
        if run.status not in ("done", "failed"):
            run.status = "queued"
        run.save(update_fields=["job", "status"])


class Migration(migrations.Migration):
    dependencies = [
        ("onewindow", "0010_job_takeover"),
        ("reconciliation", "0006_staged_extract"),
    ]

    operations = [
        migrations.AddField(
            model_name="reconciliationrun",
            name="job",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reconciliation_run",
                to="onewindow.job",
                verbose_name="фоновая задача",
            ),
        ),
        migrations.RunPython(jobs_for_unfinished_runs, migrations.RunPython.noop),
        migrations.RemoveField(model_name="reconciliationrun", name="attempt"),
        migrations.RemoveField(model_name="reconciliationrun", name="attempts"),
        migrations.RemoveField(model_name="reconciliationrun", name="interrupted_at"),
        migrations.RemoveField(model_name="reconciliationrun", name="progress"),
        migrations.RemoveField(model_name="reconciliationrun", name="started_at"),
        migrations.RemoveField(model_name="reconciliationrun", name="total"),
        migrations.AlterField(
            model_name="reconciliationrun",
            name="status",
            field=models.CharField(
                choices=[("queued", "в очереди"), ("done", "завершена"), ("failed", "ошибка")],
                db_index=True,
                default="queued",
                max_length=16,
                verbose_name="состояние",
            ),
        ),
    ]
