"""Practice: scenario drills (/drills/) and role-play (/roleplay/).

Each page is one template with `{% partialdef %}` regions; an htmx request gets the region,
a plain request the whole page, so everything works with JavaScript off.
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from enablement.params import int_param
from enablement.vocabulary import Dimension, Tier
from lessons.models import TierProfile

from .models import (
    Confidence,
    DrillAnswer,
    DrillSession,
    Persona,
    RoleplayAttempt,
    RoleplayPrompt,
    Scenario,
)
from .router_view import router_view
from .scorer import IDEAS
from .services import (
    PracticeError,
    answer_drill,
    start_drill_session,
    submit_roleplay_reply,
)
from .stats import drill_stats

TIER_LABELS = dict(Tier.choices)
DIMENSION_LABELS = dict(Dimension.choices)
CONTEXT_LABELS = {
    "volume": "Volume",
    "waiting": "Who is waiting",
    "wrong_answer_cost": "Cost of a wrong answer",
    "input_structure": "Input structure",
}


def _context_items(scenario: Scenario | None) -> list[tuple[str, str]]:
    if scenario is None:
        return []
    return [
        (CONTEXT_LABELS.get(key, key.replace("_", " ").capitalize()), value)
        for key, value in (scenario.context or {}).items()
    ]


def _page(request: HttpRequest, template: str, partial: str, context: dict, status: int = 200):
    """The whole page, or only `partial` when htmx asked."""
    name = f"{template}#{partial}" if request.htmx else template
    return render(request, name, context, status=status)


def _size(request: HttpRequest) -> int | None:
    """`size` from the form or the query string (a manager's assigned drill set links with
    ?size=N). None when it is absent or not a number."""
    return int_param(request.POST.get("size") or request.GET.get("size"))


# --- Drills -------------------------------------------------------------------------------
def _drills_context(request: HttpRequest, **extra) -> dict:
    user = request.user
    size = _size(request)
    in_range = size is not None and 1 <= size <= DrillSession.MAX_SIZE
    return {
        "stats": drill_stats(user, timezone.now()),
        "size": size if in_range else DrillSession.DEFAULT_SIZE,
        "max_size": DrillSession.MAX_SIZE,
        "sessions": DrillSession.objects.filter(user=user)[:5],
        "scenario_count": Scenario.objects.filter(is_active=True).count(),
        **extra,
    }


@require_safe
def drills(request: HttpRequest) -> HttpResponse:
    """Start a drill; the AE's stats: accuracy per tier, confusion, calibration, streak."""
    return render(request, "practice/drills.html", _drills_context(request))


@require_POST
def drill_start(request: HttpRequest) -> HttpResponse:
    size = _size(request)
    if size is None and not (request.POST.get("size") or request.GET.get("size")):
        size = DrillSession.DEFAULT_SIZE
    try:
        if size is None:
            raise PracticeError("The number of scenarios must be a whole number.")
        session = start_drill_session(user=request.user, size=size)
    except PracticeError as error:
        context = _drills_context(request, start_error=str(error))
        return render(request, "practice/drills.html", context, status=422)
    return redirect("practice:drill_session", pk=session.pk)


def _session_context(session: DrillSession, answer: DrillAnswer | None = None) -> dict:
    answers = {a.scenario_id: a for a in session.answers.all()}
    scenarios = Scenario.objects.in_bulk(session.scenario_ids)
    remaining = [pk for pk in session.scenario_ids if pk not in answers and pk in scenarios]
    current = scenarios[remaining[0]] if remaining else None
    done = len(session.scenario_ids) - len(remaining)
    context = {
        "session": session,
        "scenario": current,
        "position": done + 1,
        "answered": done,
        "correct": sum(a.is_correct for a in answers.values()),
        "context_items": _context_items(current),
        "tiers": Tier.choices,
        "confidences": Confidence.choices,
    }
    if answer is not None:
        context.update(_feedback(answer))
    return context


def _feedback(answer: DrillAnswer) -> dict:
    scenario = answer.scenario
    picked = answer.picked_tier
    router = router_view(scenario.task, answer.correct_tier)
    return {
        "answer": answer,
        "answered_scenario": scenario,
        "deciding": [DIMENSION_LABELS.get(d, d) for d in scenario.deciding_dimensions],
        "picked_label": TIER_LABELS.get(picked, picked),
        "correct_label": TIER_LABELS.get(answer.correct_tier, answer.correct_tier),
        # A wrong pick is labelled with the failure mode of the tier the AE picked (the
        # source's failure-mode dimension), read from the tier profile where it is stated once.
        "picked_profile": None
        if answer.is_correct
        else TierProfile.objects.filter(slug=picked).first(),
        "wrong_pick_text": "" if answer.is_correct else scenario.wrong_picks.get(picked, ""),
        "router": router,
        "router_label": TIER_LABELS.get(router.tier, router.tier) if router else "",
    }


@require_safe
def drill_session(request: HttpRequest, pk: int) -> HttpResponse:
    """The next scenario of the drill, or (after a plain-form answer) its feedback."""
    session = get_object_or_404(DrillSession, pk=pk, user=request.user)
    answer = None
    answer_id = int_param(request.GET.get("answer"))
    if answer_id is not None:
        answer = get_object_or_404(
            DrillAnswer.objects.select_related("scenario"), pk=answer_id, session=session
        )
    context = _session_context(session, answer)
    return _page(request, "practice/drill_session.html", "card", context)


@require_POST
def drill_answer(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(DrillSession, pk=pk, user=request.user)
    scenario_id = int_param(request.POST.get("scenario"))
    scenario = Scenario.objects.filter(pk=scenario_id).first() if scenario_id is not None else None
    try:
        if scenario is None:
            raise PracticeError("That scenario is not part of this drill.")
        answer = answer_drill(
            user=request.user,
            session=session,
            scenario=scenario,
            picked_tier=request.POST.get("tier", ""),
            confidence=request.POST.get("confidence", ""),
        )
    except PracticeError as error:
        context = _session_context(session)
        context["error"] = str(error)
        return _page(request, "practice/drill_session.html", "card", context, status=422)
    if not request.htmx:
        url = reverse("practice:drill_session", args=[session.pk])
        return redirect(f"{url}?answer={answer.pk}")
    context = _session_context(session, answer)
    return render(request, "practice/drill_session.html#card", context)


# --- Role-play ------------------------------------------------------------------------------
def ratelimited_reply(view):
    """Answer a tripped rate limit with 429 and a clear message instead of a bare 403,
    keeping the AE's draft in the form."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str) -> HttpResponse:
        try:
            return view(request, slug)
        except Ratelimited:
            prompt = get_object_or_404(RoleplayPrompt.objects.select_related("persona"), slug=slug)
            message = (
                "You're replying faster than we allow (60 a minute). Wait a minute and try "
                "again; your earlier attempts are saved."
            )
            context = _prompt_context(
                request, prompt, error=message, draft=request.POST.get("text", "")
            )
            return _page(request, "practice/roleplay_prompt.html", "reply", context, status=429)

    return wrapper


@require_safe
def roleplay(request: HttpRequest) -> HttpResponse:
    """The personas and their prompts, with the AE's best score on each."""
    personas = Persona.objects.prefetch_related("prompts")
    best: dict[int, dict] = {}
    for attempt in RoleplayAttempt.objects.for_user(request.user).values("prompt_id", "score"):
        entry = best.setdefault(attempt["prompt_id"], {"best": 0, "count": 0})
        entry["best"] = max(entry["best"], attempt["score"])
        entry["count"] += 1
    rows = []
    for persona in personas:
        prompts = [p for p in persona.prompts.all() if p.is_active]
        if prompts:
            rows.append((persona, [(p, best.get(p.pk)) for p in prompts]))
    return render(request, "practice/roleplay.html", {"personas": rows})


def _prompt_context(request: HttpRequest, prompt: RoleplayPrompt, **extra) -> dict:
    attempts = list(RoleplayAttempt.objects.for_user(request.user).filter(prompt=prompt))
    return {
        "prompt": prompt,
        "persona": prompt.persona,
        "attempts": attempts,
        "first_score": attempts[-1].score if attempts else None,
        "best_score": max((a.score for a in attempts), default=None),
        "max_chars": RoleplayAttempt.MAX_CHARS,
        "idea_labels": IDEAS,
        "expected_ideas": [IDEAS[k] for k in prompt.ideas if k in IDEAS],
        **extra,
    }


@require_safe
def roleplay_prompt(request: HttpRequest, slug: str) -> HttpResponse:
    """A buyer's line, the reply form, and the AE's history on this prompt."""
    prompt = get_object_or_404(RoleplayPrompt.objects.select_related("persona"), slug=slug)
    attempt = None
    attempt_id = int_param(request.GET.get("attempt"))
    if attempt_id is not None:
        attempt = get_object_or_404(
            RoleplayAttempt.objects.for_user(request.user), pk=attempt_id, prompt=prompt
        )
    return render(
        request, "practice/roleplay_prompt.html", _prompt_context(request, prompt, attempt=attempt)
    )


@ratelimited_reply
@ratelimit(key="user_or_ip", rate="60/m", method="POST", block=True)
@require_POST
def roleplay_reply(request: HttpRequest, slug: str) -> HttpResponse:
    prompt = get_object_or_404(
        RoleplayPrompt.objects.select_related("persona"), slug=slug, is_active=True
    )
    text = request.POST.get("text", "")
    try:
        attempt = submit_roleplay_reply(user=request.user, prompt=prompt, text=text)
    except PracticeError as error:
        status = 413 if len(text.strip()) > RoleplayAttempt.MAX_CHARS else 422
        context = _prompt_context(request, prompt, error=str(error), draft=text)
        return _page(request, "practice/roleplay_prompt.html", "reply", context, status=status)
    if not request.htmx:
        url = reverse("practice:roleplay_prompt", args=[prompt.slug])
        return redirect(f"{url}?attempt={attempt.pk}")
    context = _prompt_context(request, prompt, attempt=attempt)
    return render(request, "practice/roleplay_prompt.html#reply", context)
