"""Drill stats: accuracy per tier, confusion matrix, calibration, streak."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enablement.vocabulary import TIERS
from practice.models import DrillAnswer
from practice.stats import drill_stats
from tests.factories import DrillAnswerFactory, ScenarioFactory

pytestmark = pytest.mark.django_db

PICKS = [
    # (correct tier, picked tier, confidence)
    ("small", "small", "sure"),
    ("small", "mid", "guessing"),
    ("mid", "mid", "sure"),
    ("mid", "frontier", "think_so"),
    ("mid", "frontier", "guessing"),
    ("frontier", "frontier", "sure"),
    ("frontier", "mid", "think_so"),
]


@pytest.fixture
def answers(ae):
    created = []
    start = timezone.now() - timedelta(hours=1)
    for i, (correct, picked, confidence) in enumerate(PICKS):
        answer = DrillAnswerFactory(
            user=ae,
            scenario=ScenarioFactory(slug=f"s-{i}", correct_tier=correct),
            picked_tier=picked,
            confidence=confidence,
        )
        DrillAnswer.objects.filter(pk=answer.pk).update(created_at=start + timedelta(minutes=i))
        created.append(answer)
    return created


def test_confusion_matrix_counts_match_the_stored_answers(ae, answers, other_ae):
    """Row = correct tier, column = picked tier; every cell counts the AE's own answers."""
    DrillAnswerFactory(user=other_ae, scenario=ScenarioFactory(slug="theirs"), picked_tier="mid")
    stats = drill_stats(ae, timezone.now())
    keys = list(TIERS)
    for i, correct in enumerate(keys):
        for j, picked in enumerate(keys):
            stored = DrillAnswer.objects.filter(
                user=ae, correct_tier=correct, picked_tier=picked
            ).count()
            assert stats.confusion.table[i][j] == stored, (correct, picked)
    assert stats.confusion.total == len(PICKS)


def test_accuracy_per_tier_and_calibration(ae, answers):
    stats = drill_stats(ae, timezone.now())
    per_tier = {r.key: (r.answered, r.correct, r.accuracy) for r in stats.per_tier}
    assert per_tier == {"small": (2, 1, 50), "mid": (3, 1, 33), "frontier": (2, 1, 50)}
    calibration = {r.key: (r.answered, r.correct) for r in stats.calibration}
    # Sure picks were all right; guesses all wrong: this AE is well calibrated.
    assert calibration == {"sure": (3, 3), "think_so": (2, 0), "guessing": (2, 0)}
    assert (stats.answered, stats.correct, stats.accuracy) == (7, 3, 43)


def test_streak_counts_right_answers_in_a_row(ae, answers):
    """The current streak is the run of right answers up to the latest one."""
    stats = drill_stats(ae, timezone.now())
    assert stats.current_streak == 0  # the latest answer (frontier picked mid) was wrong
    assert stats.best_streak == 1
    for i in range(3):
        DrillAnswerFactory(user=ae, scenario=ScenarioFactory(slug=f"run-{i}"), picked_tier="small")
    stats = drill_stats(ae, timezone.now())
    assert (stats.current_streak, stats.best_streak) == (3, 3)


def test_stats_show_on_drills_page_and_dashboard(ae_client, answers):
    for url in (reverse("practice:drills"), reverse("home")):
        html = ae_client.get(url).content.decode()
        assert "Confusion matrix" in html
        assert "Calibration" in html
        assert "43%" in html  # overall accuracy, 3 of 7


def test_dashboard_queries_do_not_grow_with_answers(ae_client, ae):
    """The home page's practice panel costs the same number of queries for 1 or 30 answers."""
    DrillAnswerFactory(user=ae, scenario=ScenarioFactory(slug="first"))
    with CaptureQueriesContext(connection) as few:
        ae_client.get(reverse("home"))
    for i in range(30):
        DrillAnswerFactory(user=ae, scenario=ScenarioFactory(slug=f"more-{i}"), picked_tier="mid")
    with CaptureQueriesContext(connection) as many:
        ae_client.get(reverse("home"))
    assert len(many) == len(few)
