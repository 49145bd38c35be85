"""Forms of the `archive` app: parse and validate input, with Russian messages at the field."""
