"""CSRF on every state-changing request (htmx included), and every mutating URL refuses GET."""

import pytest
from django.apps import apps
from django.test import Client

from tests.hardening import all_routes, own_routes, sample_path

pytestmark = pytest.mark.django_db

# Django admin brings its own, well-tested views; everything else is ours or contrib.auth's.
# The admin and allauth's OpenID Connect redirect and callback (GETs the IdP drives) are
# third-party views with their own tests.
SKIP_PREFIXES = ("admin/", "accounts/oidc/")


def _routes():
    return [r for r in all_routes() if not r.pattern.startswith(SKIP_PREFIXES)]


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_every_view_of_ours_declares_its_http_methods():
    """Thin function views say what they accept (@require_safe / @require_POST / ...)."""
    routes = own_routes()
    assert len(routes) >= 10
    undeclared = [f"/{r.pattern} ({r.name})" for r in routes if r.methods is None]
    assert undeclared == []


def test_every_mutating_url_refuses_get(ae_client):
    """A URL that only changes things (no GET in its methods) answers GET with 405."""
    mutating = [r for r in _routes() if r.methods is not None and "GET" not in r.methods]
    assert mutating, "expected at least the logout URL"
    before = row_counts()
    wrong = {}
    for route in mutating:
        status = ae_client.get(sample_path(route.pattern)).status_code
        if status != 405:
            wrong[f"/{route.pattern}"] = status
    assert wrong == {}
    assert row_counts() == before


def _post_routes():
    return [r for r in _routes() if r.methods is None or "POST" in r.methods]


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_every_post_without_a_csrf_token_is_refused(ae, htmx):
    """Every URL that accepts POST refuses it without the token (403), and nothing is saved."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(ae)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    routes = _post_routes()
    assert {"/accounts/login/", "/accounts/logout/", "/accounts/password_reset/"} <= {
        f"/{r.pattern}" for r in routes
    }
    before = row_counts()
    accepted = {}
    for route in routes:
        response = client.post(
            sample_path(route.pattern),
            {"score": "100", "text": "hello", "answer": "mid"},
            **headers,
        )
        if response.status_code != 403:
            accepted[f"/{route.pattern}"] = response.status_code
    assert accepted == {}
    assert row_counts() == before
    assert client.get("/").status_code == 200  # still signed in: the logout was refused too


def test_the_same_post_with_the_token_is_accepted(ae):
    """Control for the test above: the refusal is the missing token, not the URL."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(ae)
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_htmx_sends_the_token_in_a_header_and_is_accepted(ae):
    """The body's hx-headers carry X-CSRFToken, so htmx POSTs pass the check."""
    import json
    import re

    client = Client(enforce_csrf_checks=True)
    client.force_login(ae)
    html = client.get("/").content.decode()
    headers = json.loads(re.search(r"<body hx-headers='([^']+)'", html).group(1))
    response = client.post(
        "/accounts/logout/", HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=headers["X-CSRFToken"]
    )
    assert response.status_code == 302


# --- HEAD --------------------------------------------------------------------------------------


def _get_routes():
    return [r for r in all_routes() if r.methods is None or "GET" in r.methods]


@pytest.mark.parametrize("role", ["anonymous", "ae", "manager"])
def test_every_get_page_answers_head_like_get(client, ae, manager, role):
    """HEAD is GET without the body (load balancers and link checkers send it): every page
    that answers GET answers HEAD with the same status, /healthz included."""
    if role != "anonymous":
        client.force_login(ae if role == "ae" else manager)
    routes = _get_routes()
    assert "/healthz" in {f"/{r.pattern}" for r in routes}
    different = {}
    for route in routes:
        path = sample_path(route.pattern)
        get, head = client.get(path), client.head(path)
        if head.status_code != get.status_code:
            different[path] = (get.status_code, head.status_code)
        assert head.content == b""
    assert different == {}
