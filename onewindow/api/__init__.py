"""The shared machinery of the REST API (`/api/v1/`): token authentication, permissions by role,
errors as JSON, pagination, `Idempotency-Key`, the schema. Each app's endpoints live in its own
`api/` package over its services."""
