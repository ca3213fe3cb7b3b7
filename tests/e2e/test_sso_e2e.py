"""Single sign-on in a real browser against a real OpenID Connect provider on 127.0.0.1."""

import os

import httpx
import pytest

from enablement.models import Role, User
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def idp():
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=0) as server:
        yield f"http://127.0.0.1:{server.server_port}"


def test_an_ae_signs_in_with_the_company_account(page, live_server, settings, idp):
    settings.OIDC_ISSUER = idp
    settings.OIDC_NAME = "Acme SSO"
    settings.OIDC_TEAM_CLAIM = "team"
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "company",
                    "name": "Acme SSO",
                    "client_id": "tierwise-e2e",
                    "secret": "tierwise-e2e-secret",
                    "settings": {"server_url": idp, "oauth_pkce_enabled": True},
                }
            ]
        }
    }
    TeamFactory(name="Browser Team")
    httpx.put(
        f"{idp}/users/sub-robin",
        json={
            "email": "robin.park@acme.example",
            "email_verified": True,
            "given_name": "Robin",
            "family_name": "Park",
            "preferred_username": "robin.park",
            "team": "Browser Team",
        },
    ).raise_for_status()

    # The log-in page offers the company account; the IdP asks who is signing in.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with Acme SSO").click()
    page.locator("input[name=sub]").fill("sub-robin")
    page.get_by_role("button", name="Authorize").click()

    # Back in Tierwise, signed in as the new AE on their team.
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="Log out").count() or page.get_by_text("Log out").count()
    user = User.objects.get(username="robin.park")
    assert user.role == Role.AE and user.team.name == "Browser Team"
