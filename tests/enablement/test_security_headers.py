"""Security headers on every kind of answer, production cookies, and templates kept CSP-clean."""

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.hardening import assert_security_headers, csp_violations, template_files

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password_reset/"])
def test_public_pages_carry_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("url", ["/", "/lessons/", "/field-guide/", "/simulator/", "/quizzes/"])
def test_signed_in_pages_carry_the_security_headers(ae_client, url):
    response = ae_client.get(url)
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_htmx_answers_carry_the_security_headers(ae_client, url):
    """Partials are answers too: an htmx request gets the same CSP and headers."""
    response = ae_client.get(url, **HTMX)
    assert response.status_code == 200
    assert_security_headers(response)


def test_csp_needs_no_inline_script_and_htmx_needs_no_eval(ae_client):
    """htmx is configured by a meta tag (no eval, no injected styles) and loaded from our origin."""
    html = ae_client.get("/").content.decode()
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert not csp_violations(html)


@pytest.mark.urls("tests.enablement.urls_for_tests")
@pytest.mark.parametrize(
    ("url", "status", "headers"),
    [
        ("/no-such-page/", 404, {}),
        ("/no-such-page/", 404, HTMX),
        ("/test-only/forbidden/", 403, {}),
        ("/test-only/suspicious/", 400, {}),
        ("/test-only/boom/", 500, {}),
        ("/test-only/boom/", 500, HTMX),
    ],
)
def test_error_pages_carry_the_security_headers(ae, url, status, headers):
    client = Client(raise_request_exception=False)
    client.force_login(ae)
    response = client.get(url, **headers)
    assert response.status_code == status
    assert_security_headers(response)


@pytest.mark.urls("tests.enablement.urls_for_tests")
def test_rate_limit_csrf_and_lockout_answers_carry_the_security_headers(ae, settings, frozen_clock):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ae)
    csrf = client.post("/accounts/logout/")
    assert csrf.status_code == 403
    assert_security_headers(csrf)

    client = Client()
    client.force_login(ae)
    for _ in range(4):
        limited = client.post("/test-only/limited/")
    assert limited.status_code == 429
    assert_security_headers(limited)

    anonymous = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = anonymous.post("/accounts/login/", {"username": "x", "password": "y"})
    assert locked.status_code == 429
    assert_security_headers(locked)


# --- Production: HSTS and cookies -----------------------------------------------------------


def test_production_sends_hsts_over_https(client, settings):
    """With debug off (production), HTTPS answers tell browsers to use HTTPS for a year."""
    assert settings.DEBUG is False
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_session_cookie_is_secure_and_http_only(client, ae, settings):
    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/", {"username": ae.username, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True


def test_production_redirects_http_to_https_unless_a_proxy_does_it():
    """SECURE_SSL_REDIRECT defaults on with debug off (tests turn it off, as behind a proxy)."""
    import os
    import subprocess
    import sys

    from tests.hardening import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 60})
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    env["DJANGO_SETTINGS_MODULE"] = "enablement.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "31536000"], result.stderr


# --- Templates are held to the CSP -----------------------------------------------------------


def test_no_template_needs_unsafe_inline_or_eval():
    """Every template under templates/ (all apps): no inline <script> bodies, no <style>,
    no style= attributes, no on*= or hx-on handlers, no javascript:/js: values."""
    files = template_files()
    assert len(files) > 10
    problems = [
        f"{path.relative_to(path.parents[1])}: {problem}"
        for path in files
        for problem in csp_violations(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("snippet", "found"),
    [
        ("<script>alert(1)</script>", "inline <script> body"),
        ("<script type=module></script>", "<script> without src"),
        ('<p style="color: red">x</p>', "style= attribute"),
        ('<button onclick="go()">x</button>', "onclick= attribute"),
        ('<button hx-on:click="go()">x</button>', "hx-on:click= attribute"),
        ('<form hx-on::after-request="x">', "hx-on::after-request= attribute"),
        ("<div hx-vals='js:{a: 1}'>", "javascript:/js: value"),
        ('<a href="javascript:go()">x</a>', "javascript:/js: value"),
        ("<style>p {}</style>", "<style> element"),
    ],
)
def test_the_template_scan_catches_what_the_csp_blocks(snippet, found):
    assert any(found in problem for problem in csp_violations(snippet))


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/js/x.js" defer></script>',
        '<script type="application/json" id="d">{"a": 1}</script>',
        '<rect width="40" fill="currentColor"></rect>',
        '<a href="/x" data-role="online">on=</a>',
        '<p class="note">Write style="..." never</p>',
    ],
)
def test_the_template_scan_allows_what_the_csp_allows(snippet):
    assert csp_violations(snippet) == []
