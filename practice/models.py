"""Practice: the scenario bank, drill answers, role-play."""

from django.conf import settings
from django.db import models

from enablement.content import SourceHashed
from enablement.vocabulary import Tier


class Scenario(SourceHashed):
    """A buyer's described task with the context that decides its tier."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    industry = models.CharField(max_length=40)
    task = models.TextField()
    context = models.JSONField(default=dict, blank=True)
    correct_tier = models.CharField(max_length=10, choices=Tier.choices)
    deciding_dimensions = models.JSONField(default=list, blank=True)
    explanation = models.TextField()
    wrong_picks = models.JSONField(
        default=dict, blank=True, help_text="For each wrong tier: what it would produce."
    )
    near_miss_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="near_misses"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title


class Confidence(models.TextChoices):
    SURE = "sure", "Sure"
    THINK_SO = "think_so", "Think so"
    GUESSING = "guessing", "Guessing"


class DrillAnswerQuerySet(models.QuerySet):
    def for_user(self, user) -> "DrillAnswerQuerySet":
        return self.filter(user=user)


class DrillAnswer(models.Model):
    """One tier pick by an AE for one scenario. Scored on the server."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drill_answers"
    )
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="answers")
    picked_tier = models.CharField(max_length=10, choices=Tier.choices)
    correct_tier = models.CharField(
        max_length=10, choices=Tier.choices, help_text="The scenario's tier when answered."
    )
    is_correct = models.BooleanField()
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.THINK_SO
    )
    session = models.ForeignKey(
        "DrillSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = DrillAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} picked {self.picked_tier} for {self.scenario}"


# --- Drills: sessions and spaced repetition ---------------------------------------------------
class DrillSession(models.Model):
    """A run of N scenarios picked for one AE (due first, then unseen, then the rest)."""

    DEFAULT_SIZE = 10
    MAX_SIZE = 50

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drill_sessions"
    )
    scenario_ids = models.JSONField(default=list, help_text="The scenarios, in order.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} drill of {self.size} ({self.created_at:%Y-%m-%d})"

    @property
    def size(self) -> int:
        return len(self.scenario_ids)


class ScenarioReviewQuerySet(models.QuerySet):
    def due(self, now) -> "ScenarioReviewQuerySet":
        return self.filter(due_at__lte=now)


class ScenarioReview(models.Model):
    """The Leitner box of one scenario for one AE: a miss sends it to box 1 (due again
    soon), a right answer moves it up a box and pushes its next review further out."""

    BOXES = 5

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scenario_reviews"
    )
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="reviews")
    box = models.PositiveSmallIntegerField(default=1)
    due_at = models.DateTimeField(db_index=True)
    last_answered_at = models.DateTimeField()

    objects = ScenarioReviewQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "scenario"], name="one_review_per_scenario")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.scenario} in box {self.box}"

    @property
    def is_mastered(self) -> bool:
        return self.box >= self.BOXES


# --- Role-play ------------------------------------------------------------------------------
class Persona(SourceHashed):
    """A buyer the AE rehearses with (invented names)."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=100)
    role = models.CharField(max_length=200)
    concern = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class PromptKind(models.TextChoices):
    OPENING = "opening", "Opening"
    FOLLOW_UP = "follow-up", "Follow-up"


class RoleplayPrompt(SourceHashed):
    """One line a persona says; the AE answers it in the field language."""

    slug = models.SlugField(max_length=100, unique=True)
    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="prompts")
    kind = models.CharField(max_length=10, choices=PromptKind.choices, default=PromptKind.OPENING)
    line = models.TextField()
    guide_rows = models.JSONField(default=list, blank=True, help_text="Field guide rows, 1-10.")
    ideas = models.JSONField(
        default=list, blank=True, help_text="Do-say ideas a strong reply carries."
    )
    coaching = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["persona__order", "order", "slug"]

    def __str__(self) -> str:
        return f"{self.persona.name}: {self.line[:60]}"


class RoleplayAttemptQuerySet(models.QuerySet):
    def for_user(self, user) -> "RoleplayAttemptQuerySet":
        return self.filter(user=user)


class RoleplayAttempt(models.Model):
    """One reply an AE typed to a prompt, with the scorer's feedback as it was then."""

    MAX_CHARS = 2000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roleplay_attempts"
    )
    prompt = models.ForeignKey(RoleplayPrompt, on_delete=models.CASCADE, related_name="attempts")
    text = models.TextField(max_length=MAX_CHARS)
    score = models.PositiveSmallIntegerField()
    verdict = models.CharField(max_length=10)
    dont_say_rows = models.JSONField(default=list, blank=True)
    ideas = models.JSONField(default=list, blank=True)
    feedback = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = RoleplayAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} on {self.prompt.slug}: {self.score}"
