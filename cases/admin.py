"""Django admin registrations of the `cases` app (history-aware via SimpleHistoryAdmin)."""
