"""The course: tier profiles, lessons, knowledge checks, the model catalogue, the field
language guide, and each AE's progress.

Content rows (everything but LessonProgress and CheckAnswer) are loaded from
lessons/content/ by lessons.loaders.load and stay editable in the admin. Each carries the
hash of the repository text it was last loaded from, so a reload only overwrites a row
whose repository text changed: admin edits survive `make run`, and learner rows are never
touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Subquery

from enablement.content import SourceHashed
from enablement.vocabulary import Tier


class Lab(models.TextChoices):
    OPENAI = "OpenAI", "OpenAI"
    ANTHROPIC = "Anthropic", "Anthropic"
    GOOGLE_DEEPMIND = "Google DeepMind", "Google DeepMind"
    XAI = "xAI", "xAI"
    OPEN_WEIGHT = "Open-weight", "Open-weight"


class TierProfile(SourceHashed):
    """One tier's figures, stated once and used by the lessons, the simulator and the plan."""

    slug = models.CharField(max_length=10, choices=Tier.choices, unique=True)
    name = models.CharField(max_length=50)
    order = models.PositiveSmallIntegerField(default=0)
    tagline = models.CharField(max_length=200, blank=True)
    what_it_is = models.TextField(blank=True)
    relative_cost = models.CharField(max_length=200)
    cost_index_low = models.DecimalField(
        max_digits=8, decimal_places=3, help_text="Per-request cost relative to mid-tier = 1."
    )
    cost_index_high = models.DecimalField(max_digits=8, decimal_places=3)
    cost_note = models.CharField(max_length=300, blank=True)
    latency = models.CharField(max_length=200)
    latency_ms_low = models.PositiveIntegerField()
    latency_ms_high = models.PositiveIntegerField()
    traffic_share = models.CharField(max_length=200, blank=True)
    failure_mode = models.CharField(max_length=100)
    failure_mode_detail = models.TextField(blank=True)
    reasoning = models.CharField(max_length=20, blank=True)
    reasoning_detail = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class ContentVersionQuerySet(models.QuerySet):
    def current(self) -> int:
        """The content version now (0 before anything was loaded)."""
        number = self.filter(pk=ContentVersion.SINGLETON).values_list("number", flat=True).first()
        return number or 0


class ContentVersion(models.Model):
    """One row counting changes to the course content (lessons, checks, tier profiles, the
    catalogue, the field guide). The loader and the admin bump it through
    lessons.services.bump_content_version; cached lesson fragments are keyed by it, so a
    change shows on the next page view in every worker (it lives in the database, not in a
    per-process cache)."""

    SINGLETON = 1

    number = models.PositiveBigIntegerField(default=0)

    objects = ContentVersionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"content version {self.number}"


# --- Lessons ---------------------------------------------------------------------------------


class LessonQuerySet(models.QuerySet):
    def published(self) -> LessonQuerySet:
        return self.filter(is_published=True)

    def with_progress(self, user) -> LessonQuerySet:
        """Annotate `completed_at` with `user`'s completion time (None when not done), in the
        same query, so a course page costs the same however many lessons are complete."""
        progress = LessonProgress.objects.filter(lesson=OuterRef("pk"), user=user)
        return self.annotate(
            completed_at=Subquery(progress.values("completed_at")[:1]),
            last_viewed_at=Subquery(progress.values("last_viewed_at")[:1]),
            is_complete=Exists(progress.filter(completed_at__isnull=False)),
        )

    def progress_for(self, user) -> CourseProgress:
        """The course as `user` sees it, in one query."""
        return CourseProgress(lessons=list(self.published().with_progress(user)))


# Paths under /lessons/ that are pages of their own, so no lesson may take them as a slug.
RESERVED_LESSON_SLUGS = frozenset({"catalogue"})


class Lesson(SourceHashed):
    """One lesson of the course. The body is Markdown; tokens like [[frontier.latency]] are
    replaced by that tier's figure from TierProfile when the page renders."""

    class Visual(models.TextChoices):
        NONE = "", "None"
        TIER_CHART = "tier-chart", "Tier comparison chart (latency vs relative cost)"
        FIELD_GUIDE = "field-guide", "Field language guide table"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.CharField(max_length=400, blank=True)
    minutes = models.PositiveSmallIntegerField(default=5, help_text="Reading time.")
    tier = models.CharField(
        max_length=10,
        choices=Tier.choices,
        blank=True,
        help_text="Tier lessons show this tier's profile and its catalogue models.",
    )
    visual = models.CharField(
        max_length=20,
        choices=Visual.choices,
        blank=True,
        help_text="What the page adds after the body.",
    )
    body = models.TextField(
        help_text="Markdown. Write figures as tokens, e.g. [[mid.traffic_share]] "
        "(tier slug . TierProfile field), so each figure is stated once."
    )
    takeaways = models.TextField(blank=True, help_text="Key takeaways, one per line.")
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("lessons:detail", args=[self.slug])

    @property
    def takeaway_list(self) -> list[str]:
        return [line.strip() for line in self.takeaways.splitlines() if line.strip()]


@dataclass(frozen=True)
class CourseProgress:
    """Published lessons in order (annotated by LessonQuerySet.with_progress) and where the
    learner stands."""

    lessons: list[Lesson]

    @classmethod
    def for_user(cls, lessons: list[Lesson], user) -> CourseProgress:
        """The same as LessonQuerySet.progress_for, for `lessons` already read (the published
        lessons in order, e.g. from the content cache; they are annotated in place, so pass
        this request's own copies): `user`'s progress rows in one simple query."""
        rows = {
            lesson_id: (viewed, completed)
            for lesson_id, viewed, completed in LessonProgress.objects.filter(
                user_id=user.pk
            ).values_list("lesson_id", "last_viewed_at", "completed_at")
        }
        for lesson in lessons:
            lesson.last_viewed_at, lesson.completed_at = rows.get(lesson.pk, (None, None))
            lesson.is_complete = lesson.completed_at is not None
        return cls(lessons=lessons)

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def completed(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.is_complete)

    @property
    def percent(self) -> int:
        """Rounded down, so 100% means every lesson is done."""
        return 100 * self.completed // self.total if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.total > 0 and self.completed == self.total

    @property
    def started(self) -> bool:
        return any(lesson.last_viewed_at or lesson.is_complete for lesson in self.lessons)

    @property
    def continue_lesson(self) -> Lesson | None:
        """Where the learner left off: the lesson they touched last (opened or completed) if
        it is unfinished, otherwise the next unfinished lesson after it in course order
        (wrapping round); the first unfinished lesson for a newcomer; None once all done."""
        incomplete = [lesson for lesson in self.lessons if not lesson.is_complete]
        if not incomplete:
            return None
        touched = [
            (max(t for t in (lesson.last_viewed_at, lesson.completed_at) if t), index)
            for index, lesson in enumerate(self.lessons)
            if lesson.last_viewed_at or lesson.completed_at
        ]
        if not touched:
            return incomplete[0]
        _, last = max(touched)
        if not self.lessons[last].is_complete:
            return self.lessons[last]
        after = [lesson for lesson in self.lessons[last + 1 :] if not lesson.is_complete]
        return (after or incomplete)[0]

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        """The previous and next published lessons around `lesson`."""
        slugs = [item.slug for item in self.lessons]
        if lesson.slug not in slugs:
            return None, None
        index = slugs.index(lesson.slug)
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following


class CheckQuestionQuerySet(models.QuerySet):
    def active(self) -> CheckQuestionQuerySet:
        return self.filter(is_active=True)


class CheckQuestion(models.Model):
    """A single-choice knowledge-check question at the end of a lesson."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    prompt = models.TextField()
    explanation = models.TextField(help_text="Shown after answering, right or wrong.")
    is_active = models.BooleanField(
        default=True,
        help_text="Questions dropped from the repository are deactivated, not deleted, "
        "so stored answers survive.",
    )

    objects = CheckQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["lesson", "order"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "order"], name="unique_question_order")
        ]

    def __str__(self) -> str:
        return self.prompt[:80]

    @property
    def correct_choice(self) -> CheckChoice | None:
        """The right answer (uses prefetched choices when present)."""
        return next((choice for choice in self.choices.all() if choice.is_correct), None)


class CheckChoice(models.Model):
    question = models.ForeignKey(CheckQuestion, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=400)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="unique_choice_order")
        ]

    def __str__(self) -> str:
        return self.text


# --- Catalogue and field guide ---------------------------------------------------------------


class CatalogueModel(SourceHashed):
    """A named model at a tier. Versions turn over roughly quarterly; the tier is stable, so
    an admin edits these rows when a lab ships."""

    name = models.CharField(max_length=100, unique=True)
    tier = models.CharField(max_length=10, choices=Tier.choices)
    lab = models.CharField(max_length=20, choices=Lab.choices)
    note = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "catalogue model"

    def __str__(self) -> str:
        return f"{self.name} ({self.lab})"


class NamingSignal(SourceHashed):
    """A word in a model's name that signals its tier (Opus, Flash, Haiku...)."""

    tier = models.CharField(max_length=10, choices=Tier.choices)
    signal = models.CharField(max_length=100)
    note = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "signal"], name="unique_naming_signal")
        ]

    def __str__(self) -> str:
        return self.signal


class FieldGuideEntryQuerySet(models.QuerySet):
    def matching(self, text: str) -> FieldGuideEntryQuerySet:
        """Rows whose Don't say, Do say or Why it matters contains `text` (any case)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(dont_say__icontains=text)
            | models.Q(do_say__icontains=text)
            | models.Q(why__icontains=text)
        )


class FieldGuideEntry(SourceHashed):
    """One row of the field language guide: approved messaging, kept word for word."""

    order = models.PositiveSmallIntegerField(unique=True)
    dont_say = models.CharField("Don't say", max_length=300)
    do_say = models.CharField("Do say", max_length=500)
    why = models.CharField("Why it matters", max_length=300)

    objects = FieldGuideEntryQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = "field guide entry"
        verbose_name_plural = "field guide entries"

    def __str__(self) -> str:
        return self.dont_say


# --- Learner records: never touched by the loader -------------------------------------------


class LessonProgressQuerySet(models.QuerySet):
    def completed(self) -> LessonProgressQuerySet:
        return self.filter(completed_at__isnull=False, lesson__is_published=True)


class LessonProgress(models.Model):
    """An AE's record for one lesson: when they last opened it and when they completed it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = LessonProgressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="unique_lesson_progress")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"


class CheckAnswer(models.Model):
    """An AE's latest answer to a knowledge-check question. The choice text and whether it
    was right are kept, so the record survives a choice being edited or removed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_answers"
    )
    question = models.ForeignKey(CheckQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(CheckChoice, on_delete=models.SET_NULL, null=True, blank=True)
    choice_text = models.CharField(max_length=400)
    is_correct = models.BooleanField()
    attempts = models.PositiveIntegerField(default=1)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="unique_check_answer")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question}"
