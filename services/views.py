"""Thin views of the `services` app: parse input, call a service, render (htmx partials from the
same templates)."""
