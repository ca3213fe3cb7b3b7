"""Readiness: one 0-100 figure per AE from the evidence Tierwise already records, with its
breakdown by area. Computed for a whole team in a fixed number of queries.

    readiness = 0.20 x learn + 0.30 x drills + 0.20 x role-play + 0.20 x quizzes
              + 0.10 x certification                                 (each area 0-100)

- learn: published lessons completed, as a percent of all published lessons;
- drills: the mean of the three tiers' drill scores, a tier's score being its accuracy on
  scenarios whose right tier it is, times its coverage (answers on that tier / 5, at most 1);
- role-play: buyer prompts answered with a strong verdict, out of 5 (at most 100);
- quizzes: the mean, over active quizzes, of the AE's best submitted score (0 if none);
- certification: 100 with a valid certificate, 50 when one is due for recertification, else 0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from enablement.models import User
from enablement.vocabulary import TIERS, Tier
from lessons.models import Lesson, LessonProgress
from practice.models import DrillAnswer, RoleplayAttempt

from .models import Attempt, Certificate, CertificateStatus, Quiz, Requirement

WEIGHTS = {"learn": 20, "drills": 30, "roleplay": 20, "quizzes": 20, "certification": 10}
DRILL_COVERAGE = 5  # answers per tier for full coverage
ROLEPLAY_TARGET = 5  # distinct prompts with a strong verdict for full marks


@dataclass
class Readiness:
    user: User
    learn: int = 0
    drills_by_tier: dict[str, int] = field(default_factory=dict)
    roleplay: int = 0
    quizzes: int = 0
    certification: int = 0
    certificate_status: str = "Not certified"

    @property
    def drills(self) -> int:
        return round(sum(self.drills_by_tier.values()) / len(TIERS)) if self.drills_by_tier else 0

    @property
    def score(self) -> int:
        total = sum(WEIGHTS[area] * getattr(self, area) for area in WEIGHTS)
        return round(total / 100)

    @property
    def cells(self) -> list[dict]:
        return [
            {"key": key, "label": label, "value": value, "band": band(value)}
            for key, label, value in self.areas()
        ]

    @property
    def score_band(self) -> str:
        return band(self.score)

    def areas(self) -> list[tuple[str, str, int]]:
        """(key, label, 0-100) for each column of the team matrix, in order."""
        rows = [("learn", "Lessons", self.learn)]
        rows += [
            (f"drills_{tier}", f"Drills: {label}", self.drills_by_tier.get(tier, 0))
            for tier, label in Tier.choices
        ]
        rows += [
            ("roleplay", "Role-play", self.roleplay),
            ("quizzes", "Quizzes", self.quizzes),
            ("certification", "Certification", self.certification),
        ]
        return rows


def band(value: int) -> str:
    """The cell's colour band (the number is always printed beside it)."""
    return "high" if value >= 80 else "mid" if value >= 50 else "low"


def _percent(part: float, whole: float) -> int:
    return round(100 * min(part / whole, 1)) if whole else 0


def readiness_for(users: list[User]) -> dict[int, Readiness]:
    """Each user's readiness, keyed by user id (a fixed number of queries)."""
    ids = [user.pk for user in users]
    result = {user.pk: Readiness(user) for user in users}
    if not ids:
        return result

    published = Lesson.objects.published().count()
    completed = (
        LessonProgress.objects.completed()
        .filter(user_id__in=ids)
        .values("user_id")
        .annotate(n=Count("pk"))
    )
    for row in completed:
        result[row["user_id"]].learn = _percent(row["n"], published)

    tiers: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    cells = (
        DrillAnswer.objects.filter(user_id__in=ids)
        .values("user_id", "correct_tier")
        .annotate(n=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
        .order_by()
    )
    for cell in cells:
        tiers[cell["user_id"]][cell["correct_tier"]] = [cell["n"], cell["right"]]
    for user_id, readiness in result.items():
        by_tier = {}
        for tier in TIERS:
            answered, right = tiers[user_id][tier]
            accuracy = right / answered if answered else 0
            coverage = min(answered / DRILL_COVERAGE, 1)
            by_tier[tier] = round(100 * accuracy * coverage)
        readiness.drills_by_tier = by_tier

    strong = (
        RoleplayAttempt.objects.filter(user_id__in=ids, verdict="strong")
        .values("user_id")
        .annotate(n=Count("prompt", distinct=True))
        .order_by()
    )
    for row in strong:
        result[row["user_id"]].roleplay = _percent(row["n"], ROLEPLAY_TARGET)

    quiz_count = Quiz.objects.filter(is_active=True).count()
    best = (
        Attempt.objects.filter(user_id__in=ids, quiz__is_active=True, score__isnull=False)
        .values("user_id", "quiz_id")
        .annotate(best=Max("score"))
        .order_by()
    )
    totals: dict[int, float] = defaultdict(float)
    for row in best:
        totals[row["user_id"]] += float(row["best"])
    for user_id, total in totals.items():
        result[user_id].quizzes = round(total / quiz_count) if quiz_count else 0

    now = timezone.now()
    certificates = (
        Certificate.objects.current()
        .filter(user_id__in=ids)
        .select_related("programme")
        .prefetch_related(
            Prefetch(
                "programme__requirements",
                queryset=Requirement.objects.prefetch_related("material_changes"),
            )
        )
    )
    for certificate in certificates:
        status = CertificateStatus(certificate.status(now))
        value = {CertificateStatus.VALID: 100, CertificateStatus.RECERTIFY: 50}.get(status, 0)
        readiness = result[certificate.user_id]
        if value >= readiness.certification:
            readiness.certification = value
            readiness.certificate_status = f"{certificate.programme.name}: {status.label}"
    return result


@dataclass(frozen=True)
class TeamReadiness:
    rows: list[Readiness]

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(key, label) for key, label, _ in Readiness(user=None).areas()]

    def averages(self) -> list[tuple[str, str, int]]:
        if not self.rows:
            return []
        sums: dict[str, int] = defaultdict(int)
        for row in self.rows:
            for key, _, value in row.areas():
                sums[key] += value
        return [(key, label, round(sums[key] / len(self.rows))) for key, label in self.columns]

    @property
    def weakest(self) -> tuple[str, str, int] | None:
        """The area with the lowest team average (first in column order on a tie)."""
        averages = self.averages()
        return min(averages, key=lambda item: item[2]) if averages else None

    @property
    def average_score(self) -> int | None:
        return round(sum(r.score for r in self.rows) / len(self.rows)) if self.rows else None


def team_readiness(users: list[User]) -> TeamReadiness:
    by_id = readiness_for(users)
    return TeamReadiness([by_id[user.pk] for user in users])
