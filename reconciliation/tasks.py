"""Celery tasks of the `reconciliation` app: thin wrappers calling services, idempotent."""
