"""The foundation: login everywhere, role-scoped home page, health check, demo data, settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from enablement.models import Team, User
from tests.factories import AEFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

PROTECTED_URLS = [
    "/",
    "/lessons/",
    "/field-guide/",
    "/simulator/",
    "/simulator/plan/",
    "/drills/",
    "/roleplay/",
    "/quizzes/",
    "/team/",
    "/team/results.csv",
    "/accounts/password_change/",
]


@pytest.mark.parametrize("url", PROTECTED_URLS)
def test_anonymous_user_is_sent_to_login(client, url):
    """Every page but login, password reset and /healthz needs a signed-in user."""
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password_reset/", "/healthz"])
def test_public_pages_need_no_login(client, url):
    assert client.get(url).status_code == 200


def test_admin_sends_anonymous_to_its_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    from django.db import DatabaseError, connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


@pytest.fixture
def read_only_database():
    """The test's database connection refuses writes, as a replica or a read-only disk would."""
    from django.db import connection

    on, off = {
        "sqlite": ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
        "postgresql": ("SET transaction_read_only = on", None),  # until the test's rollback
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(on)
    yield
    if off:
        with connection.cursor() as cursor:
            cursor.execute(off)


def test_healthz_is_503_with_the_reason_when_the_database_is_read_only(client, read_only_database):
    """Reads work but nothing could be saved: not healthy, and the answer says why."""
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database is read-only: it refuses writes"


def test_healthz_with_a_session_does_not_read_the_session_or_the_user(client, ae):
    """The health check touches only what it checks: a signed-in browser's cookie adds no
    session or user query (with the database down, those would fail before the check)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(ae)
    cache.clear()  # the session must come from the database if anything reads it
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    sql = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    assert not [q for q in sql if "django_session" in q]
    assert len(sql) == 2, sql  # a read, and a write that changes nothing


def test_login_with_password_reaches_home(client, ae):
    # The AE logs in through the real form (axes needs the request).
    response = client.post(
        "/accounts/login/",
        {"username": "ae-one", "password": "correct-horse-battery-staple"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/"
    assert b"Your next steps" in response.content


def test_ae_home_shows_next_steps_not_team_data(client, ae, manager):
    """An AE sees their own next steps and no roster of the team."""
    teammate = AEFactory(team=ae.team, username="teammate-x")
    client.force_login(ae)
    html = client.get("/").content.decode()
    assert "Your next steps" in html
    assert "Your team:" not in html
    assert teammate.username not in html


def test_manager_home_lists_only_their_own_team(client, manager, ae, other_ae):
    client.force_login(manager)
    html = client.get("/").content.decode()
    assert "Your team: Test Team" in html
    assert ae.username in html
    assert other_ae.username not in html


def test_home_links_are_not_dead(client, ae):
    """Every link on the AE home page answers (no 404 or 500)."""
    import re

    client.force_login(ae)
    html = client.get("/").content.decode()
    links = set(re.findall(r'href="(/[^"#]*)"', html))
    assert links
    for link in links:
        if link.startswith("/static/"):
            continue
        assert client.get(link).status_code in (200, 302), link


def test_visible_to_scopes_people(manager, ae, other_ae, admin_user):
    assert set(User.objects.visible_to(ae)) == {ae}
    assert set(User.objects.visible_to(manager)) == {manager, ae}
    assert other_ae in User.objects.visible_to(admin_user)


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    team = Team.objects.get(name="Demo West")
    assert team.manager.username == "demo-manager"
    assert sorted(team.members.values_list("username", flat=True)) == [
        "demo-ae1",
        "demo-ae2",
        "demo-ae3",
    ]
    assert User.objects.filter(username__startswith="demo-").count() == 5
    admin = User.objects.get(username="demo-admin")
    assert admin.is_staff and admin.check_password("tierwise-demo")


def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.filter(username="demo-ae1").exists()
    call_command("seed_demo", force=True)
    assert User.objects.filter(username="demo-ae1").exists()


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TIERWISE_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_with_debug_off_fails_clearly():
    result = _manage("check", env={"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7$kP2!qLm9#vR4&tW8*zY1^bN6@cD3%fH5(jK0)sA2-eG7+uI9=oQ4",
    "DJANGO_ALLOWED_HOSTS": "tierwise.example.com",
}


def test_check_deploy_has_no_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_ENV, "TIERWISE_SITE_URL": "https://tierwise.example.com"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize(
    "site_url",
    [
        None,
        "http://127.0.0.1:8000",
        "http://localhost:8000/",
        "https://[::1]",
        "tierwise.example.com",
    ],
)
def test_check_deploy_fails_when_email_links_would_point_at_this_machine(site_url):
    """Assignment and reminder emails link to TIERWISE_SITE_URL: unset (127.0.0.1), local or
    without a scheme, every AE would get a dead link, so the deploy check refuses it."""
    env = dict(PRODUCTION_ENV)
    if site_url is not None:
        env["TIERWISE_SITE_URL"] = site_url
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "tierwise.W001" in result.stderr
    assert "TIERWISE_SITE_URL" in result.stderr


def test_pages_carry_landmarks_and_skip_link(ae_client):
    html = ae_client.get("/").content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert '<nav aria-label="Main">' in html
    assert "<title>Home · Tierwise</title>" in html
