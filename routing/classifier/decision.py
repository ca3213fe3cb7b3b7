"""What the router answers: a tier, how sure it is, and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from enablement.vocabulary import Dimension


@dataclass(frozen=True)
class DimensionReading:
    """One of the course's four routing dimensions, read from the task text."""

    name: str  # "reasoning" | "latency" | "volume" | "stakes"
    label: str  # e.g. "match", "inline", "high", "recoverable"
    confidence: float
    reason: str

    @property
    def title(self) -> str:
        return Dimension(self.name).label


@dataclass(frozen=True)
class RoutingDecision:
    """The router's answer for one task description.

    `tier` is where the task goes after the step-up policy; `model_tier` is the
    classifier's own pick. `confidence` is the classifier's probability for `model_tier`.
    """

    text: str
    tier: str
    model_tier: str
    confidence: float
    probabilities: dict[str, float]
    dimensions: list[DimensionReading] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    stepped_up: bool = False
    step_up_reason: str = ""

    def dimension(self, name: str) -> DimensionReading | None:
        for reading in self.dimensions:
            if reading.name == name:
                return reading
        return None

    def to_dict(self) -> dict:
        """Plain JSON-ready data (the CLI's --jsonl output)."""
        data = asdict(self)
        data["confidence"] = round(self.confidence, 4)
        data["probabilities"] = {k: round(v, 4) for k, v in self.probabilities.items()}
        for reading in data["dimensions"]:
            reading["confidence"] = round(reading["confidence"], 4)
        return data
