"""Thin views of the `archive` app: parse input, call a service, render (htmx partials from the
same templates)."""
