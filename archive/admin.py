"""Django admin registrations of the `archive` app (history-aware via SimpleHistoryAdmin)."""
