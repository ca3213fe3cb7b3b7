"""The tier comparison chart: typical latency against relative cost, both on log scales,
drawn from TierProfile so the chart and the prose quote the same figures."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .models import TierProfile

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 20, 50
LATENCY_RANGE_MS = (10, 30_000)
COST_RANGE = (0.05, 40)
MIN_BOX = 10  # px, so a single-valued range (mid-tier cost = 1) still shows


def _scale(value: float, low: float, high: float, start: float, end: float) -> float:
    value = min(max(value, low), high)
    span = math.log10(high) - math.log10(low)
    return start + (math.log10(value) - math.log10(low)) / span * (end - start)


def _x(ms: float) -> float:
    return _scale(ms, *LATENCY_RANGE_MS, LEFT, WIDTH - RIGHT)


def _y(cost: float) -> float:
    return _scale(cost, *COST_RANGE, HEIGHT - BOTTOM, TOP)


@dataclass(frozen=True)
class Box:
    profile: TierProfile
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2

    @property
    def label_y(self) -> float:
        return self.y - 6 if self.y > TOP + 14 else self.y + self.height + 14


@dataclass(frozen=True)
class Tick:
    label: str
    position: float


@dataclass(frozen=True)
class TierChart:
    boxes: list[Box]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM


def tier_chart(profiles: Iterable[TierProfile]) -> TierChart:
    boxes = []
    for profile in profiles:
        x0, x1 = _x(profile.latency_ms_low), _x(profile.latency_ms_high)
        y_low, y_high = _y(float(profile.cost_index_low)), _y(float(profile.cost_index_high))
        width = max(x1 - x0, MIN_BOX)
        height = max(y_low - y_high, MIN_BOX)
        top = y_high - (height - (y_low - y_high)) / 2
        boxes.append(Box(profile, round(x0, 1), round(top, 1), round(width, 1), round(height, 1)))
    x_ticks = [
        Tick(label, round(_x(ms), 1))
        for label, ms in [("10ms", 10), ("100ms", 100), ("1s", 1000), ("10s", 10_000)]
    ]
    y_ticks = [
        Tick(label, round(_y(cost), 1)) for label, cost in [("0.1x", 0.1), ("1x", 1), ("10x", 10)]
    ]
    return TierChart(boxes=boxes, x_ticks=x_ticks, y_ticks=y_ticks)
