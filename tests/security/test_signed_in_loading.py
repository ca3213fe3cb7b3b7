"""Who is signed in: the session engine (enablement.sessions) and the authentication backend
(enablement.backends) load the session and the user with plain queries, so each must keep
every rule of Django's own: expiry, log-out everywhere, tampering, inactive and deleted users,
and a password change signing out the other sessions. Runs on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enablement.backends import UserBackend
from enablement.models import User
from enablement.sessions import SessionStore
from tests.factories import PASSWORD, AEFactory, LessonFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
USES_OWN_ENGINE = settings.SESSION_ENGINE == "enablement.sessions"


def _signed_in(user) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the log-in form should have signed the user in"
    return client


def _is_signed_in(client: Client) -> bool:
    response = client.get("/")
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
        return False
    assert response.status_code == 200
    return True


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_settings_use_the_tierwise_engine_and_backend_with_axes_first():
    assert settings.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "enablement.backends.UserBackend",
    ]
    with_redis = settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert (
        "django.contrib.sessions.backends.cached_db" if with_redis else "enablement.sessions"
    ) == settings.SESSION_ENGINE


def test_logging_in_through_the_form_records_the_tierwise_backend():
    ae = AEFactory(username="ae-form")
    client = _signed_in(ae)
    data = _session(client).get_decoded()
    assert data[SESSION_KEY] == str(ae.pk)
    assert data[BACKEND_SESSION_KEY] == "enablement.backends.UserBackend"
    assert _is_signed_in(client)


# --- The session engine ------------------------------------------------------------------------


def test_a_session_loads_exactly_as_djangos_own_engine_loads_it():
    store = SessionStore()
    store.update(
        {"plain": "text", "unicode": "Zürich – 東京", "number": 7, "nested": [1, {"a": 2}]}
    )
    store.create()
    assert SessionStore(store.session_key).load() == DjangoSessionStore(store.session_key).load()
    assert SessionStore(store.session_key).load()["unicode"] == "Zürich – 東京"


def test_an_expired_session_is_empty_and_its_key_is_never_reused():
    store = SessionStore()
    store["kept"] = "no"
    store.create()
    old_key = store.session_key
    Session.objects.filter(session_key=old_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(old_key)
    assert expired.load() == {}
    assert expired.session_key is None  # as Django's: a new session gets a new key
    expired["fresh"] = "yes"
    expired.save()
    assert expired.session_key not in (None, old_key)


def test_a_session_a_second_from_expiry_still_loads():
    store = SessionStore()
    store["kept"] = "yes"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=5)
    )
    assert SessionStore(store.session_key).load() == {"kept": "yes"}


@pytest.mark.skipif(
    not USES_OWN_ENGINE, reason="with Redis, cached_db reads the cache, not the row"
)
def test_an_expired_sign_in_sends_the_ae_to_log_in():
    client = _signed_in(AEFactory(username="ae-expiring"))
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    assert not _is_signed_in(client)


# With Redis the cached_db engine warns that such a key would not suit memcached.
@pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning")
@pytest.mark.parametrize("key", ["", "short", "x" * 40, "'; DROP TABLE django_session; --"])
def test_an_unknown_or_malformed_session_key_is_anonymous(key):
    assert SessionStore(key).load() == {}
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not _is_signed_in(client)


@pytest.mark.skipif(
    not USES_OWN_ENGINE, reason="with Redis, cached_db reads the cache, not the row"
)
def test_tampered_session_data_signs_out_without_an_error():
    client = _signed_in(AEFactory(username="ae-tampered"))
    Session.objects.filter(pk=_session(client).pk).update(session_data="not:signed:data")
    assert not _is_signed_in(client)


def test_logging_out_in_one_browser_signs_out_a_copy_of_the_cookie():
    """Log-out deletes the session row; a stolen or copied cookie is then worth nothing,
    whichever worker answers it."""
    browser = _signed_in(AEFactory(username="ae-copied"))
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert _is_signed_in(copy)
    assert browser.post("/accounts/logout/").status_code == 302
    assert not _is_signed_in(copy)
    assert not _is_signed_in(browser)


# --- The authentication backend ----------------------------------------------------------------


def test_the_user_is_loaded_field_for_field_as_the_orm_loads_it():
    ae = AEFactory(username="ae-fields", first_name="Zoë", last_name="O'Brien", is_staff=True)
    now = timezone.now().replace(microsecond=123456)
    User.objects.filter(pk=ae.pk).update(
        last_login=now,
        last_lesson=LessonFactory(),
        last_lesson_at=now - timedelta(minutes=3),
        learning_record_version=2**40,
        time_zone="Asia/Tokyo",
    )
    loaded = UserBackend().get_user(str(ae.pk))
    expected = User.objects.get(pk=ae.pk)
    for field in User._meta.concrete_fields:
        got, want = getattr(loaded, field.attname), getattr(expected, field.attname)
        assert got == want, field.name
        assert type(got) is type(want), field.name
    assert loaded.last_login == now
    assert loaded.last_lesson_at.tzinfo is not None
    assert loaded.team == ae.team
    assert not loaded._state.adding
    assert loaded._state.db == expected._state.db


@pytest.mark.parametrize("user_id", ["not-a-number", "", None, "999999"])
def test_an_unusable_or_unknown_user_id_is_nobody(user_id):
    assert UserBackend().get_user(user_id) is None


def test_a_deactivated_user_is_signed_out_on_their_next_request():
    ae = AEFactory(username="ae-leaving")
    client = _signed_in(ae)
    User.objects.filter(pk=ae.pk).update(is_active=False)
    assert UserBackend().get_user(ae.pk) is None
    assert not _is_signed_in(client)


def test_a_deleted_user_is_signed_out():
    ae = AEFactory(username="ae-deleted")
    client = _signed_in(ae)
    ae.delete()
    assert not _is_signed_in(client)


def test_a_password_change_signs_out_the_other_sessions():
    ae = AEFactory(username="ae-rotating")
    laptop, phone = _signed_in(ae), _signed_in(ae)
    response = laptop.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert _is_signed_in(laptop)  # Django keeps the session that changed it
    assert not _is_signed_in(phone)


@pytest.mark.skipif(not USES_OWN_ENGINE, reason="with Redis, sessions come from the cache")
def test_a_signed_in_request_reads_the_session_once_and_the_user_once():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _signed_in(AEFactory(username="ae-counted"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    table = connection.ops.quote_name(User._meta.db_table)
    assert sum("django_session" in statement for statement in sql) == 1
    assert sum(statement.startswith(f"SELECT * FROM {table}") for statement in sql) == 1
