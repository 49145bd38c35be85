"""The archive of personal case files: registration, locations, issue, presence checks, destruction.

Office-owned models use `onewindow.models.OfficeScopedQuerySet` so views fetch them with
`.for_user(user)`; every domain model keeps history (django-simple-history).
"""
