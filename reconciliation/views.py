"""Thin views of the `reconciliation` app: parse input, call a service, render (htmx partials from the
same templates)."""
