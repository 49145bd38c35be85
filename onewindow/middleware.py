"""Idle-session expiry made visible: say why the user is back at the login page."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import resolve_url


class SessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        expired = (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and not request.user.is_authenticated
            and request.session.is_empty()
        )
        if expired and request.method == "GET":
            minutes = settings.SESSION_IDLE_MINUTES
            messages.info(
                request,
                f"Сеанс завершён: не было действий более {minutes} мин. Войдите снова.",
                fail_silently=True,
            )
        response = self.get_response(request)
        # An htmx fragment request must not swap the login page into a part of the screen:
        # ask htmx to load the login page as a whole page instead.
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL))
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response
