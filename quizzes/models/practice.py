"""Practice: the scenario bank, drill answers, role-play."""

from django.conf import settings
from django.db import models

from lessons.models.course import Tier


class Scenario(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} picked {self.picked_tier} for {self.scenario}"
