"""Data safety under concurrency, on PostgreSQL (real row locks; SQLite serialises writers):
20 simultaneous requests that should count once do count once, and none answers a 5xx."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from lessons.models import CheckAnswer, LessonProgress
from practice.models import DrillAnswer, RoleplayAttempt
from quizzes import services as assessment_services
from quizzes.models import Assignment, Attempt
from routing.classifier import route
from routing.models import RoutingPlan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency is checked on PostgreSQL"
    ),
]

CONCURRENCY = 20


def hammer(user, method: str, url: str, data: dict | None = None) -> list[int]:
    """CONCURRENCY signed-in clients send the same request at the same moment."""
    clients = []
    for _ in range(CONCURRENCY):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(CONCURRENCY)
    statuses: list[int] = []
    lock = threading.Lock()

    def send(client: Client) -> None:
        try:
            barrier.wait(timeout=30)
            response = getattr(client, method)(url, data or {})
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == CONCURRENCY
    return statuses


def test_twenty_simultaneous_submissions_of_one_attempt_give_one_result(world, settings):
    settings.RATELIMIT_ENABLE = False
    attempt = world.open_attempt
    data = {"question": [str(pk) for pk in attempt.question_ids]}
    statuses = hammer(world.users["owner"], "post", f"/quizzes/attempts/{attempt.pk}/submit/", data)
    assert Counter(statuses) == {302: CONCURRENCY}
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    # One submission: one scored attempt, each question answered once, no new attempt.
    assert Attempt.objects.filter(user=world.users["owner"], quiz=world.quiz).count() == 2
    answered = Counter(attempt.answers.values_list("question_id", flat=True))
    assert all(n == 1 for n in answered.values())


def test_simultaneous_starts_cannot_exceed_the_attempt_limit(world, settings):
    """The quiz allows 3 attempts; the owner has used 1 self-paced (open). Submit it, then 20
    simultaneous starts: at most the remaining attempts exist, all answers are redirects."""
    settings.RATELIMIT_ENABLE = False
    owner = world.users["owner"]
    assessment_services.submit_attempt(attempt=world.open_attempt)
    statuses = hammer(owner, "post", f"/quizzes/{world.quiz.slug}/start/")
    assert set(statuses) == {302}
    self_paced = Attempt.objects.filter(user=owner, quiz=world.quiz, assignment__isnull=True)
    assert self_paced.count() <= world.quiz.max_attempts
    assert self_paced.filter(submitted_at__isnull=True).count() == 1


def test_simultaneous_starts_at_the_limit_open_nothing_new(world, settings):
    settings.RATELIMIT_ENABLE = False
    owner = world.users["owner"]
    world.quiz.max_attempts = 1
    world.quiz.save()
    assessment_services.submit_attempt(attempt=world.open_attempt)
    before = Attempt.objects.count()
    statuses = hammer(owner, "post", f"/quizzes/{world.quiz.slug}/start/")
    assert set(statuses) == {302}  # back to the quiz page with "you have used all attempts"
    assert Attempt.objects.count() == before


def test_twenty_simultaneous_answers_to_one_drill_scenario_count_once(world, settings):
    settings.RATELIMIT_ENABLE = False
    data = {"scenario": str(world.scenario.pk), "tier": "mid", "confidence": "sure"}
    statuses = hammer(world.users["owner"], "post", f"/drills/{world.drill.pk}/answer/", data)
    assert set(statuses) == {302}
    assert DrillAnswer.objects.filter(session=world.drill, scenario=world.scenario).count() == 1


def test_simultaneous_lesson_completions_and_checks_count_once(world, settings):
    settings.RATELIMIT_ENABLE = False
    owner = world.users["owner"]
    statuses = hammer(owner, "post", f"/lessons/{world.lesson.slug}/complete/")
    assert all(s < 500 for s in statuses)
    assert LessonProgress.objects.filter(user=owner, lesson=world.lesson).count() == 1
    question = world.check_question
    choice = question.choices.first()
    statuses = hammer(
        owner,
        "post",
        f"/lessons/{world.lesson.slug}/check/{question.pk}/",
        {"choice": str(choice.pk)},
    )
    assert all(s < 500 for s in statuses)
    answer = CheckAnswer.objects.get(user=owner, question=question)
    assert answer.attempts == CONCURRENCY


# --- The same form sent many times at once: stored once ------------------------------------------


@pytest.mark.parametrize("kind", ["quiz", "drills"])
def test_twenty_simultaneous_identical_assignments_make_one_and_email_once(world, settings, kind):
    """A manager's double click (or a flaky connection's retries) arriving together: one
    assignment, one email per AE, and every request answered like the first."""
    settings.RATELIMIT_ENABLE = False
    manager = world.users["manager"]
    due = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    data = {"audience": "team", "due_at": due, "note": "Before the QBR"}
    if kind == "quiz":
        data.update(kind="quiz", quiz=str(world.quiz.pk))
    else:
        data.update(kind="drills", drill_count="5")
    before = Assignment.objects.count()
    statuses = hammer(manager, "post", "/team/assign/", data)
    assert Counter(statuses) == {302: CONCURRENCY}
    assert Assignment.objects.count() == before + 1
    made = Assignment.objects.latest("pk")
    aes = set(world.team_a.aes.values_list("email", flat=True))
    assert set(made.recipients.values_list("user__email", flat=True)) == aes
    assert sorted(m.to[0] for m in mail.outbox) == sorted(aes)


def test_twenty_simultaneous_identical_roleplay_replies_are_stored_once(world, settings):
    settings.RATELIMIT_ENABLE = False
    owner = world.users["owner"]
    text = "Most traffic routes to mid-tier; frontier handles the hard reasoning."
    statuses = hammer(owner, "post", f"/roleplay/{world.prompt.slug}/reply/", {"text": text})
    assert Counter(statuses) == {302: CONCURRENCY}
    assert RoleplayAttempt.objects.filter(user=owner, prompt=world.prompt, text=text).count() == 1


def test_twenty_simultaneous_identical_routing_plans_are_stored_once(world, settings):
    settings.RATELIMIT_ENABLE = False
    owner = world.users["owner"]
    route("load the router before the requests race")
    before = RoutingPlan.objects.filter(owner=owner).count()
    data = {"title": "QBR", "workloads": "1000000, Tag every support ticket with its product"}
    statuses = hammer(owner, "post", "/simulator/plan/", data)
    assert Counter(statuses) == {302: CONCURRENCY}
    assert RoutingPlan.objects.filter(owner=owner).count() == before + 1
