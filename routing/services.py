"""Writes for the routing simulator: guesses, disagreements, plans, reviews."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from enablement.models import User
from enablement.resubmit import lock_writer, resubmit_since

from .classifier import RoutingDecision
from .feedback import deciding_dimension
from .models import Disagreement, RoutingPlan, SimulatorPreference, TierGuess


@transaction.atomic
def set_guess_first(*, user: User, enabled: bool) -> SimulatorPreference:
    preference, _ = SimulatorPreference.objects.select_for_update().get_or_create(user=user)
    preference.guess_first = enabled
    preference.save(update_fields=["guess_first"])
    return preference


@transaction.atomic
def record_guess(
    *, user: User, text: str, guessed_tier: str, decision: RoutingDecision
) -> TierGuess:
    return TierGuess.objects.create(
        user=user,
        text=text,
        guessed_tier=guessed_tier,
        routed_tier=decision.tier,
        model_tier=decision.model_tier,
        confidence=decision.confidence,
        deciding_dimension=deciding_dimension(decision).name,
    )


@transaction.atomic
def record_disagreement(
    *, user: User, text: str, suggested_tier: str, reason: str, decision: RoutingDecision
) -> Disagreement:
    """Store an AE's correction, pre-filling the dimension labels from the router's readings."""
    readings = {reading.name: reading.label for reading in decision.dimensions}
    return Disagreement.objects.create(
        user=user,
        text=text,
        routed_tier=decision.tier,
        model_tier=decision.model_tier,
        confidence=decision.confidence,
        suggested_tier=suggested_tier,
        reason=reason,
        latency=readings["latency"],
        volume=readings["volume"],
        stakes=readings["stakes"],
    )


@transaction.atomic
def review_disagreements(*, disagreements, reviewer: User, status: str) -> int:
    """Mark disagreements accepted or rejected by `reviewer`; returns how many changed."""
    return disagreements.update(status=status, reviewed_by=reviewer, reviewed_at=timezone.now())


@transaction.atomic
def create_plan(*, owner: User, title: str, rows: list[dict], errors: list[dict]) -> RoutingPlan:
    """Store a routed workload list. The same title and workloads again shortly after (a
    double click, a resubmit) return the plan already stored, even when both arrive at once
    (enablement/resubmit.py)."""
    lock_writer(owner)
    recent = RoutingPlan.objects.filter(owner=owner, title=title, created_at__gte=resubmit_since())
    for plan in recent:
        if plan.rows == rows and plan.errors == errors:
            return plan
    return RoutingPlan.objects.create(owner=owner, title=title, rows=rows, errors=errors)
