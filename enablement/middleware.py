import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone

from .errors import bad_request

NUL_MESSAGE = (
    "What you sent contains a NUL control character, which can't be saved. Nothing was "
    "changed. Retype the text (don't paste it from a binary file) and try again."
)


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


class RejectNulCharactersMiddleware:
    """Refuse form data and query strings containing NUL characters with a 400.

    No person types a NUL, PostgreSQL cannot store one in text, and a view that saves posted
    text as-is would answer a 500. One rule here covers every endpoint. It runs after the
    CSRF and log-in checks (process_view), so those still answer first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for data in sources:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return bad_request(request, None, reason=NUL_MESSAGE)
        return None
