import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import middleware as auth_middleware
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import resolve_url
from django.utils import timezone

from .errors import bad_request

NOT_UTF8_MESSAGE = (
    "We read forms in UTF-8 only, and this one was sent in another character set, so nothing "
    "was changed. Reload the page and submit it from the browser again."
)
TOO_LARGE_MESSAGE = (
    "What you sent is larger than we accept, so nothing was changed. Send less and try again."
)
UNREADABLE_MESSAGE = (
    "We couldn't read the form you sent, so nothing was changed. Reload the page and try again."
)

# What Django raises when it can't parse a POST body into request.POST.
UNREADABLE_FORM_ERRORS = (
    BadRequest,
    SuspiciousOperation,
    MultiPartParserError,
    UnreadablePostError,
)

NUL_MESSAGE = (
    "What you sent contains a NUL control character, which can't be saved. Nothing was "
    "changed. Retype the text (don't paste it from a binary file) and try again."
)


class UserTimezoneMiddleware:
    """Show dates in the signed-in user's own time zone.

    Only for views behind the log-in (process_view): a public view (log-in, password reset,
    the health check) shows no one's dates, and must not load the session and the user: with
    the database down, /healthz has to answer its 503 rather than fail on them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.deactivate()  # nothing carried over from this thread's previous request
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        return None


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, plus: an htmx request whose session has ended gets an
    HX-Redirect to the log-in page (back to the page the person was on), instead of a login
    page swapped into a fragment of the old page. And: a view marked @login_not_required is
    let through before the user is loaded (Django loads the user first), so the health check
    reads no session."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

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


class RejectUnreadableFormsMiddleware:
    """Answer a POST whose form data can't be read with our 400 page.

    Django raises when it parses such a body (a charset other than UTF-8, a malformed
    multipart body, too many fields) the first time anything reads request.POST, and again on
    every later read. The error pages read it too (their CSRF check does), so the second
    raise escaped to the server, which answered its own bare 500. Parsing here, before any
    view or error page, turns that into one clear 4xx; the form is then empty for everyone
    after us.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 (parsing is the point)
            except UNREADABLE_FORM_ERRORS as error:
                return self.refuse(request, error)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, error: Exception) -> HttpResponse:
        request.POST = QueryDict()
        status, reason = 400, UNREADABLE_MESSAGE
        if isinstance(error, RequestDataTooBig):
            status, reason = 413, TOO_LARGE_MESSAGE
        elif (request.encoding or "utf-8").lower() != "utf-8":
            reason = NOT_UTF8_MESSAGE
        response = bad_request(request, error, reason=reason)
        response.status_code = status
        return response
