"""SVG geometry for the routing plan's server-rendered chart."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .models import CostRange

CHART_WIDTH = 640
BAR_MAX = 380


def plan_chart(routed: CostRange, frontier: CostRange, totals: Iterable) -> dict:
    """Bar geometry (midpoint estimates) for the server-rendered SVG."""
    top = max(frontier.mid, routed.mid, Decimal("0.000001"))

    def width(value: Decimal) -> int:
        return max(1, int(value / top * BAR_MAX)) if value > 0 else 0

    segments = []
    x = 0
    for total in totals:
        w = width(total.cost.mid)
        segments.append({"tier": total.tier, "x": 150 + x, "width": w, "name": total.name})
        x += w
    return {
        "width": CHART_WIDTH,
        "routed_width": width(routed.mid),
        "frontier_width": width(frontier.mid),
        "segments": segments,
        "routed_mid": routed.mid,
        "frontier_mid": frontier.mid,
    }
