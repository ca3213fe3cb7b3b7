"""Security plumbing: the client's address, the security events log, the lockout page.

Security events go to the "tierwise.security" logger, one line each:
`event=login_failed user="ae-one" ip="10.0.0.7" path="/accounts/login/" at="2026-...Z"`.
Values are JSON-quoted (a newline in a typed username cannot forge a second line) and never
include passwords, session ids or tokens.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger("tierwise.security")

# Longest value written to the log; a username field can hold anything a client sends.
MAX_LOGGED_VALUE = 150
USERNAME_MAX_LENGTH = 150  # AbstractUser.username


def client_ip(request: HttpRequest) -> str:
    """The client's IP address, for lockouts, rate limits and the security log.

    Without proxies (PROXY_COUNT 0) it is REMOTE_ADDR and X-Forwarded-For is ignored, since a
    client could forge it. Behind N proxies it is the N-th address from the right of
    X-Forwarded-For: the one our outermost proxy saw; what lies left of it is client-written.
    """
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (a value, not a bind)
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def axes_username(request: HttpRequest | None, credentials: dict | None = None) -> str:
    """The username django-axes counts failures against: as typed, without NUL characters and
    cut to the longest real username, so any typed text can be stored (PostgreSQL refuses NUL
    and text longer than axes' 255-character column, which would turn a log-in into a 500)."""
    if credentials:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "POST", {}).get("username")
    return str(raw or "").replace("\x00", "")[:USERNAME_MAX_LENGTH]


def reset_address_key(group: str, request: HttpRequest) -> str:
    """The password-reset rate limit's key: the address as Django matches it to an account
    (PasswordResetForm strips the field and looks it up with email__iexact), so " Demo@X" and
    "demo@x" count as one address."""
    return request.POST.get("email", "").strip().casefold()


def _quote(value: Any) -> str:
    return json.dumps(str(value)[:MAX_LOGGED_VALUE])


def log_event(
    event: str, request: HttpRequest | None, *, username: str | None = None, **fields: Any
) -> None:
    """Write one security event with who (user), where from (IP), what (path) and when."""
    if username is None and request is not None:
        user = getattr(request, "user", None)
        username = user.get_username() if user is not None and user.is_authenticated else ""
    record: dict[str, Any] = {
        "user": username or "",
        "ip": client_ip(request) if request is not None else "",
        "path": request.path if request is not None else "",
    }
    record.update(fields)
    record["at"] = timezone.now().isoformat()
    parts = " ".join(f"{key}={_quote(value)}" for key, value in record.items())
    level = logging.INFO if event == "login_succeeded" else logging.WARNING
    logger.log(level, "event=%s %s", event, parts, extra={"security_event": event})


# --- Receivers for django.contrib.auth and django-axes signals (connected in apps.py) ---------


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log_event("login_succeeded", request, username=user.get_username())


def on_user_login_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # `credentials` has the password already masked by Django; only the username is kept.
    log_event("login_failed", request, username=str(credentials.get("username", "")))


def on_user_locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    log_event("lockout", request, username=username or "")


# --- The lockout page (django-axes' AXES_LOCKOUT_CALLABLE) ---------------------------------


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """429 with a clear message: a pause of AXES_COOLOFF_TIME, not a permanent lock.

    The same page answers for usernames with and without an account.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) or 1
    response = render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
