"""Selections: reconciliation of recipients against Pension Fund and Employment Centre extracts.

Office-owned models use `onewindow.models.OfficeScopedQuerySet` so views fetch them with
`.for_user(user)`; every domain model keeps history (django-simple-history).
"""
