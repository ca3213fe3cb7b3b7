"""Security events are logged with user, IP and time, and never passwords or session ids."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, LessonFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.44"
WRONG = "Tr0ub4dor&3-wrong-guess"
ISO_TIME = r'at="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d'


@pytest.fixture
def security_log(caplog, monkeypatch):
    """The lines written to the "tierwise.security" logger during the test."""
    logger = logging.getLogger("tierwise.security")
    monkeypatch.setattr(logger, "propagate", True)  # let caplog's root handler see them
    caplog.set_level(logging.INFO, logger="tierwise.security")

    def lines(event: str | None = None) -> list[str]:
        found = [r.getMessage() for r in caplog.records if r.name == "tierwise.security"]
        return [line for line in found if event is None or line.startswith(f"event={event} ")]

    lines.caplog = caplog
    return lines


def test_login_success_is_logged_with_user_ip_and_time(client, ae, security_log):
    client.post("/accounts/login/", {"username": ae.username, "password": PASSWORD}, REMOTE_ADDR=IP)
    [line] = security_log("login_succeeded")
    assert f'user="{ae.username}"' in line
    assert f'ip="{IP}"' in line
    assert 'path="/accounts/login/"' in line
    assert re.search(ISO_TIME, line)
    # Neither the password nor the new session id is written anywhere in the log.
    session_id = client.cookies["sessionid"].value
    assert PASSWORD not in security_log.caplog.text
    assert session_id not in security_log.caplog.text


def test_login_failure_is_logged_without_the_password(client, ae, security_log):
    client.post("/accounts/login/", {"username": ae.username, "password": WRONG}, REMOTE_ADDR=IP)
    [line] = security_log("login_failed")
    assert f'user="{ae.username}"' in line and f'ip="{IP}"' in line
    assert re.search(ISO_TIME, line)
    assert WRONG not in security_log.caplog.text


def test_lockout_is_logged(client, ae, settings, security_log):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/", {"username": ae.username, "password": WRONG}, REMOTE_ADDR=IP
        )
    [line] = security_log("lockout")
    assert f'user="{ae.username}"' in line and f'ip="{IP}"' in line
    assert re.search(ISO_TIME, line)
    assert len(security_log("login_failed")) == settings.AXES_FAILURE_LIMIT
    assert WRONG not in security_log.caplog.text


@pytest.mark.urls("tests.enablement.urls_for_tests")
def test_permission_denial_is_logged(ae, security_log):
    client = Client(raise_request_exception=False, REMOTE_ADDR=IP)
    client.force_login(ae)
    client.get("/test-only/forbidden/")
    [line] = security_log("permission_denied")
    assert f'user="{ae.username}"' in line and f'ip="{IP}"' in line
    assert 'path="/test-only/forbidden/"' in line
    assert re.search(ISO_TIME, line)
    assert client.cookies["sessionid"].value not in security_log.caplog.text


def test_a_manager_marking_a_lesson_complete_is_refused_and_logged(manager, security_log):
    """Only AEs have lesson progress; the refusal goes through the 403 handler and the log."""
    lesson = LessonFactory(slug="logged")
    client = Client(REMOTE_ADDR=IP)
    client.force_login(manager)
    response = client.post(reverse("lessons:complete", args=[lesson.slug]))
    assert response.status_code == 403
    [line] = security_log("permission_denied")
    assert f'user="{manager.username}"' in line and 'path="/lessons/logged/complete/"' in line


def test_csrf_failure_is_logged_with_the_reason(ae, security_log):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=IP)
    client.force_login(ae)
    client.post("/accounts/logout/")
    [line] = security_log("csrf_failure")
    assert f'user="{ae.username}"' in line and f'ip="{IP}"' in line
    assert 'method="POST"' in line and "CSRF cookie not set" in line
    assert re.search(ISO_TIME, line)
    assert client.cookies["sessionid"].value not in security_log.caplog.text


@pytest.mark.urls("tests.enablement.urls_for_tests")
def test_rate_limit_hits_are_logged(ae_client, ae, security_log):
    for _ in range(4):
        ae_client.post("/test-only/limited/")
    [line] = security_log("rate_limited")
    assert f'user="{ae.username}"' in line and 'path="/test-only/limited/"' in line


def test_a_typed_username_cannot_forge_log_lines(client, security_log):
    """Newlines and quotes in a username are escaped: one event is one line."""
    forged = 'x"\nevent=login_succeeded user="admin'
    client.post("/accounts/login/", {"username": forged, "password": WRONG})
    lines = security_log()
    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert security_log("login_succeeded") == []
    assert r'user="x\"\nevent=login_succeeded user=\"admin"' in lines[0]


def test_very_long_usernames_are_truncated_in_the_log(client, security_log):
    client.post("/accounts/login/", {"username": "u" * 5000, "password": WRONG})
    [line] = security_log("login_failed")
    assert len(line) < 600
