"""Django admin registrations of the `archive` app (history-aware via SimpleHistoryAdmin).

Retention rules are data the office keeps right: the category, the period and the legal basis
(the list and its article) that acts and covers print."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from archive.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "period_display", "legal_basis", "nomenclature_index"]
    search_fields = ["title", "legal_basis", "code"]
