"""Error pages in the site's layout: 400, 403, 404, 500, CSRF failures and rate limits (429).

With DEBUG off nothing here shows a traceback or internal detail. A full request gets the
page; an htmx request gets a one-line alert that htmx swaps into the page's `#flash` region
(HX-Retarget), so the form a person was typing in stays as it was.
Denials (403, CSRF, 429) are written to the security events log.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from .security import log_event

FLASH_TARGET = "#flash"


def _respond(
    request: HttpRequest, template: str, status: int, context: dict | None = None
) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = render(request, f"{template}#alert", context or {}, status=status)
        response["HX-Retarget"] = FLASH_TARGET
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, template, context or {}, status=status)


@requires_csrf_token
def bad_request(
    request: HttpRequest, exception: Exception | None = None, reason: str = ""
) -> HttpResponse:
    return _respond(request, "400.html", 400, {"reason": reason})


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    log_event("permission_denied", request, method=request.method)
    return _respond(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, "404.html", 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page is self-contained: it renders without the request or the database."""
    if getattr(request, "htmx", False):
        response = HttpResponse(
            '<p class="message error" role="alert">Something went wrong on our side and '
            "we've logged it. Your saved work is safe; try again in a moment.</p>",
            status=500,
        )
        response["HX-Retarget"] = FLASH_TARGET
        response["HX-Reswap"] = "innerHTML"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: log the refusal and explain how to recover (reload, submit again)."""
    log_event("csrf_failure", request, method=request.method, reason=reason)
    return _respond(request, "403_csrf.html", 403)


def ratelimited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RATELIMIT_VIEW: 429 with a message; the request was not carried out."""
    log_event("rate_limited", request, method=request.method)
    response = _respond(request, "429.html", 429)
    response["Retry-After"] = "60"
    return response
