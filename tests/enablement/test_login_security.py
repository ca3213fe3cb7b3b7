"""Log-in and password reset: brute-force lockout (django-axes) and no account enumeration."""

from datetime import timedelta

import pytest
from django.core import mail

from tests.factories import PASSWORD, AEFactory

# Lockouts count failures within the cool-off, rate limits within their windows: the clock
# stands still during each test (tests/conftest.py) and moves only when a test moves it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

LOGIN = "/accounts/login/"
RESET = "/accounts/password_reset/"
OFFICE_IP = "203.0.113.10"
HOME_IP = "198.51.100.7"


def _login(client, username, password, ip=OFFICE_IP):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail_until_locked(client, settings, username, ip=OFFICE_IP):
    responses = [
        _login(client, username, "wrong-password", ip) for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    return responses[-1]


@pytest.fixture
def victim(db):
    return AEFactory(username="victim-ae")


# --- Lockout -----------------------------------------------------------------------------------


def test_failures_below_the_limit_do_not_lock(client, settings, victim):
    """Up to the limit minus one failure, the right password still works."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "victim-ae", "wrong-password")
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content
    response = _login(client, "victim-ae", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_limit_locks_that_username_from_that_ip_with_a_clear_message(client, settings, victim):
    """At the limit the answer is 429 with a message that names the pause and a way out."""
    response = _fail_until_locked(client, settings, "victim-ae")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed log-in attempts" in html
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"paused for {minutes} minutes" in html
    assert "isn't a permanent lock" in html
    assert 'href="/accounts/password_reset/"' in html
    assert response["Retry-After"] == str(minutes * 60)
    # Even the right password is refused while the lock holds.
    response = _login(client, "victim-ae", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_same_username_from_another_ip_still_logs_in(client, settings, victim):
    """The lock is on username plus IP: the AE at home is not locked by an attacker elsewhere."""
    _fail_until_locked(client, settings, "victim-ae", ip=OFFICE_IP)
    response = _login(client, "victim-ae", PASSWORD, ip=HOME_IP)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_colleagues_on_the_same_ip_still_log_in(client, settings, victim):
    """One office IP must not lock out a whole team."""
    colleague = AEFactory(username="colleague-ae")
    _fail_until_locked(client, settings, "victim-ae", ip=OFFICE_IP)
    response = _login(client, "colleague-ae", PASSWORD, ip=OFFICE_IP)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_the_lock_ends_after_the_cool_off(client, settings, victim, frozen_clock):
    """A cool-off, not a permanent lock: once it has passed, the right password works."""
    _fail_until_locked(client, settings, "victim-ae")
    assert _login(client, "victim-ae", PASSWORD).status_code == 429
    # Time passes: every recorded failure is now older than the cool-off.
    frozen_clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    response = _login(client, "victim-ae", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_forged_forwarded_for_does_not_dodge_the_lock(client, settings, victim):
    """Without a proxy configured, X-Forwarded-For is ignored: rotating it changes nothing."""
    _fail_until_locked(client, settings, "victim-ae")
    response = client.post(
        LOGIN,
        {"username": "victim-ae", "password": PASSWORD},
        REMOTE_ADDR=OFFICE_IP,
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


def test_behind_a_proxy_the_forwarded_address_is_the_client(client, settings, victim):
    """With DJANGO_PROXY_COUNT=1 the proxy's X-Forwarded-For entry identifies the client."""
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "victim-ae", "password": "nope"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=OFFICE_IP,
        )
    locked = client.post(
        LOGIN,
        {"username": "victim-ae", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"6.6.6.6, {OFFICE_IP}",  # a forged left part changes nothing
    )
    assert locked.status_code == 429
    other_client = client.post(
        LOGIN,
        {"username": "victim-ae", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=HOME_IP,
    )
    assert other_client.status_code == 302


# --- No account enumeration ------------------------------------------------------------------


def _visible_text(response) -> str:
    """The page without its per-request CSRF tokens, for comparing two answers."""
    import re

    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_login_failure_reads_the_same_for_unknown_and_known_usernames(client, victim):
    """A wrong password and an unknown username get the same status and the same page."""
    known = _login(client, "victim-ae", "wrong-password")
    unknown = _login(client, "nobody-here", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    assert _visible_text(known).replace("victim-ae", "USER") == _visible_text(unknown).replace(
        "nobody-here", "USER"
    )


def test_inactive_account_reads_like_a_wrong_password(client, victim):
    victim.is_active = False
    victim.save()
    inactive = _login(client, "victim-ae", PASSWORD)
    unknown = _login(client, "nobody-here", PASSWORD)
    assert inactive.status_code == unknown.status_code == 200
    assert "inactive" not in inactive.content.decode().lower()
    assert _visible_text(inactive).replace("victim-ae", "USER") == _visible_text(unknown).replace(
        "nobody-here", "USER"
    )


def test_lockout_reads_the_same_for_unknown_usernames(client, settings, victim):
    """Locking happens per typed username, so it reveals nothing about which accounts exist."""
    known = _fail_until_locked(client, settings, "victim-ae")
    unknown = _fail_until_locked(client, settings, "nobody-here")
    assert known.status_code == unknown.status_code == 429
    assert _visible_text(known) == _visible_text(unknown)


def test_password_reset_answers_the_same_for_unknown_addresses(client, victim):
    """Same redirect and same 'check your email' page; mail goes only to a real account."""
    known = client.post(RESET, {"email": victim.email}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.com"}, follow=True)
    assert (
        known.redirect_chain == unknown.redirect_chain == [("/accounts/password_reset/done/", 302)]
    )
    assert _visible_text(known) == _visible_text(unknown)
    assert "If an account uses that address" in known.content.decode()
    assert [m.to for m in mail.outbox] == [[victim.email]]


def test_password_reset_is_rate_limited_per_address(client, victim):
    """Asking again and again for one address stops at a 429; no flood of email."""
    statuses = [client.post(RESET, {"email": victim.email}).status_code for _ in range(5)]
    assert statuses[:3] == [302, 302, 302]
    assert statuses[3:] == [429, 429]
    assert len(mail.outbox) == 3
    response = client.post(RESET, {"email": victim.email})
    assert "Too many requests" in response.content.decode()


def test_password_reset_limit_counts_spellings_of_one_address_together(client, victim):
    """Django finds the account whatever the case and surrounding spaces (email__iexact on the
    stripped field), so the per-address limit counts those spellings as one address: no
    fourth email by writing it differently. Each request comes from its own IP, so only the
    per-address limit is in play."""
    local, domain = victim.email.split("@")
    spellings = [
        victim.email,
        victim.email.upper(),
        f" {victim.email}",
        f"{local.capitalize()}@{domain.upper()}  ",
        f"\t{local}@{domain}",
    ]
    statuses = [
        client.post(RESET, {"email": email}, REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n, email in enumerate(spellings, start=1)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3


# --- Per-IP log-in throttle ----------------------------------------------------------------------


def _count_password_hashing(monkeypatch) -> list[str]:
    """Record every time a password is hashed or checked (the expensive part of a log-in)."""
    from django.contrib.auth import hashers

    calls: list[str] = []
    for name in ("encode", "verify"):
        original = getattr(hashers.MD5PasswordHasher, name)

        def spy(self, *args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(hashers.MD5PasswordHasher, name, spy)
    return calls


def test_log_ins_are_limited_per_ip_before_any_password_is_hashed(client, victim, monkeypatch):
    """20 log-in posts a minute from one IP, whatever the usernames (the per-user lockout cannot
    see a spray across many usernames); the 21st is a 429 with the site's message, answered
    before the password is hashed, so a flood costs the server next to nothing."""
    for n in range(20):
        response = _login(client, f"sprayed-{n}", "wrong-password")
        assert response.status_code == 200, n
    hashing = _count_password_hashing(monkeypatch)
    response = _login(client, "victim-ae", PASSWORD)
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert hashing == []
    assert "_auth_user_id" not in client.session
    # The admin's log-in form counts with the site's: no way round the limit there.
    admin = client.post(
        "/admin/login/", {"username": "victim-ae", "password": PASSWORD}, REMOTE_ADDR=OFFICE_IP
    )
    assert admin.status_code == 429
    assert hashing == []
    # Another IP is not slowed down; the page itself (GET) is never limited.
    assert _login(client, "victim-ae", PASSWORD, ip=HOME_IP).status_code == 302
    assert client.get(LOGIN, REMOTE_ADDR=OFFICE_IP).status_code in (200, 302)


def test_overlong_usernames_get_the_normal_refusal_not_a_500(client, settings):
    """A username longer than axes' 255-character column is refused like any wrong log-in,
    and still counts towards the lock (a 500 on PostgreSQL, found by the property test)."""
    username = "u" * 300
    response = _login(client, username, "wrong-password")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, username, "wrong-password")
    assert response.status_code == 429


@pytest.mark.parametrize("username", ["ab\x00cd", "\x00"])
def test_nul_in_a_username_is_refused_with_a_clear_400(client, username):
    response = _login(client, username, "wrong-password")
    assert response.status_code == 400
    assert "NUL control character" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "", "password": "x"}, "This field is required."),
        ({"username": "someone", "password": ""}, "This field is required."),
    ],
)
def test_login_explains_missing_or_unreadable_fields(client, data, message):
    """Bad input gets a clear message next to the field (not a silent reload of the form)."""
    response = client.post(LOGIN, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
