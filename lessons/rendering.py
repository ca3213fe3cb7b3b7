"""Lesson bodies: figure tokens, Markdown, sanitising.

A body says `[[frontier.latency]]` where a figure belongs; the figure itself lives once, in
TierProfile. Bodies are editable in the admin, so the rendered HTML is sanitised with nh3.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

import markdown
import nh3

from .models import TierProfile

TOKEN = re.compile(r"\[\[\s*([a-z]+)\.([a-z_]+)\s*\]\]")

# The TierProfile fields a body may quote (text fields only; numbers are for charts).
TOKEN_FIELDS = frozenset(
    {
        "name",
        "tagline",
        "what_it_is",
        "relative_cost",
        "cost_note",
        "latency",
        "traffic_share",
        "failure_mode",
        "failure_mode_detail",
        "reasoning",
        "reasoning_detail",
    }
)

Figures = dict[str, str]


def figures_from(profiles: Iterable[TierProfile]) -> Figures:
    """{"frontier.latency": "3–15s, longer for extended context", ...}"""
    return {
        f"{profile.slug}.{field}": getattr(profile, field)
        for profile in profiles
        for field in TOKEN_FIELDS
    }


def unknown_tokens(text: str, tiers: Iterable[str]) -> list[str]:
    """The tokens in `text` that name no tier or no quotable field."""
    tiers = set(tiers)
    return [
        match.group(0)
        for match in TOKEN.finditer(text)
        if match.group(1) not in tiers or match.group(2) not in TOKEN_FIELDS
    ]


def substitute(text: str, figures: Figures) -> str:
    """Replace each known token with its figure; an unknown token stays visible as written,
    so a typo shows on the page instead of silently vanishing."""

    def replace(match: re.Match) -> str:
        key = f"{match.group(1)}.{match.group(2)}"
        return html.escape(figures[key], quote=False) if key in figures else match.group(0)

    return TOKEN.sub(replace, text)


@lru_cache(maxsize=64)
def _render(body: str, figures: tuple[tuple[str, str], ...]) -> str:
    text = substitute(body, dict(figures))
    rendered = markdown.markdown(text, extensions=["tables", "sane_lists"])
    cleaned = nh3.clean(rendered)
    # Markdown tables put their header row in <thead>: those cells head columns.
    return cleaned.replace("<th>", '<th scope="col">')


def render_body(body: str, figures: Figures) -> str:
    """Safe HTML for a lesson body (cached on the body and the figures it can use)."""
    return _render(body, tuple(sorted(figures.items())))
