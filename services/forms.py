"""Forms of the `services` app: parse and validate input, with Russian messages at the field."""
