"""Reception at the counter: applicants, personal case files, applications, receipts, measures.

Office-owned models use `onewindow.models.OfficeScopedQuerySet` so views fetch them with
`.for_user(user)`; every domain model keeps history (django-simple-history).
"""
