"""Django admin registrations of the `reconciliation` app (history-aware via SimpleHistoryAdmin).

Extract profiles are the regulations admin's data: how a source's file is read (format,
encoding that breaks a tie, delimiter, columns, date format, XML record) and what its rows
suggest for which services. Runs, items and rows are the system's records: read in the app."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reconciliation.models import ExtractProfile


@admin.register(ExtractProfile)
class ExtractProfileAdmin(SimpleHistoryAdmin):
    list_display = ["title", "source", "kind", "file_format", "encoding", "action", "is_active"]
    list_filter = ["source", "kind", "file_format", "is_active"]
    search_fields = ["title", "name"]
    fieldsets = [
        (None, {"fields": ["name", "title", "source", "kind", "is_active"]}),
        (
            "Чтение файла",
            {
                "fields": [
                    "file_format",
                    "encoding",
                    "delimiter",
                    "date_format",
                    "xml_record",
                    "columns",
                ]
            },
        ),
        ("Что предлагает выгрузка", {"fields": ["services", "action"]}),
    ]
