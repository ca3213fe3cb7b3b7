"""Mass assignment: fields a client adds to a form (score, user, is_correct, ...) are ignored.
Whatever is posted, the server decides who owns a row and whether an answer is right."""

from __future__ import annotations

import pytest

from lessons.models import CheckAnswer, LessonProgress
from practice.models import DrillAnswer, RoleplayAttempt
from quizzes.models import Assignment
from routing.models import Disagreement, RoutingPlan, TierGuess

pytestmark = pytest.mark.django_db


@pytest.fixture
def forged(world) -> dict[str, str]:
    """What an attacker adds to every form: someone else's id and a perfect result."""
    teammate = world.users["teammate"]
    return {
        "user": str(teammate.pk),
        "user_id": str(teammate.pk),
        "owner": str(teammate.pk),
        "assigned_by": str(teammate.pk),
        "score": "100",
        "passed": "true",
        "is_correct": "true",
        "correct_tier": "frontier",
        "verdict": "strong",
        "status": "accepted",
        "routed_tier": "frontier",
        "confidence": "sure",
    }


def test_drill_answer_is_scored_on_the_server(world, forged):
    owner = world.users["owner"]
    wrong = next(t for t in ("small", "mid", "frontier") if t != world.scenario.correct_tier)
    data = {**forged, "scenario": str(world.scenario.pk), "tier": wrong, "correct_tier": wrong}
    response = world.client("owner").post(f"/drills/{world.drill.pk}/answer/", data)
    assert response.status_code == 302
    answer = DrillAnswer.objects.get(session=world.drill, scenario=world.scenario)
    assert answer.user == owner
    assert answer.is_correct is False
    assert answer.correct_tier == world.scenario.correct_tier


def test_quiz_submission_is_scored_on_the_server(world, forged):
    attempt = world.open_attempt
    data = {**forged, "question": [str(pk) for pk in attempt.question_ids]}  # all blank
    response = world.client("owner").post(f"/quizzes/attempts/{attempt.pk}/submit/", data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.user == world.users["owner"]
    assert attempt.submitted_at is not None
    assert attempt.score == 0
    assert attempt.passed is False


def test_knowledge_check_is_scored_on_the_server(world, forged):
    question = world.check_question
    wrong = question.choices.get(is_correct=False)
    response = world.client("owner").post(
        f"/lessons/{world.lesson.slug}/check/{question.pk}/", {**forged, "choice": str(wrong.pk)}
    )
    assert response.status_code in (200, 302)
    answer = CheckAnswer.objects.get(question=question)
    assert answer.user == world.users["owner"]
    assert answer.is_correct is False
    assert not CheckAnswer.objects.filter(user=world.users["teammate"]).exists()


def test_lesson_completion_is_the_requesters_own(world, forged):
    response = world.client("owner").post(f"/lessons/{world.lesson.slug}/complete/", forged)
    assert response.status_code in (200, 302)
    assert LessonProgress.objects.filter(user=world.users["owner"], lesson=world.lesson).exists()
    assert not LessonProgress.objects.filter(user=world.users["teammate"]).exists()


def test_roleplay_reply_is_scored_on_the_server(world, forged):
    text = "Just use the most powerful model for everything, it is always best."
    response = world.client("owner").post(
        f"/roleplay/{world.prompt.slug}/reply/", {**forged, "text": text}
    )
    assert response.status_code == 302
    attempt = RoleplayAttempt.objects.get(text=text)
    assert attempt.user == world.users["owner"]
    assert attempt.verdict == "weak"
    assert attempt.score < 100
    assert not RoleplayAttempt.objects.filter(user=world.users["teammate"]).exists()


def test_simulator_guess_and_disagreement_belong_to_the_requester(world, forged):
    client = world.client("owner")
    text = "Classify each incoming support ticket into one of five queues"
    response = client.post("/simulator/guess/", {**forged, "text": text, "guess": "small"})
    assert response.status_code == 200
    guess = TierGuess.objects.get()
    assert guess.user == world.users["owner"]
    assert guess.guessed_tier == "small"
    response = client.post(
        "/simulator/disagree/", {**forged, "text": text, "suggested_tier": "mid", "reason": "x"}
    )
    assert response.status_code == 200
    disagreement = Disagreement.objects.get()
    assert disagreement.user == world.users["owner"]
    assert disagreement.status == Disagreement.Status.PENDING


def test_routing_plan_belongs_to_the_requester(world, forged):
    response = world.client("owner").post(
        "/simulator/plan/", {**forged, "workloads": "1000, classify support tickets"}
    )
    assert response.status_code == 302
    plan = RoutingPlan.objects.exclude(pk=world.plan.pk).get()
    assert plan.owner == world.users["owner"]


def test_assignment_is_made_by_the_requesting_manager_for_their_team(world, forged):
    manager = world.users["manager"]
    data = {
        **forged,
        "kind": "quiz",
        "quiz": str(world.quiz.pk),
        "audience": "team",
        "due_at": "2099-01-01T09:00",
    }
    data.pop("user")
    response = world.client("manager").post("/team/assign/", data)
    assert response.status_code == 302
    assignment = Assignment.objects.exclude(pk=world.assignment.pk).get()
    assert assignment.assigned_by == manager
    assert assignment.team == world.team_a
    assert set(assignment.recipients.values_list("user__username", flat=True)) == {
        "owner-ae",
        "teammate-ae",
    }
