"""Reminders as background tasks (django-tasks, database backend): making an assignment or a
certificate enqueues the sweep for when its reminder falls due; a worker runs it; each
reminder goes out once, even with two workers at once; dates read in the AE's time zone."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quizzes import certification
from quizzes.models import Certificate, CertificateReminder, MaterialChange, Programme, Requirement
from quizzes.services import create_assignment
from quizzes.tasks import send_due_reminders
from tests.factories import (
    AEFactory,
    LessonFactory,
    LessonProgressFactory,
    QuizFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def certified_ae(**user):
    ae = AEFactory(email="ae@example.com", **user)
    lesson = LessonFactory()
    programme = Programme.objects.create(slug="p", name="Tier routing certified")
    requirement = Requirement.objects.create(
        programme=programme, order=1, kind="lessons", title="Lessons"
    )
    requirement.lessons.set([lesson])
    LessonProgressFactory(user=ae, lesson=lesson, completed_at=timezone.now())
    [cert] = certification.issue_earned(user=ae)
    return ae, cert, requirement


def test_making_an_assignment_enqueues_its_reminders_and_the_worker_sends_them():
    team = TeamFactory()
    AEFactory(team=team, email="ae@example.com")
    due = timezone.now() + timedelta(hours=1)  # already inside the due-soon window
    create_assignment(assigned_by=team.manager, team=team, due_at=due, quiz=QuizFactory())
    queued = sorted(DBTaskResult.objects.values_list("run_after", flat=True))
    assert len(queued) == 2 and queued[-1] == due
    mail.outbox.clear()
    call_command("db_worker", "--batch", "--interval", "0", stdout=StringIO())
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [subjects[0]] and subjects[0].startswith("Due soon:")


def test_issuing_a_certificate_enqueues_its_expiry_reminder():
    _, cert, _ = certified_ae()
    [run_after] = DBTaskResult.objects.values_list("run_after", flat=True)
    assert run_after == cert.expires_at - timedelta(days=30)


def test_two_workers_at_once_send_each_reminder_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are checked on PostgreSQL")
    ae, cert, requirement = certified_ae()
    MaterialChange.objects.create(requirement=requirement, note="A figure changed")
    mail.outbox.clear()
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            send_due_reminders.call()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert CertificateReminder.objects.filter(certificate=cert).count() == 1
    assert [m.subject for m in mail.outbox] == ["Recertify: Tier routing certified"]


def test_certificate_reminders_are_sent_once_in_the_holders_time_zone():
    ae, cert, _ = certified_ae(time_zone="Pacific/Auckland")
    # 30 days before expiry, late in the UTC day: already the next day in Auckland.
    expires = timezone.now().replace(hour=20, minute=0, second=0, microsecond=0) + timedelta(
        days=20
    )
    Certificate.objects.filter(pk=cert.pk).update(expires_at=expires)
    mail.outbox.clear()
    call_command("send_reminders", stdout=StringIO())
    call_command("send_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1
    local = timezone.localtime(
        expires, timezone=__import__("zoneinfo").ZoneInfo("Pacific/Auckland")
    )
    assert local.strftime("%d %B %Y") in mail.outbox[0].body
