"""SVG geometry for the team page's tier-confusion heatmap."""

from __future__ import annotations

from dataclasses import dataclass

from enablement.vocabulary import TIERS, Tier

MATRIX_LEFT = 160  # room for the row labels left of the heatmap


@dataclass
class Cell:
    correct: str
    picked: str
    count: int
    row_total: int
    x: int = 0
    y: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.row_total) if self.row_total else 0

    @property
    def is_diagonal(self) -> bool:
        return self.correct == self.picked

    @property
    def fill(self) -> str:
        """Shade by share of the row: green on the diagonal, red off it (text says it too)."""
        share = self.count / self.row_total if self.row_total else 0
        light = round(245 - 150 * share)
        if self.is_diagonal:
            return f"rgb({light}, {min(255, light + 20)}, {light})"
        return f"rgb(255, {light}, {light})"

    @property
    def text_fill(self) -> str:
        """White only on the dark green of a mostly-right diagonal; dark ink elsewhere (the
        reds stay light enough for dark text at 4.5:1)."""
        dark = self.is_diagonal and self.row_total and self.count / self.row_total > 0.6
        return "#ffffff" if dark else "#1b1f24"


def heatmap_rows(matrix) -> list[dict]:
    """The heatmap's cells, row by row (right tier), placed for the SVG."""
    size, left, top = 90, MATRIX_LEFT, 40
    rows = []
    for i, correct in enumerate(TIERS):
        row_total = sum(matrix.row(correct))
        cells = [
            Cell(
                correct,
                picked,
                matrix.counts.get((correct, picked), 0),
                row_total,
                x=left + j * size,
                y=top + i * size,
            )
            for j, picked in enumerate(TIERS)
        ]
        rows.append(
            {
                "tier": correct,
                "label": Tier(correct).label,
                "total": row_total,
                "cells": cells,
                "y": top + i * size + size // 2,
            }
        )
    return rows


def heatmap_columns() -> list[dict]:
    return [
        {"tier": t, "label": Tier(t).label, "x": MATRIX_LEFT + j * 90 + 45}
        for j, t in enumerate(TIERS)
    ]
