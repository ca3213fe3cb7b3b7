"""Drill sessions and spaced repetition (quizzes/practice_services.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practice.models import DrillAnswer, ScenarioReview
from practice.services import (
    PracticeError,
    answer_drill,
    pick_scenarios,
    start_drill_session,
)
from tests.factories import DrillSessionFactory, ScenarioFactory

pytestmark = pytest.mark.django_db


def _answer(user, scenario, tier, now):
    session = DrillSessionFactory(user=user, scenario_ids=[scenario.pk])
    return answer_drill(
        user=user,
        session=session,
        scenario=scenario,
        picked_tier=tier,
        confidence="sure",
        now=now,
    )


def test_a_missed_scenario_is_due_before_a_mastered_one(ae):
    """Leitner: a miss goes back to box 1 and is due at once; each right answer moves a
    scenario up a box and further out, so the missed one comes back first."""
    now = timezone.now()
    missed = ScenarioFactory(slug="missed", correct_tier="frontier")
    mastered = ScenarioFactory(slug="mastered", correct_tier="small")
    moment = now - timedelta(days=60)
    for _ in range(5):
        _answer(ae, mastered, "small", moment)
        moment += timedelta(days=10)
    _answer(ae, missed, "small", now)

    missed_review = ScenarioReview.objects.get(user=ae, scenario=missed)
    mastered_review = ScenarioReview.objects.get(user=ae, scenario=mastered)
    assert missed_review.box == 1
    assert mastered_review.is_mastered
    assert missed_review.due_at < mastered_review.due_at
    # The next session leads with the missed scenario.
    assert pick_scenarios(user=ae, size=1, now=now + timedelta(minutes=1)) == [missed]


def test_a_right_answer_pushes_the_next_review_further_out_each_time(ae):
    """Each consecutive right answer lengthens the gap before the scenario returns."""
    scenario = ScenarioFactory(correct_tier="mid")
    now = timezone.now()
    gaps = []
    for _ in range(3):
        _answer(ae, scenario, "mid", now)
        review = ScenarioReview.objects.get(user=ae, scenario=scenario)
        gaps.append(review.due_at - now)
        now = review.due_at
    assert gaps[0] < gaps[1] < gaps[2]


def test_a_session_prefers_due_then_unseen_scenarios(ae):
    """Due scenarios first, then ones never seen; scenarios not yet due come last."""
    now = timezone.now()
    due = ScenarioFactory(slug="due", correct_tier="mid")
    later = ScenarioFactory(slug="later", correct_tier="small")
    unseen = ScenarioFactory(slug="unseen")
    _answer(ae, due, "small", now - timedelta(hours=1))  # missed: due now
    _answer(ae, later, "small", now - timedelta(hours=1))  # right: due tomorrow

    session = start_drill_session(user=ae, size=3, now=now)
    assert session.scenario_ids == [due.pk, unseen.pk, later.pk]
    assert start_drill_session(user=ae, size=2, now=now).scenario_ids == [due.pk, unseen.pk]


def test_another_aes_reviews_do_not_change_my_session(ae, other_ae):
    """Spaced repetition is per AE: someone else's misses are not due for me."""
    now = timezone.now()
    scenario = ScenarioFactory(slug="theirs", correct_tier="frontier")
    ScenarioFactory(slug="mine")
    _answer(other_ae, scenario, "small", now)
    assert not ScenarioReview.objects.filter(user=ae).exists()
    assert len(pick_scenarios(user=ae, size=10, now=now)) == 2


def test_inactive_scenarios_are_not_drilled(ae):
    ScenarioFactory(slug="retired", is_active=False)
    active = ScenarioFactory(slug="active")
    assert pick_scenarios(user=ae, size=10, now=timezone.now()) == [active]


def test_session_size_is_bounded(ae):
    """A drill has 1-50 scenarios; anything else is refused with a message."""
    ScenarioFactory()
    for size in (0, 51):
        with pytest.raises(PracticeError, match="between 1 and 50"):
            start_drill_session(user=ae, size=size)


def test_answering_twice_keeps_the_first_answer(ae):
    """A double submit or a reload does not record a second answer or move the box twice."""
    scenario = ScenarioFactory(correct_tier="mid")
    session = DrillSessionFactory(user=ae, scenario_ids=[scenario.pk])
    first = answer_drill(
        user=ae, session=session, scenario=scenario, picked_tier="mid", confidence="sure"
    )
    again = answer_drill(
        user=ae, session=session, scenario=scenario, picked_tier="small", confidence="guessing"
    )
    assert again.pk == first.pk and again.is_correct
    assert DrillAnswer.objects.filter(user=ae).count() == 1
    assert ScenarioReview.objects.get(user=ae, scenario=scenario).box == 2


def test_answer_is_scored_on_the_server_and_keeps_the_tier_at_the_time(ae):
    scenario = ScenarioFactory(correct_tier="frontier")
    answer = _answer(ae, scenario, "mid", timezone.now())
    scenario.correct_tier = "mid"
    scenario.save()
    answer.refresh_from_db()
    assert (answer.picked_tier, answer.correct_tier, answer.is_correct) == (
        "mid",
        "frontier",
        False,
    )


def test_a_scenario_outside_the_session_is_refused(ae):
    inside = ScenarioFactory(slug="inside")
    outside = ScenarioFactory(slug="outside")
    session = DrillSessionFactory(user=ae, scenario_ids=[inside.pk])
    with pytest.raises(PracticeError):
        answer_drill(
            user=ae, session=session, scenario=outside, picked_tier="small", confidence="sure"
        )
