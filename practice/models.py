"""Practice: the scenario bank, drill answers, role-play."""

from __future__ import annotations

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
    def for_user(self, user) -> DrillAnswerQuerySet:
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
    def due(self, now) -> ScenarioReviewQuerySet:
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
    def for_user(self, user) -> RoleplayAttemptQuerySet:
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


# --- Role-play conversations ------------------------------------------------------------------


class Script(SourceHashed):
    """A buyer conversation: an opening line, then follow-ups chosen by what the AE just said
    (practice/conversation.py), loaded from practice/content/roleplay/scripts/*.yaml."""

    slug = models.SlugField(max_length=100, unique=True)
    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="scripts")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    start = models.CharField(max_length=100)
    turns = models.JSONField(help_text="Turn id -> {buyer, ideas, guide_rows, next | close}.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["persona__order", "title"]

    def __str__(self) -> str:
        return self.title


class ConversationStatus(models.TextChoices):
    OPEN = "open", "In progress"
    FINISHED = "finished", "Finished"
    ABANDONED = "abandoned", "Abandoned"


class ConversationQuerySet(models.QuerySet):
    def for_user(self, user) -> ConversationQuerySet:
        return self.filter(user=user)

    def visible_to(self, viewer) -> ConversationQuerySet:
        """An AE's own; a manager's team's; everything for an admin."""
        if viewer.is_enablement_admin:
            return self.all()
        if viewer.is_manager:
            return self.filter(user__team__manager=viewer)
        return self.filter(user=viewer)


class Conversation(models.Model):
    """An AE's conversation with a scripted buyer; resumable until finished or abandoned."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="conversations")
    status = models.CharField(
        max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.OPEN
    )
    node = models.CharField(max_length=100, help_text="The buyer turn the AE is answering.")
    outcome = models.CharField(max_length=10, blank=True, help_text="agree | decline, at the end.")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    verdict = models.CharField(max_length=10, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.script}"


class ConversationTurn(models.Model):
    """One exchange: the buyer's line and the AE's reply, as the scorer read it then."""

    MAX_CHARS = RoleplayAttempt.MAX_CHARS

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    number = models.PositiveSmallIntegerField()
    node = models.CharField(max_length=100)
    buyer_line = models.TextField()
    reply = models.TextField(max_length=MAX_CHARS)
    score = models.PositiveSmallIntegerField()
    verdict = models.CharField(max_length=10)
    dont_say_rows = models.JSONField(default=list, blank=True)
    ideas = models.JSONField(default=list, blank=True)
    feedback = models.JSONField(default=dict, blank=True)
    branch = models.CharField(max_length=200, blank=True, help_text="Why the buyer went on so.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="one_turn_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.conversation} · turn {self.number}"


class CheckKind(models.TextChoices):
    IDEA = "idea", "Carries a field-guide idea"
    AVOID = "avoid", "Avoids a Don't-say framing"
    PHRASES = "phrases", "Mentions one of these phrases"


class Rubric(models.Model):
    """A manager's (or admin's) yes/no checks for a script, each weighted, with a pass mark."""

    MAX_CHECKS = 10

    script = models.OneToOneField(Script, on_delete=models.CASCADE, related_name="rubric")
    pass_mark = models.PositiveSmallIntegerField(default=70, help_text="Percent of the weight.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Rubric for {self.script}"


class RubricCheck(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="checks")
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=CheckKind.choices)
    idea = models.CharField(max_length=40, blank=True, help_text="For an idea check.")
    dont_say_row = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For an avoid check: the field guide row, 1-10."
    )
    phrases = models.TextField(blank=True, help_text="For a phrase check: one phrase per line.")
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["rubric", "order"]

    def __str__(self) -> str:
        return self.label

    @property
    def phrase_list(self) -> list[str]:
        return [line.strip() for line in self.phrases.splitlines() if line.strip()]


class Review(models.Model):
    """A manager's review of a finished conversation. Every save is a new row (the audit
    history: who, when, what they overrode); the newest is the one the AE sees."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="roleplay_reviews"
    )
    verdict = models.CharField(max_length=10, help_text="strong | weak, the manager's call.")
    suggested_verdict = models.CharField(max_length=10)
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.conversation} by {self.reviewer}"

    @property
    def overrides_verdict(self) -> bool:
        return self.verdict != self.suggested_verdict


class CheckResult(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="checks")
    rubric_check = models.ForeignKey(RubricCheck, on_delete=models.CASCADE, related_name="+")
    suggested = models.BooleanField()
    evidence = models.CharField(max_length=300, blank=True)
    value = models.BooleanField()

    def __str__(self) -> str:
        return f"{self.rubric_check}: {'yes' if self.value else 'no'}"


class TurnComment(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="turn_comments")
    turn = models.ForeignKey(ConversationTurn, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(max_length=1000)

    def __str__(self) -> str:
        return self.text[:60]
