"""Reminders go out once each; due dates and overdue status are right across time zones."""

import datetime as dt
import zoneinfo
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from quizzes.models import Assignment, AssignmentRecipient, Reminder, Status
from quizzes.services import send_reminders, start_attempt, submit_attempt
from tests.factories import AEFactory, assign, build_quiz
from tests.quizzes.helpers import right_answers

pytestmark = pytest.mark.django_db

UTC = dt.UTC
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def test_due_soon_reminder_is_sent_once_across_hourly_runs(ae, team):
    quiz = build_quiz(title="Tier fundamentals")
    assign(quiz, team=team, due_in=timedelta(hours=30))
    first = send_reminders()
    second = send_reminders()
    assert first == {"due_soon": 1, "overdue": 0}
    assert second == {"due_soon": 0, "overdue": 0}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Due soon: Tier fundamentals"
    assert mail.outbox[0].to == [ae.email]


def test_overdue_reminder_follows_once_after_the_due_date(ae, team):
    quiz = build_quiz()
    assign(quiz, team=team, due_in=timedelta(hours=30))
    send_reminders()
    later = timezone.now() + timedelta(hours=31)
    assert send_reminders(now=later) == {"due_soon": 0, "overdue": 1}
    assert send_reminders(now=later + timedelta(hours=1)) == {"due_soon": 0, "overdue": 0}
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Due soon", "Overdue"]
    assert Reminder.objects.count() == 2


def test_no_reminder_far_from_the_due_date_or_once_passed(ae, team):
    quiz = build_quiz()
    far = assign(quiz, team=team, due_in=timedelta(days=5))
    done = assign(quiz, team=team, due_in=timedelta(hours=5))
    submit_attempt(
        attempt=start_attempt(user=ae, quiz=quiz, assignment=done), answers=right_answers(quiz)
    )
    assert send_reminders() == {"due_soon": 0, "overdue": 0}
    assert far.recipients.get().reminders.count() == 0
    assert mail.outbox == []


def test_a_failed_send_is_retried_next_run(ae, team, monkeypatch):
    """If the mail server fails, no reminder is recorded, so the next hourly run sends it."""
    from quizzes import services as assessment_services

    assign(build_quiz(), team=team, due_in=timedelta(hours=3))

    def down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(assessment_services, "send_mail", down)
    assert send_reminders() == {"due_soon": 0, "overdue": 0}
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert send_reminders() == {"due_soon": 1, "overdue": 0}


def test_send_reminders_command_is_safe_to_rerun(ae, team):
    assign(build_quiz(), team=team, due_in=timedelta(hours=-2))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    assert "Sent 0 due-soon and 1 overdue reminders, 0 certificate-expiry" in out.getvalue()
    assert "Sent 0 due-soon and 0 overdue reminders, 0 certificate-expiry" in out.getvalue()
    assert len(mail.outbox) == 1


# --- Time zones ----------------------------------------------------------------------------


def _recipient(assignment, user):
    return AssignmentRecipient.objects.with_progress().get(assignment=assignment, user=user)


def test_due_time_entered_by_a_manager_is_read_in_their_time_zone(client, team, ae):
    """A Los Angeles manager's "10 March 17:00" is 00:00 UTC on 11 March (PDT, UTC-7)."""
    team.manager.time_zone = "America/Los_Angeles"
    team.manager.save()
    client.force_login(team.manager)
    future = timezone.now().astimezone(LA).year + 1
    response = client.post(
        "/team/assign/",
        {"kind": "drills", "drill_count": 3, "audience": "team", "due_at": f"{future}-03-10T17:00"},
    )
    assert response.status_code == 302
    due = Assignment.objects.get().due_at
    assert due == dt.datetime(future, 3, 10, 17, 0, tzinfo=LA)
    assert due.astimezone(UTC).day == 11


def test_overdue_is_the_same_instant_everywhere(team):
    """Due 17:00 in Los Angeles: at 16:59 LA (23:59 UTC) it is not overdue; at 17:01 it is,
    although in Tokyo it is already the next morning and in UTC already the next day."""
    tokyo_ae = AEFactory(team=team, username="tokyo", time_zone="Asia/Tokyo")
    due = dt.datetime(2031, 3, 10, 17, 0, tzinfo=LA)
    assignment = Assignment.objects.create(
        team=team,
        drill_count=3,
        assigned_by=team.manager,
        whole_team=True,
        assigned_at=due - timedelta(days=7),
        due_at=due,
    )
    AssignmentRecipient.objects.create(assignment=assignment, user=tokyo_ae)
    recipient = _recipient(assignment, tokyo_ae)
    assert recipient.status(due - timedelta(minutes=1)) == Status.DUE_SOON
    assert recipient.status(due + timedelta(minutes=1)) == Status.OVERDUE
    # 00:30 UTC on the 11th is 17:30 LA on the 10th: overdue.
    assert recipient.status(dt.datetime(2031, 3, 11, 0, 30, tzinfo=UTC)) == Status.OVERDUE
    # 23:30 UTC on the 10th is 16:30 LA: not yet, though Tokyo's calendar already says the 11th.
    assert recipient.status(dt.datetime(2031, 3, 10, 23, 30, tzinfo=UTC)) == Status.DUE_SOON


def test_due_date_is_shown_in_the_viewers_time_zone(client, team):
    """The same due instant reads 17:00 in Los Angeles and 09:00 the next day in Tokyo."""
    tokyo_ae = AEFactory(team=team, username="tokyo", time_zone="Asia/Tokyo")
    la_ae = AEFactory(team=team, username="la", time_zone="America/Los_Angeles")
    due = dt.datetime(2031, 3, 10, 17, 0, tzinfo=LA)
    assignment = Assignment.objects.create(
        team=team, drill_count=3, assigned_by=team.manager, whole_team=True, due_at=due
    )
    for user in (tokyo_ae, la_ae):
        AssignmentRecipient.objects.create(assignment=assignment, user=user)
    client.force_login(tokyo_ae)
    assert "Tue 11 Mar 2031, 09:00 JST" in client.get("/quizzes/").content.decode()
    client.force_login(la_ae)
    assert "Mon 10 Mar 2031, 17:00 PDT" in client.get("/quizzes/").content.decode()


def test_reminder_email_states_the_due_time_in_the_aes_time_zone(team):
    AEFactory(team=team, username="tokyo", time_zone="Asia/Tokyo")
    due = timezone.now() + timedelta(hours=5)
    assign(build_quiz(), team=team, due_in=timedelta(hours=5))
    send_reminders()
    local = due.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"{local:%a %d %b %Y}" in mail.outbox[0].body
    assert "(Asia/Tokyo)" in mail.outbox[0].body
