"""Sessions: idle expiry made visible, an absolute lifetime, and the headers that keep personal
data out of caches."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.cache import patch_cache_control

from onewindow import roles
from onewindow.audit import AUTH_AT, log_access

SEEN_AT = "_seen_at"  # the session's last renewal (epoch seconds)

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()"
)


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
        if request.user.is_authenticated and self._too_old(request):
            hours = settings.SESSION_ABSOLUTE_HOURS
            log_access(
                request, event="session_expired", detail=f"прошло более {hours} ч после входа"
            )
            logout(request)
            messages.info(
                request,
                f"Сеанс завершён: с момента входа прошло более {hours} ч. Войдите снова.",
                fail_silently=True,
            )
            response = redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        response = self.get_response(request)
        self._touch(request)
        # An htmx fragment request must not swap the login page into a part of the screen:
        # ask htmx to load the login page as a whole page instead.
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL))
        ):
            reload = HttpResponse(status=204)
            reload["HX-Redirect"] = response["Location"]
            return reload
        return response

    @staticmethod
    def _touch(request) -> None:
        """Activity renews the session's idle expiry — once a SESSION_TOUCH_SECONDS, so that a
        burst of requests (the counter's search as the name is typed) writes the row once."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return
        now = int(time.time())
        seen = request.session.get(SEEN_AT)
        if seen is None or now - seen >= settings.SESSION_TOUCH_SECONDS:
            request.session[SEEN_AT] = now

    @staticmethod
    def _too_old(request) -> bool:
        if roles.device_role(request.user):  # a kiosk or display stays signed in (its own rule)
            return False
        started = request.session.get(AUTH_AT)
        if started is None:  # a session from before the rule: its lifetime starts now
            request.session[AUTH_AT] = int(time.time())
            return False
        return time.time() - started > settings.SESSION_ABSOLUTE_HOURS * 3600


class PrivateResponseMiddleware:
    """What a signed-in user is shown is personal data: no browser or proxy keeps a copy
    (`Cache-Control: no-store`); and no page may use the camera, microphone, location…"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class DevicePagesMiddleware:
    """A device account (the hall's kiosk, its display) opens its own pages and nothing else:
    the home page leads to its landing page, any other page answers «Недостаточно прав» and the
    attempt is logged as refused. Its session outlives the browser's restart (the kiosk is
    switched off at night and must not wait for somebody to sign it in again): a device account
    sees no personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        role = roles.device_role(getattr(request, "user", None))
        if role is None or role not in roles.DEVICE_PAGES:
            return None
        landing, allowed = roles.DEVICE_PAGES[role]
        if request.session.get_expiry_age() != settings.DEVICE_SESSION_SECONDS:
            request.session.set_expiry(settings.DEVICE_SESSION_SECONDS)
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name == "home":
            return redirect(landing)
        if name in allowed or name in roles.DEVICE_ALWAYS:
            return None
        raise PermissionDenied(f"Учётная запись «{role}» открывает только свою страницу.")
