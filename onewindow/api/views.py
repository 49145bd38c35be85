"""The API's own pages besides the endpoints: the Redoc page."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView


@method_decorator(
    # Redoc styles its page with <style> elements it writes itself and searches in a worker it
    # builds from a blob: allowed on this page only (its scripts still come from this server).
    csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}),
    name="dispatch",
)
class RedocView(SpectacularRedocView):
    pass
