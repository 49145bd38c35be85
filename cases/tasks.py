"""Celery tasks of the `cases` app: thin wrappers calling services, idempotent."""
