"""What the router says about a scenario, for drill feedback.

The router (routing.classifier.route) is its own feature; until it is installed this answers
None and the feedback says the router's view is unavailable, rather than failing the drill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from routing.classifier import route


@dataclass
class RouterView:
    tier: str
    model_tier: str
    confidence: float
    agrees: bool  # with the scenario's correct tier
    dimensions: list = field(
        default_factory=list
    )  # DimensionReading(name, label, confidence, reason)
    phrases: list[str] = field(default_factory=list)
    stepped_up: bool = False
    step_up_reason: str = ""


def router_view(text: str, correct_tier: str) -> RouterView:
    decision = route(text)
    return RouterView(
        tier=decision.tier,
        model_tier=decision.model_tier,
        confidence=float(decision.confidence),
        agrees=decision.tier == correct_tier,
        dimensions=list(decision.dimensions),
        phrases=list(decision.phrases),
        stepped_up=bool(decision.stepped_up),
        step_up_reason=decision.step_up_reason or "",
    )
