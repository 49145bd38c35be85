"""archive over the API."""
