"""Forms of the `cases` app: parse and validate input, with Russian messages at the field."""
