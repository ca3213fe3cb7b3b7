"""Loads the practice banks: scenarios and role-play personas/prompts (`load_content`).

Upserts by slug, so running it again changes nothing. Nothing is deleted: a scenario or a
prompt that left the bank is marked inactive, and the AEs' answers and attempts stay.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.db import transaction

from enablement.content import ContentError, read_yaml, upsert
from enablement.vocabulary import DIMENSIONS, TIERS

from .models import Persona, PromptKind, RoleplayPrompt, Scenario

IDEA_KEYS = {
    "tier_named",
    "routing_logic",
    "fit_for_purpose",
    "midtier_cost_share",
    "accuracy_at_tier",
    "prediction_not_policy",
}


def content_dir() -> Path:
    return Path(__file__).resolve().parent / "content"


def _read_list(path: Path) -> list[dict]:
    if not path.exists():
        return []
    data = read_yaml(path) or []
    if not isinstance(data, list):
        raise ContentError(f"{path.name}: expected a list at the top level")
    return data


def _check_scenario(item: dict, where: str) -> None:
    for key in ("slug", "title", "task", "correct_tier", "explanation", "wrong_picks"):
        if not item.get(key):
            raise ContentError(f"{where}: missing {key!r}")
    if item["correct_tier"] not in TIERS:
        raise ContentError(f"{where}: correct_tier must be one of {sorted(TIERS)}")
    wrong = set((item.get("wrong_picks") or {}).keys())
    if wrong != set(TIERS) - {item["correct_tier"]}:
        raise ContentError(f"{where}: wrong_picks must cover exactly the two other tiers")
    unknown = set(item.get("deciding_dimensions") or []) - set(DIMENSIONS)
    if unknown:
        raise ContentError(f"{where}: unknown deciding dimension(s) {sorted(unknown)}")


def load_scenarios(path: Path | None = None) -> tuple[int, int]:
    """Upsert the scenario bank; returns (in the file, newly created)."""
    items = _read_list(path or content_dir() / "scenarios.yaml")
    tally: Counter = Counter()
    slugs = []
    for number, item in enumerate(items, start=1):
        _check_scenario(item, f"scenario #{number} ({item.get('slug', '?')})")
        slugs.append(item["slug"])
        upsert(
            Scenario,
            {"slug": item["slug"]},
            {
                "title": item["title"],
                "industry": item.get("industry", ""),
                "task": item["task"].strip(),
                "context": item.get("context") or {},
                "correct_tier": item["correct_tier"],
                "deciding_dimensions": list(item.get("deciding_dimensions") or []),
                "explanation": item["explanation"].strip(),
                "wrong_picks": {k: str(v).strip() for k, v in item["wrong_picks"].items()},
                "is_active": True,
            },
            tally,
        )
    # Near-miss twins, once every slug exists.
    by_slug = {s.slug: s for s in Scenario.objects.filter(slug__in=slugs)}
    for item in items:
        twin = by_slug.get(item.get("near_miss_of") or "")
        scenario = by_slug[item["slug"]]
        if scenario.near_miss_of_id != (twin.pk if twin else None):
            scenario.near_miss_of = twin
            scenario.save(update_fields=["near_miss_of"])
    if items:
        Scenario.objects.exclude(slug__in=slugs).update(is_active=False)
    return len(items), tally["new"]


def load_personas(path: Path | None = None) -> tuple[int, int]:
    """Upsert personas and their prompts; returns (personas, prompts)."""
    items = _read_list(path or content_dir() / "roleplay" / "personas.yaml")
    prompt_slugs = []
    for p_order, item in enumerate(items):
        where = f"persona #{p_order + 1} ({item.get('slug', '?')})"
        for key in ("slug", "name", "role", "prompts"):
            if not item.get(key):
                raise ContentError(f"{where}: missing {key!r}")
        persona, _ = upsert(
            Persona,
            {"slug": item["slug"]},
            {
                "name": item["name"],
                "role": item["role"],
                "concern": item.get("concern", ""),
                "order": p_order,
            },
        )
        for order, prompt in enumerate(item["prompts"]):
            if not prompt.get("slug") or not prompt.get("line"):
                raise ContentError(f"{where}, prompt #{order + 1}: needs a slug and a line")
            rows = [int(r) for r in prompt.get("guide_rows") or []]
            if any(not 1 <= r <= 10 for r in rows):
                raise ContentError(f"{where}, {prompt['slug']}: guide_rows are 1-10")
            ideas = list(prompt.get("ideas") or [])
            if set(ideas) - IDEA_KEYS:
                raise ContentError(f"{where}, {prompt['slug']}: unknown ideas")
            kind = prompt.get("kind", PromptKind.OPENING)
            if kind not in PromptKind.values:
                raise ContentError(f"{where}, {prompt['slug']}: kind is opening or follow-up")
            upsert(
                RoleplayPrompt,
                {"slug": prompt["slug"]},
                {
                    "persona": persona,
                    "kind": kind,
                    "line": prompt["line"].strip(),
                    "guide_rows": rows,
                    "ideas": ideas,
                    "coaching": (prompt.get("coaching") or "").strip(),
                    "order": order,
                    "is_active": True,
                },
            )
            prompt_slugs.append(prompt["slug"])
    if items:
        RoleplayPrompt.objects.exclude(slug__in=prompt_slugs).update(is_active=False)
    return len(items), len(prompt_slugs)


@transaction.atomic
def load() -> str:
    """The `load_content` entry point: both practice banks."""
    from .conversation import load_scripts

    scenarios, new = load_scenarios()
    personas, prompts = load_personas()
    scripts, branch_points = load_scripts()
    return (
        f"{scenarios} scenarios ({new} new), {personas} role-play personas, {prompts} prompts, "
        f"{scripts} conversation scripts ({branch_points} branch points)"
    )
