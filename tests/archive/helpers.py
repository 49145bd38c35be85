"""Helpers the archive's tests share with others: the take-in form, executing a destruction act, scanning the tables for what an erasure left."""

from archive.models import RetentionRule


def form_data(case_file, box, **changes):
    data = {"case_number": case_file.number, "archive_number": "2020-001",
            "retention_rule": RetentionRule.objects.get(code="benefit-recipient").pk,
            "start_date": "2018-01-01", "end_date": "2020-06-30", "event_date": "2020-06-30",
            "volumes": 1, "sheets": 48, "location": box.pk}  # fmt: skip
    data.update(changes)
    return data
