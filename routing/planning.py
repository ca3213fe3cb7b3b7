"""The routing plan: parse workloads, route each, and price routing against all-frontier.

Input is one workload per line, `monthly volume, description` (pasted) or a CSV upload with
those two columns (a header row is optional). Bad lines become line-numbered errors; good
lines are still routed. Past the limits (200 workloads, 1 MB upload) the whole request is
refused with a message (the view answers 4xx).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from enablement.vocabulary import TIERS
from lessons.models import TierProfile

from .charts import plan_chart
from .classifier import route
from .models import TEXT_LIMIT, CostAssumption, CostRange, tier_costs

MAX_PLAN_LINES = 200
MAX_UPLOAD_BYTES = 1024 * 1024
MAX_VOLUME = 10**12
# No volume within range needs more characters (separators removed); longer ones are refused
# before any arithmetic, since converting a huge Decimal to int is quadratic in its digits.
MAX_VOLUME_CHARS = 24

_VOLUME = re.compile(r"^(\d+(?:\.\d+)?)\s*([km]?)$", re.IGNORECASE)
_MULTIPLIER = {"": 1, "k": 1_000, "m": 1_000_000}


class PlanRejected(ValueError):
    """The whole input is refused (too many lines, too big, unreadable)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Workload:
    line: int
    volume: int
    text: str


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


def _clean_volume(raw: str) -> str:
    return raw.strip().replace("_", "").replace(" ", "")


def parse_volume(raw: str) -> int | None:
    """'250000', '250_000', '250 000', '250k', '1.5M' -> int; anything else -> None."""
    cleaned = _clean_volume(raw)
    if len(cleaned) > MAX_VOLUME_CHARS:
        return None
    match = _VOLUME.match(cleaned)
    if not match:
        return None
    value = Decimal(match.group(1)) * _MULTIPLIER[match.group(2).lower()]
    if value != value.to_integral_value():
        return None
    return int(value)


def _workload(line: int, cells: list[str]) -> Workload | LineError:
    cells = [c.strip() for c in cells]
    if len(cells) < 2 or not any(cells[1:]):
        return LineError(line, "expected `monthly volume, description` (no description found)")
    if len(_clean_volume(cells[0])) > MAX_VOLUME_CHARS:
        return LineError(line, f"the monthly volume must be between 1 and {MAX_VOLUME:,}")
    volume = parse_volume(cells[0])
    if volume is None:
        return LineError(
            line,
            f"the monthly volume {cells[0][:30]!r} is not a whole number (e.g. 250000 or 250k)",
        )
    if volume <= 0 or volume > MAX_VOLUME:
        return LineError(line, f"the monthly volume must be between 1 and {MAX_VOLUME:,}")
    text = ", ".join(c for c in cells[1:] if c)
    if len(text) > TEXT_LIMIT:
        return LineError(
            line, f"the description is {len(text):,} characters; the limit is {TEXT_LIMIT:,}"
        )
    return Workload(line, volume, text)


def _check_count(rows: list[tuple[int, list[str]]]) -> None:
    if len(rows) > MAX_PLAN_LINES:
        raise PlanRejected(
            f"A plan takes at most {MAX_PLAN_LINES} workloads; this one has {len(rows)}. "
            "Split it into smaller plans.",
            status=422,
        )


def parse_pasted(text: str) -> tuple[list[Workload], list[LineError]]:
    """One workload per non-blank line; line numbers are the pasted text's own. The same
    size limit as an upload."""
    if len(text.encode()) > MAX_UPLOAD_BYTES:
        raise PlanRejected(
            "The pasted text is larger than 1 MB. Paste fewer lines, or upload a CSV.", status=413
        )
    numbered = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                cells = next(csv.reader([line], skipinitialspace=True), [])
            except csv.Error as error:  # e.g. a field over the csv module's 128 kB limit
                raise PlanRejected(
                    f"Line {number} could not be read: {error}", status=400
                ) from error
            numbered.append((number, cells))
    _check_count(numbered)
    return _collect(numbered)


def _is_header(cells: list[str]) -> bool:
    first = cells[0].strip().lower() if cells else ""
    return parse_volume(first) is None and ("volume" in first or first in {"requests", "count"})


def parse_upload(data: bytes) -> tuple[list[Workload], list[LineError]]:
    """A CSV with `monthly volume, description` columns; the header row is optional."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise PlanRejected("The upload is larger than 1 MB. Upload a smaller CSV.", status=413)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanRejected(
            "The upload is not UTF-8 text. Save the file as CSV (UTF-8) and try again.",
            status=400,
        ) from error
    if "\x00" in text:
        raise PlanRejected("The upload is not a CSV text file.", status=400)
    numbered = []
    try:
        reader = csv.reader(io.StringIO(text), skipinitialspace=True)
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if not numbered and _is_header(cells):
                continue
            numbered.append((reader.line_num, cells))
    except csv.Error as error:
        raise PlanRejected(f"The CSV could not be read: {error}", status=400) from error
    _check_count(numbered)
    return _collect(numbered)


def _collect(numbered: list[tuple[int, list[str]]]) -> tuple[list[Workload], list[LineError]]:
    workloads: list[Workload] = []
    errors: list[LineError] = []
    for number, cells in numbered:
        parsed = _workload(number, cells)
        (errors if isinstance(parsed, LineError) else workloads).append(parsed)
    return workloads, errors


def route_workloads(workloads: list[Workload]) -> list[dict]:
    """Route every workload; plain dicts, ready to store on a RoutingPlan."""
    rows = []
    for workload in workloads:
        decision = route(workload.text)
        rows.append(
            {
                "line": workload.line,
                "volume": workload.volume,
                "text": workload.text,
                "tier": decision.tier,
                "model_tier": decision.model_tier,
                "confidence": round(decision.confidence, 4),
                "stepped_up": decision.stepped_up,
            }
        )
    return rows


# --- Money ----------------------------------------------------------------------------------


@dataclass
class PricedRow:
    line: int
    volume: int
    text: str
    tier: str
    confidence: float
    stepped_up: bool
    routed: CostRange
    frontier: CostRange


@dataclass
class TierTotal:
    tier: str
    name: str
    workloads: int = 0
    volume: int = 0
    cost: CostRange = field(default_factory=CostRange.zero)


@dataclass
class PlanSummary:
    rows: list[PricedRow]
    by_tier: list[TierTotal]
    volume: int
    routed: CostRange
    frontier: CostRange
    savings: CostRange
    savings_percent_low: Decimal
    savings_percent_high: Decimal
    currency: str
    assumption: CostAssumption
    chart: dict


def load_profiles() -> dict[str, TierProfile]:
    return {profile.slug: profile for profile in TierProfile.objects.all()}


def _percent(saved: Decimal, total: Decimal) -> Decimal:
    if total <= 0:
        return Decimal(0)
    return (saved / total * 100).quantize(Decimal("0.1"))


def summarise(
    rows: list[dict], profiles: dict[str, TierProfile], assumption: CostAssumption
) -> PlanSummary | None:
    """Monthly cost with routing vs everything on frontier, from the tier profiles.

    None when a tier profile is missing (content not loaded): the plan still lists tiers.
    """
    if any(tier not in profiles for tier in TIERS):
        return None
    per_request = tier_costs(profiles, assumption)
    totals = {t: TierTotal(tier=t, name=profiles[t].name) for t in TIERS}
    priced = []
    routed = CostRange.zero()
    frontier = CostRange.zero()
    volume = 0
    for row in rows:
        row_routed = per_request[row["tier"]] * row["volume"]
        row_frontier = per_request["frontier"] * row["volume"]
        priced.append(
            PricedRow(
                line=row["line"],
                volume=row["volume"],
                text=row["text"],
                tier=row["tier"],
                confidence=row["confidence"],
                stepped_up=row["stepped_up"],
                routed=row_routed,
                frontier=row_frontier,
            )
        )
        bucket = totals[row["tier"]]
        bucket.workloads += 1
        bucket.volume += row["volume"]
        bucket.cost = bucket.cost + row_routed
        routed = routed + row_routed
        frontier = frontier + row_frontier
        volume += row["volume"]
    savings = frontier - routed
    return PlanSummary(
        rows=priced,
        by_tier=list(totals.values()),
        volume=volume,
        routed=routed,
        frontier=frontier,
        savings=savings,
        savings_percent_low=_percent(savings.low, frontier.low),
        savings_percent_high=_percent(savings.high, frontier.high),
        currency=assumption.currency,
        assumption=assumption,
        chart=plan_chart(routed, frontier, totals.values()),
    )
