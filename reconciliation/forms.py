"""Forms of the `reconciliation` app: parse and validate input, with Russian messages at the field."""
