"""Celery tasks of the `archive` app: thin wrappers calling services, idempotent."""
