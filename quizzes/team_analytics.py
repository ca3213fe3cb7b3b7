"""Team analytics: the reads behind /team/ and /team/results.csv.

Everything is fetched in a fixed number of queries (aggregates and annotated subqueries, no
per-AE or per-attempt queries), so the page costs the same for 5 AEs or 50.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from enablement.models import Team, User
from enablement.vocabulary import TIER_JOB, Tier
from practice.models import DrillAnswer
from practice.stats import TierConfusion

from .charts import Cell, heatmap_columns, heatmap_rows
from .models import (
    Answer,
    AssignmentRecipient,
    Question,
    QuestionKind,
    Status,
)
from .readiness import TeamReadiness, readiness_for, team_readiness

# --- Lesson progress ------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonProgress:
    completed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def lesson_progress_for(users: list[User]) -> dict[int, LessonProgress]:
    """Each user's lesson progress, keyed by user id, in two queries whatever the team size."""
    from lessons.models import Lesson
    from lessons.models import LessonProgress as LessonRecord

    total = Lesson.objects.published().count()
    completed = dict(
        LessonRecord.objects.completed()
        .filter(user__in=users)
        .values_list("user")
        .annotate(n=Count("id"))
        .values_list("user", "n")
    )
    return {
        user.pk: LessonProgress(completed=completed.get(user.pk, 0), total=total) for user in users
    }


# --- Results ----------------------------------------------------------------------------


def team_recipients(team: Team) -> list[AssignmentRecipient]:
    """Every AE's copy of every assignment made to this team, with progress, in one query."""
    return list(
        AssignmentRecipient.objects.filter(assignment__team=team)
        .with_progress()
        .order_by("-assignment__assigned_at", "assignment_id", "user__first_name", "user__username")
    )


class _ResultGroup:
    """What a group of assignment copies (one assignment's, or one AE's) adds up to."""

    recipients: list
    statuses: Counter

    @property
    def total(self) -> int:
        return len(self.recipients)

    @property
    def done(self) -> int:
        return sum(self.statuses[s] for s in (Status.PASSED, Status.FAILED, Status.COMPLETE))

    @property
    def average_best(self) -> Decimal | None:
        scores = [r.best_score for r in self.recipients if r.best_score is not None]
        return (sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None


@dataclass
class AssignmentSummary(_ResultGroup):
    assignment: object
    recipients: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    @property
    def completion_percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class AESummary(_ResultGroup):
    user: User
    recipients: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    lessons: LessonProgress | None = None


# --- Confusion matrix -------------------------------------------------------------------


@dataclass
class ConfusionMatrix(TierConfusion):
    """The team's tier confusion, with the heatmap's geometry."""

    def rows(self) -> list[dict]:
        return heatmap_rows(self)

    @property
    def columns(self) -> list[dict]:
        return heatmap_columns()

    @property
    def worst(self) -> Cell | None:
        """The off-diagonal cell with the most mis-sent tasks (ties: the larger share)."""
        off = [c for row in self.rows() for c in row["cells"] if not c.is_diagonal and c.count]
        return max(off, key=lambda c: (c.count, c.percent), default=None)

    @property
    def worst_sentence(self) -> str:
        cell = self.worst
        if cell is None:
            if self.total:
                return "No mis-sent tasks: every tier pick so far was right."
            return "No tier picks yet from drills or tier-pick questions."
        return (
            f"The team most often sends {TIER_JOB[cell.correct]} tasks to "
            f"{Tier(cell.picked).label.lower()}: {cell.count} of {cell.row_total} "
            f"{Tier(cell.correct).label.lower()} tasks ({cell.percent}%) went to "
            f"{Tier(cell.picked).label.lower()}."
        )


def confusion_matrix(users) -> ConfusionMatrix:
    """Which tier the team sends tasks to versus the right one: drills and tier-pick questions."""
    matrix = ConfusionMatrix()
    drills = (
        DrillAnswer.objects.filter(user__in=users)
        .order_by()
        .values_list("correct_tier", "picked_tier")
        .annotate(n=Count("pk"))
    )
    for correct, picked, n in drills:
        matrix.add(correct, picked, n)
    picks = (
        Answer.objects.filter(
            attempt__user__in=users,
            attempt__submitted_at__isnull=False,
            question__kind=QuestionKind.TIER,
        )
        .exclude(picked_tier="")
        .order_by()
        .values_list("question__answer_tier", "picked_tier")
        .annotate(n=Count("pk"))
    )
    for correct, picked, n in picks:
        matrix.add(correct, picked, n)
    return matrix


# --- Item analysis ----------------------------------------------------------------------


@dataclass
class ItemRow:
    question: Question
    answered: int
    correct: int
    wrong_label: str
    wrong_count: int

    @property
    def percent_correct(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0


def item_analysis(users) -> list[ItemRow]:
    """Per question answered by the team in submitted attempts: % correct, top wrong answer."""
    groups = (
        Answer.objects.filter(attempt__user__in=users, attempt__submitted_at__isnull=False)
        .order_by()
        .values_list("question_id", "selected", "picked_tier", "is_correct")
        .annotate(n=Count("pk"))
    )
    totals: Counter = Counter()
    right: Counter = Counter()
    wrong: dict[int, Counter] = defaultdict(Counter)
    for question_id, selected, picked_tier, is_correct, n in groups:
        totals[question_id] += n
        if is_correct:
            right[question_id] += n
        else:
            key = picked_tier or ",".join(str(i) for i in sorted(selected or []))
            wrong[question_id][key] += n
    questions = (
        Question.objects.filter(pk__in=totals.keys())
        .select_related("quiz")
        .prefetch_related("choices")
        .order_by("quiz__title", "position")
    )
    rows = []
    for question in questions:
        label, count = "", 0
        if wrong[question.pk]:
            key, count = wrong[question.pk].most_common(1)[0]
            label = _answer_label(question, key)
        rows.append(ItemRow(question, totals[question.pk], right[question.pk], label, count))
    return rows


def _answer_label(question: Question, key: str) -> str:
    if not key:
        return "(no answer)"
    if question.kind == QuestionKind.TIER:
        return Tier(key).label
    texts = {str(c.pk): c.text for c in question.choices.all()}
    return "; ".join(texts.get(part, "(removed choice)") for part in key.split(","))


# --- The page ---------------------------------------------------------------------------


@dataclass
class TeamReport:
    team: Team
    aes: list[User]
    assignments: list[AssignmentSummary]
    people: list[AESummary]
    overdue: list[AssignmentRecipient]
    matrix: ConfusionMatrix
    items: list[ItemRow]
    lesson_progress_available: bool
    readiness: TeamReadiness


def team_report(team: Team, now: datetime | None = None) -> TeamReport:
    now = now or timezone.now()
    aes = list(team.aes.order_by("first_name", "username"))
    recipients = team_recipients(team)
    by_assignment: dict[int, AssignmentSummary] = {}
    by_user: dict[int, AESummary] = {u.pk: AESummary(user=u) for u in aes}
    progress = lesson_progress_for(aes)
    for summary in by_user.values():
        summary.lessons = progress.get(summary.user.pk)
    overdue = []
    for recipient in recipients:
        status = recipient.status(now)
        recipient.current_status = status
        summary = by_assignment.setdefault(
            recipient.assignment_id, AssignmentSummary(recipient.assignment)
        )
        summary.recipients.append(recipient)
        summary.statuses[status] += 1
        person = by_user.get(recipient.user_id)
        if person is not None:
            person.recipients.append(recipient)
            person.statuses[status] += 1
        if status == Status.OVERDUE:
            overdue.append(recipient)
    overdue.sort(key=lambda r: (r.assignment.due_at, str(r.user)))
    return TeamReport(
        team=team,
        aes=aes,
        assignments=list(by_assignment.values()),
        people=list(by_user.values()),
        overdue=overdue,
        matrix=confusion_matrix(aes),
        items=item_analysis(aes),
        lesson_progress_available=bool(progress),
        readiness=team_readiness(aes),
    )


# --- CSV --------------------------------------------------------------------------------

CSV_HEADER = [
    "AE",
    "Quiz",
    "Assigned",
    "Due",
    "Status",
    "Best score",
    "Attempts",
    "Completed at",
    "Readiness",
    "Certification",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z") if moment else ""


def csv_rows(team: Team, now: datetime | None = None) -> list[list[str]]:
    """One row per AE per assignment, times in the viewer's active time zone."""
    now = now or timezone.now()
    rows = []
    recipients = team_recipients(team)
    readiness = readiness_for(list({r.user_id: r.user for r in recipients}.values()))
    for recipient in recipients:
        assignment = recipient.assignment
        ready = readiness[recipient.user_id]
        rows.append(
            [
                csv_safe(value)
                for value in (
                    f"{recipient.user.get_full_name() or recipient.user.username} "
                    f"({recipient.user.username})",
                    assignment.title,
                    _local(assignment.assigned_at),
                    _local(assignment.due_at),
                    recipient.status(now).label,
                    "" if recipient.best_score is None else f"{recipient.best_score:.1f}",
                    recipient.drills_done if assignment.is_drill_set else recipient.attempts_count,
                    _local(recipient.completed_at),
                    ready.score,
                    ready.certificate_status,
                )
            ]
        )
    return rows
