"""The catalogue over the API: services, the version in force on a date and its checklist."""
