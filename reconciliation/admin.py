"""Django admin registrations of the `reconciliation` app (history-aware via SimpleHistoryAdmin)."""
