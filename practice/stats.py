"""An AE's drill stats: accuracy per tier, confusion matrix, calibration, streak.

Three queries whatever the number of answers, so the home page stays constant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from enablement.models import User
from enablement.vocabulary import TIERS, Tier

from .charts import calibration_bars, calibration_height
from .models import Confidence, DrillAnswer, ScenarioReview


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Rate:
    key: str
    label: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> int | None:
        return percent(self.correct, self.answered)


@dataclass
class TierConfusion:
    """Tier picks against the right tier: counts[(right, picked)]. Built the same way for an
    AE's drill stats and a team's analytics."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, right: str, picked: str, n: int = 1) -> None:
        if right in TIERS and picked in TIERS:
            self.counts[(right, picked)] = self.counts.get((right, picked), 0) + n

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def row(self, right: str) -> list[int]:
        """Picks for tasks whose right tier is `right`, one count per tier in order."""
        return [self.counts.get((right, picked), 0) for picked in TIERS]

    @property
    def table(self) -> list[list[int]]:
        """table[i][j]: picks of TIERS[j] for tasks whose right tier is TIERS[i]."""
        return [self.row(right) for right in TIERS]


@dataclass
class DrillStats:
    answered: int = 0
    correct: int = 0
    per_tier: list[Rate] = field(default_factory=list)
    calibration: list[Rate] = field(default_factory=list)
    confusion: TierConfusion = field(default_factory=TierConfusion)
    current_streak: int = 0
    best_streak: int = 0
    due: int = 0
    mastered: int = 0
    seen: int = 0

    @property
    def accuracy(self) -> int | None:
        return percent(self.correct, self.answered)

    @property
    def calibration_bars(self) -> list[dict]:
        return calibration_bars(self.calibration)

    @property
    def calibration_height(self) -> int:
        return calibration_height(self.calibration)

    @property
    def confusion_rows(self) -> list[tuple[str, str, list[int]]]:
        return [(key, label, self.confusion.row(key)) for key, label in Tier.choices]


def drill_stats(user: User, now: datetime) -> DrillStats:
    answers = DrillAnswer.objects.for_user(user)
    cells = answers.values("correct_tier", "picked_tier", "confidence", "is_correct").annotate(
        n=Count("pk")
    )
    confusion = TierConfusion()
    tier_counts = {key: [0, 0] for key in TIERS}
    confidence_counts = {key: [0, 0] for key in Confidence.values}
    for cell in cells:
        n = cell["n"]
        confusion.add(cell["correct_tier"], cell["picked_tier"], n)
        if cell["correct_tier"] in tier_counts:
            tier_counts[cell["correct_tier"]][0] += n
            tier_counts[cell["correct_tier"]][1] += n * cell["is_correct"]
        if cell["confidence"] in confidence_counts:
            confidence_counts[cell["confidence"]][0] += n
            confidence_counts[cell["confidence"]][1] += n * cell["is_correct"]

    # Streaks: runs of right answers, newest first.
    current = best = run = 0
    still_current = True
    for is_correct in answers.order_by("-created_at", "-pk").values_list("is_correct", flat=True):
        if is_correct:
            run += 1
            best = max(best, run)
        else:
            run = 0
            still_current = False
        if still_current:
            current = run

    reviews = ScenarioReview.objects.filter(user=user).aggregate(
        seen=Count("pk"),
        due=Count("pk", filter=Q(due_at__lte=now)),
        mastered=Count("pk", filter=Q(box__gte=ScenarioReview.BOXES)),
    )
    answered = sum(c[0] for c in tier_counts.values())
    return DrillStats(
        answered=answered,
        correct=sum(c[1] for c in tier_counts.values()),
        per_tier=[Rate(key, label, *tier_counts[key]) for key, label in Tier.choices],
        calibration=[
            Rate(key, label, *confidence_counts[key]) for key, label in Confidence.choices
        ],
        confusion=confusion,
        current_streak=current,
        best_streak=best,
        due=reviews["due"],
        mastered=reviews["mastered"],
        seen=reviews["seen"],
    )
