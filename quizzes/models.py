"""Quizzes, assignments, attempts and results.

Reads start from the user (`Attempt.objects.owned_by(user)`, `AssignmentRecipient.objects.
for_user(user)`, `Assignment.objects.visible_to(viewer)`), so scoping is hard to forget.
Writes that span rows live in quizzes/services.py.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from enablement.content import SourceHashed
from enablement.vocabulary import Tier
from practice.models import DrillAnswer

# An open assignment is "due soon" this long before its due date (and the due-soon reminder
# goes out in this window).
DUE_SOON = timedelta(hours=48)
NOTE_MAX_LENGTH = 500
DRILL_SET_MAX = 50


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple answer"
    TIER = "tier", "Tier pick"


class Reveal(models.TextChoices):
    AFTER_SUBMISSION = "after_submission", "After submission"
    AFTER_DUE_DATE = "after_due_date", "After the due date"


class Quiz(SourceHashed):
    """A quiz built from its questions, with the settings the attempt rules read."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    pass_mark = models.PositiveSmallIntegerField(default=70, help_text="Percent needed to pass.")
    max_attempts = models.PositiveSmallIntegerField(
        default=3, help_text="Attempts per AE, per assignment (self-paced attempts count apart)."
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Enforced on the server; empty for no limit."
    )
    shuffle_questions = models.BooleanField(default=True)
    shuffle_choices = models.BooleanField(default=True)
    reveal = models.CharField(
        max_length=20, choices=Reveal.choices, default=Reveal.AFTER_SUBMISSION
    )
    is_self_paced = models.BooleanField(
        default=True, help_text="AEs may take it without an assignment."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__lte=100), name="quiz_pass_mark_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__gte=1), name="quiz_max_attempts_min_1"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def time_limit(self) -> timedelta | None:
        return timedelta(minutes=self.time_limit_minutes) if self.time_limit_minutes else None


class Question(models.Model):
    """One question. `key` is its identity across content reloads, so stored answers survive."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=50)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    prompt = models.TextField()
    explanation = models.TextField(help_text="Shown after submission.")
    answer_tier = models.CharField(
        max_length=10, choices=Tier.choices, blank=True, help_text="Tier-pick questions only."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "key"], name="question_key_unique_per_quiz"),
            models.CheckConstraint(
                condition=~Q(kind="tier") | Q(answer_tier__in=Tier.values),
                name="tier_question_has_answer_tier",
            ),
        ]

    def __str__(self) -> str:
        return self.prompt[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(max_length=50)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="choice_key_unique")
        ]

    def __str__(self) -> str:
        return self.text[:80]


# --- Assignments ---------------------------------------------------------------------------


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> AssignmentQuerySet:
        """A manager sees their own team's assignments; an admin all; an AE none."""
        if viewer.is_enablement_admin:
            return self.all()
        if viewer.is_manager:
            return self.filter(team__manager=viewer)
        return self.none()


class Assignment(models.Model):
    """A quiz, or a drill set of N scenarios, assigned by a manager with a due date."""

    team = models.ForeignKey(
        "enablement.Team", on_delete=models.CASCADE, related_name="assignments"
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    drill_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a drill set: how many scenarios to answer."
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments_made"
    )
    whole_team = models.BooleanField(default=False)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    assigned_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(quiz__isnull=False, drill_count__isnull=True))
                | (Q(quiz__isnull=True, drill_count__gte=1)),
                name="assignment_is_quiz_xor_drill_set",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_drill_set(self) -> bool:
        return self.quiz_id is None

    @property
    def title(self) -> str:
        if self.is_drill_set:
            return f"Drill set: {self.drill_count} scenarios"
        return self.quiz.title


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    COMPLETE = "complete", "Complete"


DONE_STATUSES = {Status.PASSED, Status.FAILED, Status.COMPLETE}


class AssignmentRecipientQuerySet(models.QuerySet):
    def for_user(self, user) -> AssignmentRecipientQuerySet:
        """The assignments made to this AE."""
        return self.filter(user=user)

    def visible_to(self, viewer) -> AssignmentRecipientQuerySet:
        return self.filter(assignment__in=Assignment.objects.visible_to(viewer))

    def with_progress(self) -> AssignmentRecipientQuerySet:
        """Annotate everything `status()` and the results table need, in this one query.

        Only attempts made for this assignment count; for a drill set, drill answers since
        the assignment was made.
        """
        attempts = Attempt.objects.filter(
            assignment=OuterRef("assignment"), user=OuterRef("user")
        ).order_by()
        submitted = attempts.filter(submitted_at__isnull=False)

        def agg(qs, expression, output):
            return Subquery(
                qs.values("user").annotate(v=expression).values("v")[:1], output_field=output
            )

        drills = DrillAnswer.objects.filter(
            user=OuterRef("user"), created_at__gte=OuterRef("assignment__assigned_at")
        ).order_by()
        return self.select_related("assignment", "assignment__quiz", "user").annotate(
            attempts_count=Coalesce(agg(attempts, Count("pk"), models.IntegerField()), 0),
            submitted_count=Coalesce(agg(submitted, Count("pk"), models.IntegerField()), 0),
            best_score=agg(submitted, Max("score"), models.DecimalField(5, 1)),
            has_open_attempt=Exists(attempts.filter(submitted_at__isnull=True)),
            first_passed_at=agg(
                submitted.filter(passed=True), Min("submitted_at"), models.DateTimeField()
            ),
            last_submitted_at=agg(submitted, Max("submitted_at"), models.DateTimeField()),
            drills_done=Coalesce(agg(drills, Count("pk"), models.IntegerField()), 0),
            last_drill_at=agg(drills, Max("created_at"), models.DateTimeField()),
        )


class AssignmentRecipient(models.Model):
    """One AE's copy of an assignment: what their status and reminders hang on."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )

    objects = AssignmentRecipientQuerySet.as_manager()

    class Meta:
        ordering = ["assignment__due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user"], name="one_recipient_per_ae")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} for {self.user}"

    # Status needs the annotations from `with_progress()`.
    def status(self, now: datetime | None = None) -> Status:
        """Passed / complete / failed are final; otherwise overdue, due soon, in progress, not
        started, in that order. A quiz is failed once every attempt is used without a pass; a
        drill set is complete when N drill scenarios are answered since it was assigned.
        """
        now = now or timezone.now()
        assignment = self.assignment
        if assignment.is_drill_set:
            if self.drills_done >= assignment.drill_count:
                return Status.COMPLETE
            started = self.drills_done > 0
        else:
            if self.first_passed_at is not None:
                return Status.PASSED
            if self.submitted_count >= assignment.quiz.max_attempts:
                return Status.FAILED
            started = self.attempts_count > 0
        if now > assignment.due_at:
            return Status.OVERDUE
        if assignment.due_at - now <= DUE_SOON:
            return Status.DUE_SOON
        return Status.IN_PROGRESS if started else Status.NOT_STARTED

    @property
    def completed_at(self) -> datetime | None:
        """When the AE finished: first pass, last (failing) attempt, or the last drill."""
        status = self.status()
        if status == Status.PASSED:
            return self.first_passed_at
        if status == Status.FAILED:
            return self.last_submitted_at
        if status == Status.COMPLETE:
            return self.last_drill_at
        return None

    @property
    def progress_label(self) -> str:
        if self.assignment.is_drill_set:
            done = min(self.drills_done, self.assignment.drill_count)
            return f"{done} of {self.assignment.drill_count} scenarios"
        if self.best_score is None:
            return "No score yet"
        return f"Best {self.best_score:.1f}%"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class Reminder(models.Model):
    """A reminder email sent: at most one of each kind per recipient (the constraint says so)."""

    recipient = models.ForeignKey(
        AssignmentRecipient, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind"], name="one_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder to {self.recipient.user}"


# --- Attempts ------------------------------------------------------------------------------


class AttemptQuerySet(models.QuerySet):
    def owned_by(self, user) -> AttemptQuerySet:
        return self.filter(user=user)

    def visible_to(self, viewer) -> AttemptQuerySet:
        """Own attempts; a manager's team's; all for admins."""
        from enablement.models import User

        if viewer.is_enablement_admin:
            return self.all()
        return self.filter(user__in=User.objects.visible_to(viewer))

    def open(self) -> AttemptQuerySet:
        return self.filter(submitted_at__isnull=True)

    def submitted(self) -> AttemptQuerySet:
        return self.filter(submitted_at__isnull=False)


class Attempt(models.Model):
    """One sitting of a quiz. Open until submitted; the score is computed on the server."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    assignment = models.ForeignKey(
        Assignment,
        # Attempts are learner data: an assignment with attempts can't be deleted.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attempts",
        help_text="Empty for a self-paced attempt.",
    )
    number = models.PositiveSmallIntegerField(help_text="1 for the first attempt, and so on.")
    question_ids = models.JSONField(default=list, help_text="The questions, in the order shown.")
    seed = models.PositiveIntegerField(default=0, help_text="Fixes the choice order.")
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(null=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # At most one open attempt per AE per quiz, whatever the tabs or clicks.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(submitted_at__isnull=True),
                name="one_open_attempt_per_ae_per_quiz",
            ),
            # Attempt numbers are unique per AE, quiz and assignment (self-paced apart), so two
            # concurrent starts cannot both take the last allowed attempt.
            models.UniqueConstraint(
                fields=["user", "quiz", "assignment", "number"],
                condition=Q(assignment__isnull=False),
                name="attempt_number_unique_assigned",
            ),
            models.UniqueConstraint(
                fields=["user", "quiz", "number"],
                condition=Q(assignment__isnull=True),
                name="attempt_number_unique_self_paced",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(score__isnull=False),
                name="submitted_attempt_has_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.quiz} (#{self.number})"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.deadline is not None and (now or timezone.now()) >= self.deadline

    def choice_order(self, question: Question, choices: list[Choice]) -> list[Choice]:
        """The choices in this attempt's order: shuffled by seed and question, stable on reload."""
        ordered = sorted(choices, key=lambda c: c.position)
        if self.quiz.shuffle_choices:
            random.Random(self.seed * 100_003 + question.pk).shuffle(ordered)
        return ordered

    def answers_revealed(self, now: datetime | None = None) -> bool:
        """Whether the right answers show on the result page.

        after_submission: once submitted. after_due_date: once the assignment's due date has
        passed; a self-paced attempt has no due date, so the key shows once the AE has passed
        or used every self-paced attempt (no key to carry into a retake).
        """
        if self.is_open:
            return False
        if self.quiz.reveal == Reveal.AFTER_SUBMISSION:
            return True
        now = now or timezone.now()
        if self.assignment_id is not None:
            return now > self.assignment.due_at
        if self.passed:
            return True
        used = Attempt.objects.filter(
            user_id=self.user_id, quiz_id=self.quiz_id, assignment__isnull=True
        ).count()
        return used >= self.quiz.max_attempts


class Answer(models.Model):
    """The AE's answer to one question in one attempt, saved as they go."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    selected = models.JSONField(default=list, blank=True, help_text="Chosen choice ids, sorted.")
    picked_tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    credit = models.DecimalField(
        max_digits=4, decimal_places=3, null=True, blank=True, help_text="0 to 1, at submission."
    )
    is_correct = models.BooleanField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["attempt", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question} in {self.attempt}"

    @property
    def is_blank(self) -> bool:
        return not self.selected and not self.picked_tier


__all__ = [
    "DONE_STATUSES",
    "DRILL_SET_MAX",
    "DUE_SOON",
    "NOTE_MAX_LENGTH",
    "Answer",
    "Assignment",
    "AssignmentRecipient",
    "Attempt",
    "Choice",
    "Question",
    "QuestionKind",
    "Quiz",
    "Reminder",
    "ReminderKind",
    "Reveal",
    "Status",
]


# --- Certification --------------------------------------------------------------------------


class Programme(SourceHashed):
    """A certification programme an enablement admin defines: requirements drawn from what
    Tierwise already measures, and how long a certificate stays valid."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    validity_months = models.PositiveSmallIntegerField(
        default=12, help_text="A certificate expires this many months after it is issued."
    )
    recertify_grace_days = models.PositiveSmallIntegerField(
        default=30,
        help_text="After a material content change, holders have this many days to recertify.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RequirementKind(models.TextChoices):
    LESSONS = "lessons", "Lessons completed"
    DRILLS = "drills", "Drill mastery"
    QUIZZES = "quizzes", "Quizzes passed"
    ROLEPLAY = "roleplay", "Role-play"


class Requirement(models.Model):
    """One thing a programme asks for. Which fields count depends on the kind:
    lessons (the named lessons, or every published lesson when none is named); drills (at
    least `min_count` scenarios answered and at least `min_percent` right over the last
    `over_last`); quizzes (each named quiz passed at its pass mark); role-play (a strong
    verdict on at least `min_count` distinct buyer prompts)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=RequirementKind.choices)
    title = models.CharField(max_length=200)
    lessons = models.ManyToManyField("lessons.Lesson", blank=True, related_name="+")
    quizzes = models.ManyToManyField(Quiz, blank=True, related_name="+")
    min_count = models.PositiveSmallIntegerField(
        default=0, help_text="Drills: scenarios answered. Role-play: distinct prompts."
    )
    min_percent = models.PositiveSmallIntegerField(default=0, help_text="Drills: percent right.")
    over_last = models.PositiveSmallIntegerField(
        default=0, help_text="Drills: the percent is taken over this many latest answers."
    )

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="requirement_order_unique")
        ]

    def __str__(self) -> str:
        return self.title


class MaterialChange(models.Model):
    """An admin's note that content a requirement depends on changed materially (a tier
    figure, a field-guide row, a named lesson): holders certified before it must meet that
    requirement again by `recertify_by`."""

    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="material_changes"
    )
    note = models.CharField(max_length=300, help_text="What changed, as holders will read it.")
    changed_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.note}"

    @property
    def recertify_by(self) -> datetime:
        return self.changed_at + timedelta(days=self.requirement.programme.recertify_grace_days)


class CertificateStatus(models.TextChoices):
    VALID = "valid", "Valid"
    RECERTIFY = "recertify", "Due for recertification"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    REPLACED = "replaced", "Replaced by a newer certificate"


class CertificateQuerySet(models.QuerySet):
    def current(self) -> CertificateQuerySet:
        """Certificates not revoked and not replaced by a newer one (expired ones included)."""
        return self.filter(revoked_at__isnull=True, replaced_at__isnull=True)


class Certificate(models.Model):
    """An AE's certificate in a programme. Never deleted: revoked with a reason, or replaced
    when the AE recertifies, so the history stays."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="certificates")
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    replaced_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"],
                condition=Q(revoked_at__isnull=True, replaced_at__isnull=True),
                name="one_current_certificate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.user}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("quizzes:certificate", args=[self.public_id])

    def pending_changes(self) -> list[MaterialChange]:
        """Material changes to this programme since the certificate was issued (uses the
        prefetched `programme.requirements__material_changes` when present)."""
        return [
            change
            for requirement in self.programme.requirements.all()
            for change in requirement.material_changes.all()
            if change.changed_at > self.issued_at
        ]

    def recertify_by(self) -> datetime | None:
        changes = self.pending_changes()
        return min(change.recertify_by for change in changes) if changes else None

    def status(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if self.replaced_at:
            return CertificateStatus.REPLACED
        deadline = self.recertify_by()
        if now >= self.expires_at or (deadline is not None and now >= deadline):
            return CertificateStatus.EXPIRED
        if deadline is not None:
            return CertificateStatus.RECERTIFY
        return CertificateStatus.VALID

    def status_label(self, now: datetime | None = None) -> str:
        return CertificateStatus(self.status(now)).label


class CertificateReminderKind(models.TextChoices):
    EXPIRING = "expiring", "Expires within 30 days"
    RECERTIFY = "recertify", "Recertification due"


class CertificateReminder(models.Model):
    """A reminder email about a certificate: at most one of each kind per certificate."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=CertificateReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "kind"], name="one_certificate_reminder_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.certificate}"
