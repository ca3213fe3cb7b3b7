"""What the simulator shows around a routing decision: figures, money and guess feedback."""

from __future__ import annotations

from dataclasses import dataclass

from enablement.vocabulary import TIER_OF_READING, tier_rank
from lessons.models import TierProfile

from .classifier import DimensionReading, RoutingDecision
from .models import CostAssumption, CostRange, tier_costs

REQUESTS_PER_MONTH = 1_000_000


@dataclass(frozen=True)
class FrontierComparison:
    """Monthly money at REQUESTS_PER_MONTH: on the routed tier vs on frontier instead."""

    requests: int
    routed: CostRange
    frontier: CostRange
    extra: CostRange
    currency: str
    is_frontier: bool


def compare_with_frontier(
    tier: str,
    profiles: dict[str, TierProfile],
    assumption: CostAssumption,
    requests: int = REQUESTS_PER_MONTH,
) -> FrontierComparison | None:
    if tier not in profiles or "frontier" not in profiles:
        return None
    per_request = tier_costs(profiles, assumption)
    routed = per_request[tier] * requests
    frontier = per_request["frontier"] * requests
    return FrontierComparison(
        requests=requests,
        routed=routed,
        frontier=frontier,
        extra=frontier - routed,
        currency=assumption.currency,
        is_frontier=tier == "frontier",
    )


def deciding_dimension(decision: RoutingDecision) -> DimensionReading:
    """The reading that most clearly points at the routed tier (reasoning when none do).

    Reasoning (the rubric test) wins ties: it is the course's practical test.
    """
    supporting = [
        reading
        for reading in decision.dimensions
        if TIER_OF_READING[reading.name].get(reading.label) == decision.tier
    ]
    if not supporting:
        return decision.dimension("reasoning") or decision.dimensions[0]
    order = {"reasoning": 0, "latency": 1, "stakes": 2, "volume": 3}
    return max(supporting, key=lambda r: (r.confidence, -order[r.name]))


def guess_feedback(guess: str, decision: RoutingDecision) -> str:
    """One or two sentences for an AE who guessed `guess` before the reveal."""
    reading = deciding_dimension(decision)
    deciding = f"{reading.title} reads “{reading.label}”: {reading.reason}"
    if guess == decision.tier:
        return f"Right: {decision.tier}. What decides it: {deciding}"
    direction = (
        "over-provisioned" if tier_rank(guess) > tier_rank(decision.tier) else "under-provisioned"
    )
    return (
        f"You picked {guess}; the router sends it to {decision.tier}, so your pick is "
        f"{direction}. What decides it: {deciding}"
    )
