"""Routing simulator records: guesses, disagreements, saved plans and the cost assumption.

Money in the simulator and the plan is computed one way, here:

    cost of one request on tier T = CostAssumption.mid_request_price x TierProfile(T).cost_index

where cost_index (low..high) is the tier profile's per-request cost relative to mid-tier = 1
(frontier 10-20, mid 1, small 0.1-0.2), and mid_request_price is an ILLUSTRATIVE reference
price an admin edits in the admin. Ranges use the low ends together and the high ends together.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models

from enablement.vocabulary import REASONING_FOR_TIER, Tier
from lessons.models import TierProfile

__all__ = [
    "CostAssumption",
    "CostRange",
    "Disagreement",
    "RoutingPlan",
    "SimulatorPreference",
    "TierGuess",
    "tier_costs",
]

TEXT_LIMIT = 1000  # characters per task description (simulator and plan lines)
REASON_LIMIT = 500  # characters in an "I disagree" reason


class CostAssumption(models.Model):
    """The one illustrative price that turns cost indexes into money (editable in the admin)."""

    mid_request_price = models.DecimalField(
        max_digits=10,
        decimal_places=6,
        default=Decimal("0.002"),
        help_text="Assumed price of ONE mid-tier request, in the currency below. Illustrative: "
        "not a quote. Every other tier's price is this times its cost index.",
    )
    currency = models.CharField(max_length=3, default="USD")
    note = models.CharField(
        max_length=300,
        default="Illustrative assumption: about 1,000 input and 300 output tokens per request "
        "at a typical mid-tier list price. Edit in the admin to match a buyer's numbers.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cost assumption"

    def __str__(self) -> str:
        return f"{self.currency} {self.mid_request_price} per mid-tier request (illustrative)"

    @classmethod
    def current(cls) -> CostAssumption:
        """The single row an admin edits, or the default assumption (unsaved) before anyone
        has saved one: a read never writes."""
        assumption = cls.objects.order_by("pk").first()
        return assumption if assumption is not None else cls()


@dataclass(frozen=True)
class CostRange:
    low: Decimal
    high: Decimal

    def __mul__(self, factor: int | Decimal) -> CostRange:
        return CostRange(self.low * factor, self.high * factor)

    def __add__(self, other: CostRange) -> CostRange:
        return CostRange(self.low + other.low, self.high + other.high)

    def __sub__(self, other: CostRange) -> CostRange:
        return CostRange(self.low - other.low, self.high - other.high)

    @property
    def mid(self) -> Decimal:
        return (self.low + self.high) / 2

    @classmethod
    def zero(cls) -> CostRange:
        return cls(Decimal(0), Decimal(0))


def tier_costs(
    profiles: dict[str, TierProfile], assumption: CostAssumption
) -> dict[str, CostRange]:
    """Price of one request per tier: reference mid-tier price x the profile's cost index."""
    price = assumption.mid_request_price
    return {
        slug: CostRange(price * profile.cost_index_low, price * profile.cost_index_high)
        for slug, profile in profiles.items()
    }


# --- Per-AE records --------------------------------------------------------------------------


class SimulatorPreference(models.Model):
    """Whether an AE practises in guess-first mode (remembered per AE)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="simulator_preference"
    )
    guess_first = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user}: guess first {'on' if self.guess_first else 'off'}"


class TierGuessQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> TierGuessQuerySet:
        from enablement.models import User

        return self.filter(user__in=User.objects.visible_to(viewer))

    def record(self) -> dict[str, int]:
        """How many guesses, and how many matched the router's tier."""
        return self.aggregate(
            total=models.Count("pk"),
            right=models.Count("pk", filter=models.Q(guessed_tier=models.F("routed_tier"))),
        )


class TierGuess(models.Model):
    """An AE's tier pick before the reveal, and what the router said."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tier_guesses"
    )
    text = models.TextField(max_length=TEXT_LIMIT)
    guessed_tier = models.CharField(max_length=10, choices=Tier.choices)
    routed_tier = models.CharField(max_length=10, choices=Tier.choices)
    model_tier = models.CharField(max_length=10, choices=Tier.choices)
    confidence = models.FloatField()
    deciding_dimension = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TierGuessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "tier guesses"

    def __str__(self) -> str:
        return f"{self.user}: guessed {self.guessed_tier}, router {self.routed_tier}"

    @property
    def is_correct(self) -> bool:
        return self.guessed_tier == self.routed_tier


class DisagreementQuerySet(models.QuerySet):
    def pending(self) -> DisagreementQuerySet:
        return self.filter(status=Disagreement.Status.PENDING)

    def accepted(self) -> DisagreementQuerySet:
        return self.filter(status=Disagreement.Status.ACCEPTED)


class Disagreement(models.Model):
    """'I disagree': an AE's tier for a task and why, for an admin to review.

    Accepted ones export as corpus rows (text,tier,reasoning,latency,volume,stakes,domain):
    the AE's tier, the rubric's reasoning for that tier, and the dimension labels the admin
    confirmed (pre-filled from the router's readings).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="disagreements"
    )
    text = models.TextField(max_length=TEXT_LIMIT)
    routed_tier = models.CharField(max_length=10, choices=Tier.choices)
    model_tier = models.CharField(max_length=10, choices=Tier.choices)
    confidence = models.FloatField()
    suggested_tier = models.CharField(
        max_length=10, choices=Tier.choices, help_text="The tier the AE says is right."
    )
    reason = models.TextField(max_length=REASON_LIMIT, blank=True)
    latency = models.CharField(
        max_length=12,
        choices=[("inline", "inline"), ("interactive", "interactive"), ("tolerant", "tolerant")],
    )
    volume = models.CharField(
        max_length=8, choices=[("high", "high"), ("medium", "medium"), ("low", "low")]
    )
    stakes = models.CharField(
        max_length=12,
        choices=[("low", "low"), ("recoverable", "recoverable"), ("high", "high")],
    )
    domain = models.CharField(max_length=40, default="general")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DisagreementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user}: {self.routed_tier} -> {self.suggested_tier}"

    def corpus_row(self) -> list[str]:
        """This correction as a row in the training corpus format."""
        return [
            self.text,
            self.suggested_tier,
            REASONING_FOR_TIER[self.suggested_tier],
            self.latency,
            self.volume,
            self.stakes,
            self.domain,
        ]


class RoutingPlanQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> RoutingPlanQuerySet:
        from enablement.models import User

        return self.filter(owner__in=User.objects.visible_to(viewer))


class RoutingPlan(models.Model):
    """A routed workload list an AE can reopen and print for a design review.

    `rows` holds [{"line", "volume", "text", "tier", "model_tier", "confidence",
    "stepped_up"}]; `errors` holds [{"line", "message"}]. Money is recomputed from the tier
    profiles and the cost assumption whenever the plan is shown.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routing_plans"
    )
    title = models.CharField(max_length=120, blank=True)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoutingPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title or f"Routing plan {self.pk}"
