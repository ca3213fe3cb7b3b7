"""Error pages: in the site's layout, no internal detail with debug off, htmx-friendly alerts."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.enablement.urls_for_tests")]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def quiet_client(ae):
    """A signed-in client that sees the 500 page instead of the test re-raising the error."""
    client = Client(raise_request_exception=False)
    client.force_login(ae)
    return client


def test_a_crash_shows_the_generic_page_and_no_traceback(quiet_client, settings):
    assert settings.DEBUG is False
    response = quiet_client.get("/test-only/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Something went wrong · Tierwise</title>" in html
    assert "Your saved work is safe" in html
    assert '<main id="main"' in html
    for leak in ("Traceback", "RuntimeError", "secret internal detail", "settings.py"):
        assert leak not in html


def test_a_crash_during_an_htmx_request_gives_a_short_alert(quiet_client):
    response = quiet_client.get("/test-only/boom/", **HTMX)
    assert response.status_code == 500
    html = response.content.decode()
    assert html.startswith('<p class="message error" role="alert">')
    assert "<html" not in html
    assert "secret internal detail" not in html
    assert response["HX-Retarget"] == "#flash"
    assert response["HX-Reswap"] == "innerHTML"


def test_unknown_page_is_a_404_in_the_layout(quiet_client):
    response = quiet_client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Not found · Tierwise</title>" in html
    assert '<nav aria-label="Main">' in html  # the signed-in layout, with navigation
    assert "There's nothing here, or it isn't yours to see." in html


def test_unknown_page_for_anonymous_is_a_404_that_reveals_nothing(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert '<nav aria-label="Main">' not in response.content.decode()


def test_permission_denied_is_a_403_in_the_layout_without_the_internal_reason(quiet_client):
    response = quiet_client.get("/test-only/forbidden/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>Not allowed · Tierwise</title>" in html
    assert "internal reason" not in html


def test_bad_request_is_a_400_in_the_layout_without_the_internal_reason(quiet_client):
    response = quiet_client.get("/test-only/suspicious/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Bad request · Tierwise</title>" in html
    assert "nothing was changed" in html
    assert "internal reason" not in html


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/no-such-page/", 404, "There's nothing here"),
        ("/test-only/forbidden/", 403, "You don't have access"),
        ("/test-only/suspicious/", 400, "That request was malformed"),
    ],
)
def test_htmx_errors_are_alerts_swapped_into_the_flash_region(quiet_client, url, status, text):
    """An htmx request that fails gets a one-line alert for #flash, not a page in a fragment."""
    response = quiet_client.get(url, **HTMX)
    assert response.status_code == status
    html = response.content.decode().strip()
    assert html.startswith('<p class="message error" role="alert">')
    assert text in html
    assert "<main" not in html
    assert response["HX-Retarget"] == "#flash"


def test_every_page_has_the_flash_region_for_htmx_alerts(ae_client):
    assert '<div id="flash" class="flash"></div>' in ae_client.get("/").content.decode()


def test_htmx_swaps_4xx_answers_and_our_500_alert_but_not_gateway_errors(ae_client):
    """The htmx config swaps 4xx answers (validation 422, 429 ... as fragments; our error
    alerts retarget to #flash), and our 500 alert; never 204 or a proxy's 502/503."""
    import json
    import re

    html = ae_client.get("/").content.decode()
    config = json.loads(re.search(r"name=\"htmx-config\" content='([^']+)'", html).group(1))
    handling = config["responseHandling"]

    def swaps(code: str) -> bool:
        for rule in handling:
            if re.fullmatch(rule["code"], code):
                return rule["swap"]
        raise AssertionError(code)

    assert {c: swaps(c) for c in ("200", "204", "400", "403", "404", "422", "429", "500")} == {
        "200": True,
        "204": False,
        "400": True,
        "403": True,
        "404": True,
        "422": True,
        "429": True,
        "500": True,
    }
    assert [swaps(c) for c in ("502", "503", "504")] == [False, False, False]


# --- Rate limits -------------------------------------------------------------------------------


def test_rate_limit_answers_429_with_a_message(ae_client, frozen_clock):
    """@ratelimit(block=True) views answer 429 and the page explains what to do."""
    statuses = [ae_client.post("/test-only/limited/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = ae_client.post("/test-only/limited/")
    assert response.status_code == 429
    html = response.content.decode()
    assert "<title>Slow down · Tierwise</title>" in html
    assert "Wait a minute and try again" in html
    assert response["Retry-After"] == "60"


def test_rate_limit_during_htmx_gives_a_short_alert(ae_client, frozen_clock):
    for _ in range(3):
        ae_client.post("/test-only/limited/", **HTMX)
    response = ae_client.post("/test-only/limited/", **HTMX)
    assert response.status_code == 429
    html = response.content.decode().strip()
    assert html.startswith('<p class="message error" role="alert">You\'re going faster')
    assert response["HX-Retarget"] == "#flash"


def test_rate_limit_is_per_user(client, ae, other_ae, frozen_clock):
    """One AE hitting the limit does not slow down another AE on the same network."""
    client.force_login(ae)
    for _ in range(4):
        client.post("/test-only/limited/")
    assert client.post("/test-only/limited/").status_code == 429
    client.force_login(other_ae)
    assert client.post("/test-only/limited/").status_code == 200


def test_rate_limits_can_be_switched_off_for_the_load_benchmark(ae_client, settings):
    settings.RATELIMIT_ENABLE = False
    statuses = {ae_client.post("/test-only/limited/").status_code for _ in range(6)}
    assert statuses == {200}


# --- CSRF failures ---------------------------------------------------------------------------


def test_csrf_failure_explains_how_to_recover(ae):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ae)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>Form expired · Tierwise</title>" in html
    assert "Reload the page and submit again" in html
    # Still signed in: the refused request changed nothing.
    assert client.get("/").status_code == 200


def test_csrf_failure_during_htmx_gives_a_short_alert(ae):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ae)
    response = client.post("/accounts/logout/", **HTMX)
    assert response.status_code == 403
    assert response.content.decode().startswith('<p class="message error" role="alert">')
    assert response["HX-Retarget"] == "#flash"


# --- Signed out mid-session -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_htmx_request_after_the_session_ended_redirects_the_whole_page_to_login(client, method):
    """Instead of swapping a login form into a fragment, htmx is told to load the login page,
    which brings the person back to the page they were on."""
    client.get("/accounts/login/")  # a CSRF cookie from an earlier visit
    token = client.cookies["csrftoken"].value
    response = getattr(client, method)(
        "/lessons/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/simulator/?x=1",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fsimulator%2F%3Fx%3D1"


def test_plain_request_after_the_session_ended_still_redirects_to_login(client):
    response = client.get("/lessons/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/lessons/"


# --- NUL characters ---------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_nul_characters_in_form_data_are_refused_with_a_clear_400(ae_client, htmx):
    """PostgreSQL can't store NUL in text; every endpoint refuses it up front (found by the
    property-based tests: a 500 on the routing plan title and the role-play reply)."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = ae_client.post("/test-only/limited/", {"text": "hello\x00world"}, **headers)
    assert response.status_code == 400
    assert "NUL control character" in response.content.decode()
    response = ae_client.get("/", {"q": "\x00"})
    assert response.status_code == 400


def test_nul_check_comes_after_csrf_and_login(client, ae):
    """Anonymous users are still sent to log in; a missing CSRF token is still a 403."""
    response = client.post("/test-only/limited/", {"text": "\x00"})
    assert response.status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ae)
    assert strict.post("/test-only/limited/", {"text": "\x00"}).status_code == 403


# --- Form data that can't be read -------------------------------------------------------------


def _raw_post(client, path, body: bytes, content_type: str, **headers):
    return client.generic("POST", path, body, content_type=content_type, **headers)


@pytest.mark.parametrize("htmx", [False, True])
def test_a_form_in_another_charset_is_a_400_that_says_so(ae, htmx):
    """Forms are read as UTF-8 only (Django refuses others); the answer is our 400 with the
    reason, and nothing runs. (tests/enablement/test_under_gunicorn.py checks it under a real
    server, where this used to be gunicorn's bare 500.)"""
    client = Client(raise_request_exception=False)
    client.force_login(ae)
    headers = HTMX if htmx else {}
    response = _raw_post(
        client,
        "/simulator/route/",
        "text=route me".encode("utf-16"),
        "application/x-www-form-urlencoded; charset=utf-16",
        **headers,
    )
    assert response.status_code == 400
    assert "sent in another character set" in response.content.decode()
    if htmx:
        assert response["HX-Retarget"] == "#flash"


def test_a_form_too_large_to_read_is_a_413_and_too_many_fields_a_400(ae, settings):
    client = Client(raise_request_exception=False)
    client.force_login(ae)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = _raw_post(
        client, "/simulator/route/", b"text=" + b"x" * 2000, "application/x-www-form-urlencoded"
    )
    assert big.status_code == 413
    assert "larger than we accept" in big.content.decode()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    many = _raw_post(
        client,
        "/simulator/route/",
        "&".join(f"f{n}=1" for n in range(20)).encode(),
        "application/x-www-form-urlencoded",
    )
    assert many.status_code == 400
    assert "read the form you sent" in many.content.decode()
