"""Celery tasks of the shared machinery: thin wrappers around services."""

from celery import shared_task

from onewindow.jobs import run_job  # noqa: F401  (the job runner's task, defined with the jobs)


@shared_task(name="onewindow.recover_jobs")
def recover_jobs() -> list[int]:
    """Every few minutes (beat): jobs whose worker died (killed, out of memory, a deploy) are
    marked «прервана, будет перезапущена» and sent again; each is restarted once."""
    from onewindow import jobs

    return jobs.recover_jobs()


@shared_task(name="onewindow.return_expired_handovers")
def return_expired_handovers() -> int:
    from onewindow.handover import return_expired

    return len(return_expired())


@shared_task(name="onewindow.seal_access_log")
def seal_access_log() -> int:
    from onewindow import audit

    sealed = audit.seal_pending()
    # the head's digest goes to the application log as well: a copy outside the database
    check = audit.AccessLogChain.objects.filter(pk=1).first()
    if sealed and check:
        audit.logger.info("журнал доступа: запись № %s, хеш %s", check.seq, check.digest)
    return sealed


@shared_task(name="onewindow.form_monthly_reports")
def form_monthly_reports() -> int:
    # Daily; acts only on the first working day of a month. Idempotent (unique constraints and
    # get_or_create): a second run, or a second beat, forms nothing more.
    from onewindow import reports

    return len(reports.form_monthly_reports())


@shared_task(name="onewindow.purge_access_log")
def purge_access_log() -> int:
    from onewindow import audit

    return audit.purge_expired()


@shared_task(name="onewindow.purge_idempotent_requests")
def purge_idempotent_requests() -> int:
    from onewindow.api import idempotency

    return idempotency.purge()
