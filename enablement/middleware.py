import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone


class UserTimezoneMiddleware:
    """Show dates in the signed-in user's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, plus: an htmx request whose session has ended gets an
    HX-Redirect to the log-in page (back to the page the person was on), instead of a login
    page swapped into a fragment of the old page."""

    def handle_no_permission(self, request: HttpRequest, view_func: Callable) -> HttpResponse:
        if not getattr(request, "htmx", False):
            return super().handle_no_permission(request, view_func)
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        next_path = current.path or "/"
        if current.query:
            next_path = f"{next_path}?{current.query}"
        login_url = resolve_url(self.get_login_url(view_func))
        response = HttpResponse(status=204)
        response["HX-Redirect"] = f"{login_url}?{urlencode({'next': next_path})}"
        return response
