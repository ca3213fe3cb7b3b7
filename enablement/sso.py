"""Signing in with the company's identity provider (OpenID Connect through django-allauth).

- The login page's button posts to `start` (CSRF-protected), which stores a fresh nonce in
  the session and sends the browser to allauth's OpenID Connect login with that nonce; the
  authorization-code flow with PKCE and allauth's state check follow.
- `CompanyAccountAdapter.pre_social_login` then refuses an ID token whose nonce is not the one
  stored, and an email the IdP has not verified, and links a first sign-in to an existing
  account with the same (verified) email instead of creating a second one.
- A first sign-in otherwise creates the user: role and team from the claims named by
  TIERWISE_OIDC_ROLE_CLAIM and TIERWISE_OIDC_TEAM_CLAIM; without them (or with values that
  match nothing) the person is an AE without a team until an admin places them.
- Deactivating a user in Tierwise ends their sessions (Django's ModelBackend refuses an
  inactive user on their next request); someone the IdP no longer authenticates can't return.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from .models import Role, Team, User
from .security import log_event

NONCE_KEY = "tierwise_oidc_nonce"


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def issuer_origin() -> str:
    parts = urlsplit(settings.OIDC_ISSUER)
    return f"{parts.scheme}://{parts.netloc}"


@login_not_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Begin a sign-in at the IdP with a nonce this session will check on return."""
    if not enabled():
        messages.error(request, "Single sign-on is not set up on this site.")
        return redirect("login")
    nonce = secrets.token_urlsafe(24)
    request.session[NONCE_KEY] = nonce
    login_url = reverse("openid_connect_login", kwargs={"provider_id": settings.SSO_PROVIDER_ID})
    query = {"process": "login", "auth_params": urlencode({"nonce": nonce})}
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        query["next"] = next_url
    return redirect(f"{login_url}?{urlencode(query)}")


def _refuse(request: HttpRequest, message: str, reason: str) -> None:
    log_event("sso_refused", request, reason=reason)
    messages.error(request, message)
    raise ImmediateHttpResponse(redirect("login"))


def _claim(data: dict, name: str) -> str:
    value = data.get(name) if name else None
    if value is None and name:
        value = (data.get("id_token") or {}).get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


class CompanyAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        data = sociallogin.account.extra_data or {}
        expected = request.session.pop(NONCE_KEY, None)
        nonce = (data.get("id_token") or {}).get("nonce")
        if not expected or not nonce or not secrets.compare_digest(str(nonce), expected):
            _refuse(
                request,
                "That sign-in could not be checked (it did not start here, or was replayed). "
                "Please sign in again.",
                "nonce mismatch",
            )
        verified = [a.email for a in sociallogin.email_addresses if a.verified and a.email]
        if not verified:
            _refuse(
                request,
                "Your company account's email address isn't verified, so it can't be used to "
                "sign in here. Ask your IT team to verify it, or contact your enablement admin.",
                "unverified email",
            )
        if sociallogin.is_existing:
            return
        existing = User.objects.filter(email__iexact=verified[0]).first()
        if existing is not None:
            if not existing.is_active:
                _refuse(request, "This account is deactivated.", "inactive user")
            sociallogin.connect(request, existing)

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return True

    def populate_user(self, request: HttpRequest, sociallogin, data) -> User:
        user = super().populate_user(request, sociallogin, data)
        claims = sociallogin.account.extra_data or {}
        user.username = _unique_username(
            _claim(claims, "preferred_username") or (user.email or "").split("@")[0] or "sso-user"
        )
        role = _claim(claims, settings.OIDC_ROLE_CLAIM).lower()
        user.role = {r.value: r for r in Role}.get(role) or {r.label.lower(): r for r in Role}.get(
            role, Role.AE
        )
        if user.role == Role.AE:
            team_name = _claim(claims, settings.OIDC_TEAM_CLAIM)
            user.team = Team.objects.filter(name__iexact=team_name).first() if team_name else None
        return user


def _unique_username(wanted: str) -> str:
    base = "".join(c for c in wanted if c.isalnum() or c in "@.+-_")[:140] or "sso-user"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name
