"""The service catalogue: regulations, services and their versions, required documents.

Office-owned models use `onewindow.models.OfficeScopedQuerySet` so views fetch them with
`.for_user(user)`; every domain model keeps history (django-simple-history).
"""
