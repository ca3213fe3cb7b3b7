"""Property-based: whatever is typed into the public forms, the answer is 2xx/3xx/4xx, never a
5xx, and the text comes back escaped."""

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening import SCRIPT_MARKER, any_text, assert_escaped

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# Rate limits off: every example must reach the form, not the 429 of the per-IP log-in limit.
@override_settings(RATELIMIT_ENABLE=False)
@FUZZ
@given(username=any_text(150), password=any_text(128))
def test_login_form_survives_any_text(client, username, password):
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code in (200, 400, 429)
    assert_escaped(response)


@override_settings(RATELIMIT_ENABLE=False)
@FUZZ
@given(email=st.one_of(any_text(254), st.emails()))
def test_password_reset_form_survives_any_text(client, email):
    response = client.post("/accounts/password_reset/", {"email": email})
    assert response.status_code in (200, 302, 400, 429)
    assert_escaped(response)


def test_the_login_form_echoes_the_username_escaped(client):
    """Control for the properties above: the typed username is shown again, escaped."""
    response = client.post("/accounts/login/", {"username": SCRIPT_MARKER, "password": "x"})
    assert response.status_code == 200
    assert b"&lt;script&gt;alert(&quot;tierwise-xss&quot;)&lt;/script&gt;" in response.content
    assert_escaped(response)
