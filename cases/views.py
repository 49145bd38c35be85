"""Thin views of the `cases` app: parse input, call a service, render (htmx partials from the
same templates)."""
