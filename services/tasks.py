"""Celery tasks of the `services` app: thin wrappers calling services, idempotent."""
