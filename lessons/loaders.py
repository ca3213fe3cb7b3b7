"""Loads the version-controlled course content from lessons/content/.

`python manage.py load_content` calls `load()`. It upserts by natural key (tier slug, lesson
slug, model name, guide row order), so running it twice changes nothing, and it never
touches learner records (LessonProgress, CheckAnswer). Each row remembers a hash of the
repository text it came from: a row whose repository text is unchanged is left alone, so
edits made in the admin survive a reload until someone changes that file in the repository.
Questions dropped from a lesson file are deactivated, never deleted, so stored answers stay.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from enablement.content import ContentError, read_yaml, summary, upsert
from enablement.vocabulary import Tier

from .models import (
    RESERVED_LESSON_SLUGS,
    CatalogueModel,
    CheckChoice,
    CheckQuestion,
    FieldGuideEntry,
    Lab,
    Lesson,
    NamingSignal,
    TierProfile,
)
from .rendering import unknown_tokens
from .services import bump_content_version

CONTENT_DIR = Path(__file__).resolve().parent / "content"


# --- helpers ---------------------------------------------------------------------------------


def _require(path: Path, item: dict, keys: tuple[str, ...]) -> None:
    if not isinstance(item, dict):
        raise ContentError(f"{path.name}: expected a mapping, got {item!r}")
    missing = [key for key in keys if item.get(key) in (None, "")]
    if missing:
        raise ContentError(f"{path.name}: {item.get('slug') or item} lacks {', '.join(missing)}")


def _choice(path: Path, value: str, choices: type[models.TextChoices], what: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(v for v in choices.values if v)
        raise ContentError(f"{path.name}: unknown {what} {value!r} (use one of: {allowed})")
    return value


# --- the four content files ------------------------------------------------------------------


def load_tiers(path: Path) -> Counter:
    tally: Counter = Counter()
    items = read_yaml(path)
    if not isinstance(items, list):
        raise ContentError(f"{path.name}: expected a list of tiers")
    keys = ("slug", "name", "relative_cost", "latency", "failure_mode")
    for item in items:
        _require(path, item, keys + ("cost_index_low", "latency_ms_low"))
        slug = _choice(path, item["slug"], Tier, "tier")
        fields = {
            "name": item["name"],
            "order": int(item.get("order") or 0),
            "tagline": item.get("tagline") or "",
            "what_it_is": item.get("what_it_is") or "",
            "relative_cost": item["relative_cost"],
            "cost_index_low": Decimal(str(item["cost_index_low"])),
            "cost_index_high": Decimal(str(item.get("cost_index_high", item["cost_index_low"]))),
            "cost_note": item.get("cost_note") or "",
            "latency": item["latency"],
            "latency_ms_low": int(item["latency_ms_low"]),
            "latency_ms_high": int(item.get("latency_ms_high", item["latency_ms_low"])),
            "traffic_share": item.get("traffic_share") or "",
            "failure_mode": item["failure_mode"],
            "failure_mode_detail": item.get("failure_mode_detail") or "",
            "reasoning": item.get("reasoning") or "",
            "reasoning_detail": item.get("reasoning_detail") or "",
        }
        upsert(TierProfile, {"slug": slug}, fields, tally)
    return tally


def load_catalogue(path: Path) -> tuple[Counter, Counter]:
    models_tally: Counter = Counter()
    signals_tally: Counter = Counter()
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise ContentError(f"{path.name}: expected a mapping with `models:` and `naming_signals:`")
    for index, item in enumerate(data["models"], start=1):
        _require(path, item, ("tier", "lab", "name"))
        fields = {
            "tier": _choice(path, item["tier"], Tier, "tier"),
            "lab": _choice(path, item["lab"], Lab, "lab"),
            "note": item.get("note") or "",
            "order": index,
        }
        upsert(CatalogueModel, {"name": item["name"]}, fields, models_tally)
    for index, item in enumerate(data.get("naming_signals") or [], start=1):
        _require(path, item, ("tier", "signal"))
        lookup = {"tier": _choice(path, item["tier"], Tier, "tier"), "signal": item["signal"]}
        fields = {"note": item.get("note") or "", "order": index}
        upsert(NamingSignal, lookup, fields, signals_tally)
    return models_tally, signals_tally


def load_field_guide(path: Path) -> Counter:
    tally: Counter = Counter()
    items = read_yaml(path)
    if not isinstance(items, list):
        raise ContentError(f"{path.name}: expected a list of rows")
    for item in items:
        _require(path, item, ("order", "dont_say", "do_say", "why"))
        fields = {"dont_say": item["dont_say"], "do_say": item["do_say"], "why": item["why"]}
        upsert(FieldGuideEntry, {"order": int(item["order"])}, fields, tally)
    return tally


def parse_lesson_file(path: Path) -> tuple[dict, str]:
    """Split a lesson file into its YAML front matter and its Markdown body."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ContentError(f"{path.name}: must start with a `---` front matter block")
    try:
        front, body = text[4:].split("\n---\n", 1)
    except ValueError as error:
        raise ContentError(f"{path.name}: front matter is not closed with `---`") from error
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: front matter is not valid YAML ({error})") from error
    _require(path, meta, ("slug", "title", "order"))
    if meta["slug"] in RESERVED_LESSON_SLUGS:
        raise ContentError(f"{path.name}: slug {meta['slug']!r} is reserved for another page")
    return meta, body.strip() + "\n"


def _validate_checks(path: Path, checks: Any) -> list[dict]:
    if not isinstance(checks, list) or not 1 <= len(checks) <= 3:
        raise ContentError(f"{path.name}: needs 1-3 knowledge-check questions")
    for check in checks:
        _require(path, check, ("question", "choices", "explanation"))
        choices = check["choices"]
        if not isinstance(choices, list) or len(choices) < 2:
            raise ContentError(f"{path.name}: {check['question']!r} needs at least two choices")
        if sum(bool(choice.get("correct")) for choice in choices) != 1:
            raise ContentError(f"{path.name}: {check['question']!r} needs exactly one correct")
    return checks


def _load_checks(lesson: Lesson, checks: list[dict]) -> None:
    for q_order, check in enumerate(checks, start=1):
        question, _ = CheckQuestion.objects.update_or_create(
            lesson=lesson,
            order=q_order,
            defaults={
                "prompt": check["question"],
                "explanation": check["explanation"],
                "is_active": True,
            },
        )
        for c_order, choice in enumerate(check["choices"], start=1):
            CheckChoice.objects.update_or_create(
                question=question,
                order=c_order,
                defaults={"text": choice["text"], "is_correct": bool(choice.get("correct"))},
            )
        # Answers keep the chosen text, so a dropped choice loses no learner data.
        question.choices.filter(order__gt=len(check["choices"])).delete()
    lesson.questions.filter(order__gt=len(checks)).update(is_active=False)


def load_lessons(directory: Path, tier_slugs: list[str]) -> Counter:
    tally: Counter = Counter()
    for path in sorted(directory.glob("*.md")):
        meta, body = parse_lesson_file(path)
        bad = unknown_tokens(body, tier_slugs)
        if bad:
            raise ContentError(f"{path.name}: unknown figure tokens {', '.join(bad)}")
        checks = _validate_checks(path, meta.get("checks"))
        takeaways = meta.get("takeaways") or []
        fields = {
            "title": meta["title"],
            "order": int(meta["order"]),
            "summary": meta.get("summary") or "",
            "minutes": int(meta.get("minutes") or 5),
            "tier": _choice(path, meta.get("tier") or "", Tier, "tier") if meta.get("tier") else "",
            "visual": _choice(path, meta.get("visual") or "", Lesson.Visual, "visual"),
            "body": body,
            "takeaways": "\n".join(str(line).strip() for line in takeaways),
            "is_published": True,
        }
        # The hash covers the checks too, so edited questions reload with their lesson.
        lesson, changed = upsert(Lesson, {"slug": meta["slug"]}, fields, tally, checks)
        if changed:
            _load_checks(lesson, checks)
    return tally


@transaction.atomic
def load(content_dir: Path = CONTENT_DIR) -> str:
    """Load tiers, catalogue, field guide and lessons; return a one-line summary."""
    tiers = load_tiers(content_dir / "tiers.yaml")
    models_tally, signals_tally = load_catalogue(content_dir / "models.yaml")
    guide = load_field_guide(content_dir / "field_guide.yaml")
    tier_slugs = list(TierProfile.objects.values_list("slug", flat=True))
    lessons = load_lessons(content_dir / "lessons", tier_slugs)
    # Cached lesson fragments are keyed by the content version: a reload shows everywhere.
    bump_content_version()
    return "; ".join(
        [
            summary("tier profiles", tiers),
            summary("catalogue models", models_tally),
            summary("naming signals", signals_tally),
            summary("field guide rows", guide),
            summary("lessons", lessons),
        ]
    )
