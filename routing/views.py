"""The routing simulator and the routing plan (thin views; logic in routing/feedback.py,
routing/planning.py and writes in routing/services.py).

Every POST here is rate limited (django-ratelimit, 120/min per user or IP) and answers bad
input with a message and a 4xx. htmx requests get the page's partial; the same URLs serve
the whole page to a plain form post, so everything works with JavaScript off.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from enablement.vocabulary import Tier

from . import services
from .classifier import RoutingDecision, route
from .feedback import compare_with_frontier, deciding_dimension, guess_feedback
from .models import (
    REASON_LIMIT,
    TEXT_LIMIT,
    CostAssumption,
    RoutingPlan,
    SimulatorPreference,
)
from .planning import (
    MAX_PLAN_LINES,
    MAX_UPLOAD_BYTES,
    PlanRejected,
    load_profiles,
    parse_pasted,
    parse_upload,
    route_workloads,
    summarise,
)

SIMULATOR = "routing/simulator.html"
PLAN = "routing/plan.html"
RATE = "120/m"


# --- helpers ---------------------------------------------------------------------------------


def _guess_first(request: HttpRequest) -> bool:
    preference = SimulatorPreference.objects.filter(user=request.user).first()
    return bool(preference and preference.guess_first)


def _decision_context(decision: RoutingDecision) -> dict:
    profiles = load_profiles()
    assumption = CostAssumption.current()
    return {
        "decision": decision,
        "confidence_percent": round(decision.confidence * 100),
        "probabilities": [
            (slug, name, round(decision.probabilities[slug] * 100)) for slug, name in Tier.choices
        ],
        "profile": profiles.get(decision.tier),
        "tier_name": dict(Tier.choices)[decision.tier],
        "comparison": compare_with_frontier(decision.tier, profiles, assumption),
        "assumption": assumption,
        "deciding": deciding_dimension(decision),
        # The "I disagree" form starts on the classifier's runner-up tier.
        "suggest_default": sorted(
            (t for t in decision.probabilities if t != decision.tier),
            key=lambda t: -decision.probabilities[t],
        )[0],
    }


def _page_context(request: HttpRequest, **extra) -> dict:
    guess_first = _guess_first(request)
    context = {
        "guess_first": guess_first,
        "guess_record": request.user.tier_guesses.record() if guess_first else None,
        "text_limit": TEXT_LIMIT,
        "reason_limit": REASON_LIMIT,
        "tiers": Tier.choices,
        "text": "",
    }
    context.update(extra)
    return context


def _render_simulator(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    template = f"{SIMULATOR}#{context.pop('partial', 'result')}" if request.htmx else SIMULATOR
    return render(request, template, _page_context(request, **context), status=status)


def _task_text(request: HttpRequest) -> tuple[str, str | None]:
    """The posted task text, or an error message when it breaks the 1,000-character limit."""
    text = request.POST.get("text", "").strip()
    if len(text) > TEXT_LIMIT:
        return text[:TEXT_LIMIT], (
            f"That task is {len(text):,} characters; the simulator reads at most "
            f"{TEXT_LIMIT:,}. Shorten it and try again."
        )
    return text, None


# --- simulator -------------------------------------------------------------------------------


@require_safe
def simulator(request: HttpRequest) -> HttpResponse:
    """The simulator page: type a task, see where it routes and why."""
    return render(request, SIMULATOR, _page_context(request))


@ratelimit(key="user_or_ip", rate=RATE, method="POST", block=True)
@require_POST
def simulator_route(request: HttpRequest) -> HttpResponse:
    """Route the typed task (htmx as-you-type, or the plain 'Route it' button)."""
    text, error = _task_text(request)
    if error:
        return _render_simulator(request, {"text": text, "error": error}, status=422)
    if not text:
        return _render_simulator(request, {"text": ""})
    return _render_simulator(request, {"text": text, **_decision_context(route(text))})


@ratelimit(key="user_or_ip", rate=RATE, method="POST", block=True)
@require_POST
def simulator_guess(request: HttpRequest) -> HttpResponse:
    """Guess-first: the AE's pick is stored, then the router's answer is revealed."""
    text, error = _task_text(request)
    guess = request.POST.get("guess", "")
    if not error and not text:
        error = "Type a task description first."
    if not error and guess not in dict(Tier.choices):
        error = "Pick a tier (small, efficient mid-tier or frontier) before the reveal."
    if error:
        return _render_simulator(request, {"text": text, "error": error}, status=422)
    decision = route(text)
    guess_row = services.record_guess(
        user=request.user, text=text, guessed_tier=guess, decision=decision
    )
    return _render_simulator(
        request,
        {
            "text": text,
            "guess": guess_row,
            "feedback": guess_feedback(guess, decision),
            **_decision_context(decision),
        },
    )


@ratelimit(key="user_or_ip", rate=RATE, method="POST", block=True)
@require_POST
def simulator_mode(request: HttpRequest) -> HttpResponse:
    """Turn guess-first mode on or off for this AE (remembered)."""
    services.set_guess_first(user=request.user, enabled=request.POST.get("guess_first") == "on")
    return redirect("routing:simulator")


@ratelimit(key="user_or_ip", rate=RATE, method="POST", block=True)
@require_POST
def simulator_disagree(request: HttpRequest) -> HttpResponse:
    """'I disagree': store the AE's tier and reason for an admin to review."""
    text, error = _task_text(request)
    suggested = request.POST.get("suggested_tier", "")
    reason = request.POST.get("reason", "").strip()
    if not error and not text:
        error = "There is no task to disagree about; type one first."
    if not error and suggested not in dict(Tier.choices):
        error = "Pick the tier you think is right."
    if not error and len(reason) > REASON_LIMIT:
        error = f"Your reason is {len(reason):,} characters; the limit is {REASON_LIMIT}."
    decision = route(text) if text else None
    if error:
        context = {"text": text, "disagree_error": error, "partial": "disagree"}
        if decision:
            context.update(_decision_context(decision))
        return _render_simulator(request, context, status=422)
    services.record_disagreement(
        user=request.user, text=text, suggested_tier=suggested, reason=reason, decision=decision
    )
    return _render_simulator(
        request,
        {
            "text": text,
            "disagree_saved": dict(Tier.choices)[suggested],
            "partial": "disagree",
            **_decision_context(decision),
        },
    )


# --- routing plan ----------------------------------------------------------------------------


def _plan_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context = {
        "max_lines": MAX_PLAN_LINES,
        "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "text_limit": TEXT_LIMIT,
        "plans": request.user.routing_plans.all()[:10],
        **context,
    }
    template = f"{PLAN}#plan-result" if request.htmx else PLAN
    return render(request, template, context, status=status)


def _plan_context(plan: RoutingPlan) -> dict:
    return {
        "plan": plan,
        "summary": summarise(plan.rows, load_profiles(), CostAssumption.current()),
        "tier_names": dict(Tier.choices),
    }


@ratelimit(key="user_or_ip", rate=RATE, method="POST", block=True)
@require_http_methods(["GET", "HEAD", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    """Paste or upload up to 200 workloads; get a routing plan priced against all-frontier."""
    if request.method != "POST":
        return _plan_page(request, {})
    pasted = request.POST.get("workloads", "")
    title = request.POST.get("title", "").strip()[:120]
    upload = request.FILES.get("upload")
    try:
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise PlanRejected("The upload is larger than 1 MB. Upload a smaller CSV.", 413)
            workloads, errors = parse_upload(upload.read())
        elif pasted.strip():
            workloads, errors = parse_pasted(pasted)
        else:
            raise PlanRejected(
                "Paste at least one line (`monthly volume, description`) or upload a CSV.", 400
            )
    except PlanRejected as rejected:
        return _plan_page(
            request,
            {"error": rejected.message, "workloads": pasted, "title": title},
            status=rejected.status,
        )
    plan = services.create_plan(
        owner=request.user,
        title=title,
        rows=route_workloads(workloads),
        errors=[{"line": e.line, "message": e.message} for e in errors],
    )
    if request.htmx:
        return _plan_page(request, _plan_context(plan))
    return redirect(reverse("routing:plan_detail", args=[plan.pk]))


@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(RoutingPlan.objects.visible_to(request.user), pk=pk)
    return _plan_page(request, _plan_context(plan))


@require_safe
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable plan for a design review: no navigation or forms, just the numbers."""
    plan = get_object_or_404(RoutingPlan.objects.visible_to(request.user), pk=pk)
    return render(request, "routing/plan_print.html", _plan_context(plan))
