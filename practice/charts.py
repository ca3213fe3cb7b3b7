"""SVG geometry for the drill stats' calibration chart."""

from __future__ import annotations

from collections.abc import Sequence


def calibration_bars(calibration: Sequence) -> list[dict]:
    """One 300-unit bar per confidence level (each item has an `accuracy`, 0-100 or None)."""
    bars = []
    for i, rate in enumerate(calibration):
        width = 3 * (rate.accuracy or 0)
        bars.append(
            {
                "rate": rate,
                "y": 10 + 34 * i,
                "text_y": 30 + 34 * i,
                "width": width,
                "value_x": 104 + width,
            }
        )
    return bars


def calibration_height(calibration: Sequence) -> int:
    return 20 + 34 * len(calibration)
