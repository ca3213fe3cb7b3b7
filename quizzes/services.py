"""Assessment writes: start, answer and submit attempts; make assignments; send reminders.

Every function here is keyword-only, typed and atomic. Scoring happens here and only here:
the client sends which choices (or which tier) the AE picked, never a score or correctness.

Scoring rule (README-ready):
- Single choice: 1 point for the right choice, 0 otherwise.
- Tier pick: 1 point for the right tier, 0 otherwise.
- Multiple answer: partial credit. credit = max(0, (right choices picked - wrong choices
  picked) / number of right choices). Picking every right choice and no wrong one scores 1;
  each wrong pick cancels one right pick, so "select everything" scores 0 and blind guessing
  does not pay. A multiple-answer question counts as *correct* (for item analysis and the
  result page) only with full credit.
- Unanswered questions score 0. The quiz score is the sum of credits divided by the number
  of questions, as a percentage rounded to one decimal; the AE passes when score >= the
  quiz's pass mark.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail, send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from enablement.models import Team, User
from enablement.resubmit import lock_writer, resubmit_since
from enablement.vocabulary import Tier

from .models import (
    DONE_STATUSES,
    DRILL_SET_MAX,
    DUE_SOON,
    NOTE_MAX_LENGTH,
    Answer,
    Assignment,
    AssignmentRecipient,
    Attempt,
    Question,
    QuestionKind,
    Quiz,
    Reminder,
    ReminderKind,
)
from .tasks import schedule_reminders

logger = logging.getLogger(__name__)


class AssessmentError(Exception):
    """A refusal the AE or manager should read; views turn it into a 4xx with this message."""

    status_code = 422

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AttemptClosed(AssessmentError):
    status_code = 409


class AttemptRefused(AssessmentError):
    status_code = 409


class InvalidAnswer(AssessmentError):
    status_code = 422


class InvalidAssignment(AssessmentError):
    status_code = 422


# --- Scoring -------------------------------------------------------------------------------


def credit_for(
    *,
    kind: str,
    correct_choice_ids: set[int],
    selected: set[int],
    answer_tier: str = "",
    picked_tier: str = "",
) -> Decimal:
    """The credit (0 to 1) one answer earns; the rule is in this module's docstring."""
    if kind == QuestionKind.TIER:
        return Decimal(1) if picked_tier and picked_tier == answer_tier else Decimal(0)
    if kind == QuestionKind.SINGLE:
        return Decimal(1) if selected and selected == correct_choice_ids else Decimal(0)
    if not correct_choice_ids:
        return Decimal(0)
    right = len(selected & correct_choice_ids)
    wrong = len(selected - correct_choice_ids)
    credit = Decimal(max(0, right - wrong)) / Decimal(len(correct_choice_ids))
    return credit.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def score_percent(credits: list[Decimal], question_count: int) -> Decimal:
    if question_count == 0:
        return Decimal("0.0")
    total = sum(credits, Decimal(0)) * 100 / Decimal(question_count)
    return total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Attempts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerInput:
    """What the AE picked for one question: choice ids, or a tier."""

    selected: frozenset[int] = field(default_factory=frozenset)
    picked_tier: str = ""


@dataclass(frozen=True)
class SubmitResult:
    attempt: Attempt
    created: bool  # False when the attempt was already submitted (a second tab, a double click)


def _recipient_for(*, user: User, quiz: Quiz, assignment: Assignment | None) -> None:
    if assignment is None:
        if not quiz.is_self_paced:
            raise AttemptRefused("This quiz is taken only when a manager assigns it.")
        return
    if assignment.quiz_id != quiz.pk or not assignment.recipients.filter(user=user).exists():
        raise AttemptRefused("That assignment is not yours, or it is not for this quiz.")


@transaction.atomic
def start_attempt(
    *, user: User, quiz: Quiz, assignment: Assignment | None = None, now: datetime | None = None
) -> Attempt:
    """Resume the AE's open attempt at this quiz, or start the next one within max attempts.

    One open attempt per AE per quiz is a database constraint; attempt numbers are unique per
    AE, quiz and assignment, so two concurrent starts cannot exceed the maximum either.
    """
    now = now or timezone.now()
    if not quiz.is_active:
        raise AttemptRefused("This quiz is not available.")
    open_attempt = Attempt.objects.owned_by(user).open().filter(quiz=quiz).first()
    if open_attempt is not None:
        if not open_attempt.is_expired(now):
            return open_attempt
        submit_attempt(attempt=open_attempt, now=now)
    _recipient_for(user=user, quiz=quiz, assignment=assignment)
    used = Attempt.objects.filter(user=user, quiz=quiz, assignment=assignment).count()
    if used >= quiz.max_attempts:
        # A concurrent start may have just opened the last attempt: resume it.
        existing = Attempt.objects.owned_by(user).open().filter(quiz=quiz).first()
        if existing is not None:
            return existing
        raise AttemptRefused(
            f"You have used all {quiz.max_attempts} attempts at {quiz.title}"
            + (" for this assignment." if assignment else ".")
        )
    questions = list(quiz.questions.filter(is_active=True).order_by("position"))
    if not questions:
        raise AttemptRefused("This quiz has no questions yet.")
    question_ids = [q.pk for q in questions]
    seed = random.SystemRandom().randrange(1, 2**31)
    if quiz.shuffle_questions:
        random.Random(seed).shuffle(question_ids)
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                quiz=quiz,
                assignment=assignment,
                number=used + 1,
                question_ids=question_ids,
                seed=seed,
                started_at=now,
                deadline=now + quiz.time_limit if quiz.time_limit else None,
            )
    except IntegrityError:
        # Another request (a second tab, a double click) started one at the same moment.
        existing = Attempt.objects.owned_by(user).open().filter(quiz=quiz).first()
        if existing is not None:
            return existing
        raise AttemptRefused(
            "Another attempt was just started or finished; reload the page."
        ) from None


def _validated(attempt: Attempt, answers: dict[int, AnswerInput]) -> dict[int, AnswerInput]:
    """Check every answer belongs to this attempt's questions and choices (422 otherwise)."""
    allowed = set(attempt.question_ids)
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=answers.keys() & allowed).prefetch_related(
            "choices"
        )
    }
    for question_id, given in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise InvalidAnswer("That question is not part of this attempt.")
        if question.kind == QuestionKind.TIER:
            if given.selected or (given.picked_tier and given.picked_tier not in Tier.values):
                raise InvalidAnswer("Pick small, mid or frontier.")
            continue
        if given.picked_tier:
            raise InvalidAnswer("This question takes choices, not a tier.")
        if not given.selected <= {c.pk for c in question.choices.all()}:
            raise InvalidAnswer("That choice is not one of this question's choices.")
        if question.kind == QuestionKind.SINGLE and len(given.selected) > 1:
            raise InvalidAnswer("Pick one answer for a single-choice question.")
    return answers


def _write_answers(attempt: Attempt, answers: dict[int, AnswerInput]) -> None:
    for question_id, given in _validated(attempt, answers).items():
        Answer.objects.update_or_create(
            attempt=attempt,
            question_id=question_id,
            defaults={"selected": sorted(given.selected), "picked_tier": given.picked_tier},
        )


@transaction.atomic
def save_answers(
    *, attempt: Attempt, answers: dict[int, AnswerInput], now: datetime | None = None
) -> Attempt:
    """Save the AE's answers as they go. Refused once submitted or past the time limit."""
    locked = (
        Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt.pk)
    )
    if not locked.is_open:
        raise AttemptClosed("This attempt is already submitted; answers can't change.")
    if locked.is_expired(now):
        raise AttemptClosed("Time is up for this attempt; answers after the limit don't count.")
    _write_answers(locked, answers)
    return locked


@transaction.atomic
def submit_attempt(
    *,
    attempt: Attempt,
    answers: dict[int, AnswerInput] | None = None,
    now: datetime | None = None,
) -> SubmitResult:
    """Score the attempt once. Idempotent under concurrency.

    The attempt row is locked (SELECT ... FOR UPDATE) and its state checked inside this
    transaction: of two simultaneous submits, the second waits, sees it submitted and returns
    the first one's result. Answers sent with the submit are saved first unless time is up;
    any failure rolls back the whole submission, leaving the attempt open and unchanged.
    """
    now = now or timezone.now()
    locked = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz", "assignment")
        .get(pk=attempt.pk)
    )
    if not locked.is_open:
        return SubmitResult(attempt=locked, created=False)
    if answers and not locked.is_expired(now):
        _write_answers(locked, answers)
    questions = (
        Question.objects.filter(pk__in=locked.question_ids).prefetch_related("choices").in_bulk()
    )
    saved = {a.question_id: a for a in Answer.objects.filter(attempt=locked)}
    credits: list[Decimal] = []
    to_update, to_create = [], []
    for question_id in locked.question_ids:
        question = questions.get(question_id)
        if question is None:  # deleted by an admin since the attempt started: scores 0
            credits.append(Decimal(0))
            continue
        answer = saved.get(question_id) or Answer(attempt=locked, question=question)
        credit = credit_for(
            kind=question.kind,
            correct_choice_ids={c.pk for c in question.choices.all() if c.is_correct},
            selected=set(answer.selected),
            answer_tier=question.answer_tier,
            picked_tier=answer.picked_tier,
        )
        answer.credit, answer.is_correct = credit, credit == 1
        credits.append(credit)
        (to_update if answer.pk else to_create).append(answer)
    Answer.objects.bulk_update(to_update, ["credit", "is_correct"])
    Answer.objects.bulk_create(to_create)
    locked.score = score_percent(credits, len(locked.question_ids))
    locked.passed = locked.score >= locked.quiz.pass_mark
    locked.submitted_at = now
    locked.save(update_fields=["score", "passed", "submitted_at"])
    return SubmitResult(attempt=locked, created=True)


# --- Assignments ---------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def create_assignment(
    *,
    assigned_by: User,
    team: Team,
    due_at: datetime,
    quiz: Quiz | None = None,
    drill_count: int | None = None,
    users: list[User] | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Assignment:
    """Assign a quiz or a drill set to the whole team (users=None) or to chosen AEs of it.

    Only the team's own manager may assign (admins may assign to any team). The AEs each get
    an email once the assignment is committed.

    Idempotent (enablement/resubmit.py): the same person assigning the same quiz or drill set
    to the same AEs with the same due date again shortly after gets the assignment already
    made, and no email goes out again, even when the submits arrive at the same moment.
    """
    now = now or timezone.now()
    lock_writer(assigned_by)
    if not (assigned_by.is_enablement_admin or team.manager_id == assigned_by.pk):
        raise PermissionDenied("You can only assign to your own team.")
    if (quiz is None) == (drill_count is None):
        raise InvalidAssignment("Choose a quiz or a drill set (not both).")
    if drill_count is not None and not 1 <= drill_count <= DRILL_SET_MAX:
        raise InvalidAssignment(f"A drill set has 1 to {DRILL_SET_MAX} scenarios.")
    if quiz is not None and not quiz.is_active:
        raise InvalidAssignment("That quiz is not available.")
    if due_at <= now:
        raise InvalidAssignment("The due date must be in the future.")
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidAssignment(f"The note is limited to {NOTE_MAX_LENGTH} characters.")
    team_aes = list(team.aes)
    whole_team = users is None
    if whole_team:
        chosen = team_aes
    else:
        team_ids = {u.pk for u in team_aes}
        if any(u.pk not in team_ids for u in users):
            raise PermissionDenied("You can only assign to AEs on your own team.")
        chosen = list({u.pk: u for u in users}.values())
    if not chosen:
        raise InvalidAssignment("Choose at least one AE (the team has none, or none was chosen).")
    same = _same_assignment(
        assigned_by=assigned_by,
        team=team,
        quiz=quiz,
        drill_count=drill_count,
        due_at=due_at,
        user_ids={u.pk for u in chosen},
        since=resubmit_since(now),
    )
    if same is not None:
        return same
    assignment = Assignment.objects.create(
        team=team,
        quiz=quiz,
        drill_count=drill_count,
        assigned_by=assigned_by,
        whole_team=whole_team,
        note=note.strip(),
        assigned_at=now,
        due_at=due_at,
    )
    AssignmentRecipient.objects.bulk_create(
        [AssignmentRecipient(assignment=assignment, user=user) for user in chosen]
    )
    transaction.on_commit(lambda: _email_after_commit(assignment=assignment, users=chosen))
    return assignment


def _same_assignment(
    *,
    assigned_by: User,
    team: Team,
    quiz: Quiz | None,
    drill_count: int | None,
    due_at: datetime,
    user_ids: set[int],
    since: datetime,
) -> Assignment | None:
    """The assignment this one repeats, made since `since`, if any."""
    candidates = Assignment.objects.filter(
        assigned_by=assigned_by,
        team=team,
        quiz=quiz,
        drill_count=drill_count,
        due_at=due_at,
        assigned_at__gte=since,
    ).prefetch_related("recipients")
    for candidate in candidates:
        if {r.user_id for r in candidate.recipients.all()} == user_ids:
            return candidate
    return None


def _email_after_commit(*, assignment: Assignment, users: list[User]) -> None:
    """The assignment stands even if the mail server is down: AEs see it on their home page
    and the reminders follow; the failure is logged for the admin."""
    try:
        send_assignment_emails(assignment=assignment, users=users)
    except Exception:  # noqa: BLE001
        logger.exception("Assignment %s: emailing the AEs failed", assignment.pk)
    schedule_reminders(assignment.due_at - DUE_SOON, assignment.due_at)


def _due_text(due_at: datetime, user: User) -> str:
    return f"{user.local(due_at):%a %d %b %Y, %H:%M} ({user.time_zone})"


def _assignment_link(assignment: Assignment) -> str:
    if assignment.is_drill_set:
        return _absolute(reverse("practice:drills"))
    return _absolute(reverse("quizzes:quiz_detail", args=[assignment.quiz.slug]))


def send_assignment_emails(*, assignment: Assignment, users: list[User]) -> int:
    """One email per AE with an address: what, when it's due (in their time zone), the note."""
    messages = []
    for user in users:
        if not user.email:
            continue
        body = [
            f"Hi {user.first_name or user.username},",
            "",
            f"{assignment.assigned_by} assigned you: {assignment.title}.",
            f"Due: {_due_text(assignment.due_at, user)}.",
        ]
        if assignment.note:
            body += ["", f"Note: {assignment.note}"]
        body += ["", f"Start here: {_assignment_link(assignment)}"]
        messages.append(
            (
                f"New assignment: {assignment.title}",
                "\n".join(body),
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        )
    return send_mass_mail(messages, fail_silently=False) if messages else 0


# --- Reminders -----------------------------------------------------------------------------


def _reminder_kind(status: str) -> str | None:
    if status == "overdue":
        return ReminderKind.OVERDUE
    if status == "due_soon":
        return ReminderKind.DUE_SOON
    return None


def send_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Email each AE once when an assignment is due soon and once when it is overdue.

    Safe to run every hour: a Reminder row (unique per recipient and kind) is written in the
    same transaction as the email is sent, so a reminder goes out once; if sending fails the
    row rolls back and the next run tries again. Finished assignments get no reminders.
    """
    now = now or timezone.now()
    sent = {ReminderKind.DUE_SOON: 0, ReminderKind.OVERDUE: 0}
    candidates = (
        AssignmentRecipient.objects.filter(
            assignment__due_at__lte=now + DUE_SOON, user__is_active=True
        )
        .exclude(user__email="")
        .with_progress()
        .prefetch_related("reminders")
    )
    for recipient in candidates:
        status = recipient.status(now)
        if status in DONE_STATUSES:
            continue
        kind = _reminder_kind(status)
        if kind is None or any(r.kind == kind for r in recipient.reminders.all()):
            continue
        sent[kind] += send_once(
            record=lambda r=recipient, k=kind: Reminder.objects.create(
                recipient=r, kind=k, sent_at=now
            ),
            send=lambda r=recipient, k=kind: _send_reminder(recipient=r, kind=k),
            user_id=recipient.user_id,
        )
    return {str(k): v for k, v in sent.items()}


def send_once(*, record: Callable[[], object], send: Callable[[], None], user_id: int) -> bool:
    """Write a reminder's row (unique per recipient and kind) and send it in one transaction,
    so it goes out once: a concurrent run hits the unique row and skips; if sending fails the
    row rolls back, the failure is logged and the next run tries again."""
    try:
        with transaction.atomic():
            record()
            send()
    except IntegrityError:
        return False  # another run sent this one
    except Exception:  # noqa: BLE001 - a mail failure must not stop the other reminders
        logger.exception("Reminder to %s failed; will retry next run", user_id)
        return False
    return True


def _send_reminder(*, recipient: AssignmentRecipient, kind: str) -> None:
    assignment, user = recipient.assignment, recipient.user
    if kind == ReminderKind.OVERDUE:
        subject = f"Overdue: {assignment.title}"
        lead = f"{assignment.title} was due {_due_text(assignment.due_at, user)} and isn't done."
    else:
        subject = f"Due soon: {assignment.title}"
        lead = f"{assignment.title} is due {_due_text(assignment.due_at, user)}."
    body = "\n".join(
        [f"Hi {user.first_name or user.username},", "", lead, "", _assignment_link(assignment)]
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
