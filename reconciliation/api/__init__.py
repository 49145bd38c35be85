"""reconciliation over the API."""
