"""Single sign-on against a real OpenID Connect provider (oidc-provider-mock, started on
127.0.0.1 by these tests): the whole authorization-code flow with PKCE, state and nonce,
through the Django test client."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from enablement.models import Role, User
from tests.factories import AdminFactory, AEFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def idp():
    """A real OpenID Connect provider on a free local port, for the whole test session."""
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on 127.0.0.1
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=0) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def sso(settings, idp):
    """Tierwise configured for the provider, as the TIERWISE_OIDC_* variables would."""
    settings.OIDC_ISSUER = idp
    settings.OIDC_NAME = "Acme SSO"
    settings.OIDC_ROLE_CLAIM = "tierwise_role"
    settings.OIDC_TEAM_CLAIM = "team"
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "company",
                    "name": "Acme SSO",
                    "client_id": "tierwise-test",
                    "secret": "tierwise-test-secret",
                    "settings": {"server_url": idp, "oauth_pkce_enabled": True},
                }
            ],
        }
    }
    return idp


def identity(idp: str, sub: str, **claims) -> None:
    """What the IdP says about this person."""
    httpx.put(f"{idp}/users/{sub}", json=claims).raise_for_status()


def sign_in(client: Client, idp: str, sub: str, *, tamper=None) -> object:
    """Click "Sign in with ...", approve at the IdP as `sub`, come back; returns the final
    response of the callback. `tamper(query)` may change the callback's query first."""
    start = client.post("/accounts/sso/")
    assert start.status_code == 302
    to_idp = client.get(start["Location"])
    assert to_idp.status_code == 302, to_idp.content[:500]
    authorize = to_idp["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    approved = httpx.post(authorize, data={"sub": sub}, follow_redirects=False)
    assert approved.status_code == 302, approved.text[:500]
    back = urlsplit(approved.headers["location"])
    callback_query = parse_qs(back.query)
    if tamper:
        tamper(callback_query)
    return client.get(back.path, {k: v[0] for k, v in callback_query.items()}, follow=True)


def signed_in_user(client: Client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.filter(pk=pk).first() if pk else None


def test_the_login_page_offers_the_company_sign_in_only_when_configured(client, settings, sso):
    assert "Sign in with Acme SSO" in client.get("/accounts/login/").content.decode()
    settings.OIDC_ISSUER = ""
    assert "Sign in with" not in Client().get("/accounts/login/").content.decode()


def test_a_first_sign_in_creates_the_user_with_the_mapped_role_and_team(client, sso):
    TeamFactory(name="Emea Enterprise")
    identity(
        sso,
        "sub-casey",
        email="casey.moreno@acme.example",
        email_verified=True,
        preferred_username="casey.moreno",
        given_name="Casey",
        family_name="Moreno",
        tierwise_role="ae",
        team="EMEA Enterprise",
    )
    response = sign_in(client, sso, "sub-casey")
    user = signed_in_user(client)
    assert user is not None and response.status_code == 200
    assert (user.username, user.email, user.role) == (
        "casey.moreno",
        "casey.moreno@acme.example",
        Role.AE,
    )
    assert user.team.name == "Emea Enterprise"
    assert not user.has_usable_password()
    # Signing in again finds the same person.
    client.logout()
    sign_in(client, sso, "sub-casey")
    assert signed_in_user(client) == user and User.objects.filter(email=user.email).count() == 1


def test_without_role_or_team_claims_a_newcomer_is_an_ae_without_a_team(client, sso):
    identity(sso, "sub-new", email="new@acme.example", email_verified=True)
    sign_in(client, sso, "sub-new")
    user = signed_in_user(client)
    assert user.role == Role.AE and user.team is None


def test_a_manager_role_claim_makes_a_manager(client, sso):
    identity(sso, "sub-mgr", email="mgr@acme.example", email_verified=True, tierwise_role="Manager")
    sign_in(client, sso, "sub-mgr")
    assert signed_in_user(client).role == Role.MANAGER


def test_an_existing_account_with_the_same_verified_email_is_linked_not_duplicated(client, sso):
    ae = AEFactory(username="jordan", email="Jordan.Lee@acme.example")
    identity(sso, "sub-jordan", email="jordan.lee@acme.example", email_verified=True)
    sign_in(client, sso, "sub-jordan")
    assert signed_in_user(client) == ae
    assert User.objects.filter(email__iexact="jordan.lee@acme.example").count() == 1


def test_an_unverified_email_is_refused_with_a_clear_message(client, sso):
    AEFactory(username="victim", email="victim@acme.example")
    identity(sso, "sub-attacker", email="victim@acme.example", email_verified=False)
    response = sign_in(client, sso, "sub-attacker")
    assert signed_in_user(client) is None
    assert "email address isn&#x27;t verified" in response.content.decode()


def test_a_wrong_state_is_refused(client, sso):
    identity(sso, "sub-state", email="state@acme.example", email_verified=True)
    response = sign_in(client, sso, "sub-state", tamper=lambda q: q.update(state=["forged"]))
    assert signed_in_user(client) is None
    assert response.status_code == 401
    assert "That sign-in didn't work" in response.content.decode()


def test_a_wrong_nonce_is_refused(client, sso):
    """The ID token carries the nonce sent at the start; if this session expected another
    one (a replayed or injected response), the sign-in is refused."""
    identity(sso, "sub-nonce", email="nonce@acme.example", email_verified=True)
    start = client.post("/accounts/sso/")
    to_idp = client.get(start["Location"])
    session = client.session
    session["tierwise_oidc_nonce"] = "not-the-one-sent"
    session.save()
    approved = httpx.post(to_idp["Location"], data={"sub": "sub-nonce"}, follow_redirects=False)
    back = urlsplit(approved.headers["location"])
    response = client.get(
        back.path, {k: v[0] for k, v in parse_qs(back.query).items()}, follow=True
    )
    assert signed_in_user(client) is None
    assert "could not be checked" in response.content.decode()
    assert not User.objects.filter(email="nonce@acme.example").exists()


def test_sso_only_hides_the_password_form_except_for_staff(client, settings, sso):
    settings.SSO_ONLY = True
    page = client.get("/accounts/login/").content.decode()
    assert 'name="password"' not in page and "Sign in with Acme SSO" in page
    AEFactory(username="pw-ae", password="a-long-password-1")
    refused = client.post(
        "/accounts/login/", {"username": "pw-ae", "password": "a-long-password-1"}
    )
    assert signed_in_user(client) is None and "single sign-on" in refused.content.decode()
    AdminFactory(username="break-glass", password="a-long-password-2")
    client.post(
        "/accounts/login/?staff=1", {"username": "break-glass", "password": "a-long-password-2"}
    )
    assert signed_in_user(client).username == "break-glass"


def test_deactivating_a_user_ends_their_session(client, sso):
    identity(sso, "sub-leaver", email="leaver@acme.example", email_verified=True)
    sign_in(client, sso, "sub-leaver")
    user = signed_in_user(client)
    assert client.get("/").status_code == 200
    user.is_active = False
    user.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_login_page_lets_its_sso_form_end_at_the_identity_provider(client, sso):
    """Browsers apply form-action to the redirects after a form post: the login page allows
    the IdP's origin there, and only there."""
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert sso in form_action
    assert sso not in client.get("/accounts/password_reset/")["Content-Security-Policy"]
