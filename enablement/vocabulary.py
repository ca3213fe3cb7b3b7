"""The one vocabulary of tiers and routing dimensions: keys, order, the labels users read, and
the next tier up. Every app imports these; no template or module spells a tier list again."""

from __future__ import annotations

from django.db import models


class Tier(models.TextChoices):
    """The three tiers, cheapest first (the order every list, chart and matrix uses)."""

    SMALL = "small", "Small"
    MID = "mid", "Efficient mid-tier"
    FRONTIER = "frontier", "Frontier"


# Keys in order, cheapest first.
TIERS: tuple[str, ...] = tuple(Tier.values)

# Step-up escalates one tier at a time, like step-up MFA on a weak signal.
NEXT_TIER: dict[str, str] = {
    tier: TIERS[min(index + 1, len(TIERS) - 1)] for index, tier in enumerate(TIERS)
}


# What each tier is for, in the course's words ("the team sends triage tasks to frontier").
TIER_JOB: dict[str, str] = dict(
    zip(TIERS, ("triage", "structured production", "judgment"), strict=True)
)


def tier_label(key: str) -> str:
    """The label users read for a tier key ("Efficient mid-tier" for "mid")."""
    return Tier(key).label


def tier_rank(key: str) -> int:
    """0 for the cheapest tier, up to 2 for frontier."""
    return TIERS.index(key)


class Dimension(models.TextChoices):
    """The four dimensions that drive a routing decision, in the course's order."""

    REASONING = "reasoning", "Reasoning requirement"
    LATENCY = "latency", "Latency tolerance"
    VOLUME = "volume", "Cost sensitivity (volume)"
    STAKES = "stakes", "Failure mode (cost of a wrong answer)"


DIMENSIONS: tuple[str, ...] = tuple(Dimension.values)

# Where each tier sits on each dimension: the value the router reads there, in tier order
# (small, mid, frontier).
DIMENSION_VALUES: dict[str, tuple[str, ...]] = {
    Dimension.REASONING.value: ("match", "combine", "judge"),
    Dimension.LATENCY.value: ("inline", "interactive", "tolerant"),
    Dimension.VOLUME.value: ("high", "medium", "low"),
    Dimension.STAKES.value: ("low", "recoverable", "high"),
}

# The tier each dimension value points to, e.g. TIER_OF_READING["latency"]["inline"] == "small".
TIER_OF_READING: dict[str, dict[str, str]] = {
    dimension: dict(zip(values, TIERS, strict=True))
    for dimension, values in DIMENSION_VALUES.items()
}

# The reasoning each tier is for (small matches, mid combines, frontier judges).
REASONING_FOR_TIER: dict[str, str] = dict(zip(TIERS, DIMENSION_VALUES["reasoning"], strict=True))
