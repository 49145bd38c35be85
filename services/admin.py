"""Django admin registrations of the `services` app (history-aware via SimpleHistoryAdmin)."""
