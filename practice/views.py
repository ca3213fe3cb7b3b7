"""Practice: scenario drills (/drills/) and role-play (/roleplay/).

Each page is one template with `{% partialdef %}` regions; an htmx request gets the region,
a plain request the whole page, so everything works with JavaScript off.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from enablement.params import int_param
from enablement.signals import evidence_recorded
from enablement.vocabulary import Dimension, Tier
from lessons.models import TierProfile

from . import conversation as conversation_engine
from . import review as review_service
from .forms import RubricCheckFormSet, RubricForm
from .models import (
    Confidence,
    Conversation,
    ConversationStatus,
    ConversationTurn,
    DrillAnswer,
    DrillSession,
    Persona,
    RoleplayAttempt,
    RoleplayPrompt,
    Rubric,
    Scenario,
    Script,
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
        # course's failure-mode dimension), read from the tier profile where it is stated once.
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
    evidence_recorded.send(sender=DrillAnswer, user=request.user, request=request)
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
    scripts = Script.objects.filter(is_active=True).select_related("persona")
    mine = Conversation.objects.for_user(request.user).select_related("script")[:20]
    context = {"personas": rows, "scripts": scripts, "conversations": mine}
    return render(request, "practice/roleplay.html", context)


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
    evidence_recorded.send(sender=RoleplayAttempt, user=request.user, request=request)
    if not request.htmx:
        url = reverse("practice:roleplay_prompt", args=[prompt.slug])
        return redirect(f"{url}?attempt={attempt.pk}")
    context = _prompt_context(request, prompt, attempt=attempt)
    return render(request, "practice/roleplay_prompt.html#reply", context)


# --- Conversations ---------------------------------------------------------------------------


def _conversation_for(request: HttpRequest, pk: int) -> Conversation:
    """The viewer's own conversation, or one of their team's (managers; admins: all)."""
    return get_object_or_404(
        Conversation.objects.visible_to(request.user).select_related("script__persona", "user"),
        pk=pk,
    )


def _conversation_context(request: HttpRequest, conversation: Conversation, **extra) -> dict:
    turns = list(conversation.turns.all())
    review = conversation.reviews.select_related("reviewer").first()
    comments = {c.turn_id: c.text for c in review.turn_comments.all()} if review else {}
    for turn in turns:
        turn.idea_names = [IDEAS[key] for key in turn.ideas if key in IDEAS]
        turn.manager_comment = comments.get(turn.pk, "")
    context = {
        "conversation": conversation,
        "script": conversation.script,
        "turns": turns,
        "is_own": conversation.user_id == request.user.pk,
        "next_number": len(turns) + 1,
        "buyer_line": conversation_engine.buyer_line(conversation),
        "max_chars": ConversationTurn.MAX_CHARS,
        "idea_labels": IDEAS,
        "review": review,
        "review_checks": list(review.checks.select_related("rubric_check")) if review else [],
    }
    if conversation.status == ConversationStatus.FINISHED:
        context["dont_say_rows"] = sorted({row for t in turns for row in t.dont_say_rows})
        context["ideas_carried"] = sorted(
            {IDEAS[key] for t in turns for key in t.ideas if key in IDEAS}
        )
        context["coaching"] = [
            t.feedback.get("guide_row") for t in turns if t.dont_say_rows and t.feedback
        ]
    context.update(extra)
    return context


@require_POST
def conversation_start(request: HttpRequest, slug: str) -> HttpResponse:
    script = get_object_or_404(Script, slug=slug, is_active=True)
    conversation = conversation_engine.start(user=request.user, script=script)
    return redirect("practice:conversation", pk=conversation.pk)


@require_safe
def conversation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The transcript, the reply box while it is open, the scorecard once it ends, and the
    manager's review when there is one."""
    conversation = _conversation_for(request, pk)
    return render(
        request, "practice/conversation.html", _conversation_context(request, conversation)
    )


@require_POST
@ratelimit(key="user_or_ip", rate="60/m", method="POST", block=True)
def conversation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(
        Conversation.objects.for_user(request.user).select_related("script"), pk=pk
    )
    number = int_param(request.POST.get("turn"))
    text = request.POST.get("text", "")
    try:
        if number is None:
            raise PracticeError("That reply came without its turn; reload the page.")
        conversation_engine.reply(conversation=conversation, number=number, text=text)
    except PracticeError as error:
        conversation.refresh_from_db()
        status = 413 if len(text.strip()) > ConversationTurn.MAX_CHARS else 422
        context = _conversation_context(request, conversation, error=str(error), draft=text)
        return _page(request, "practice/conversation.html", "chat", context, status=status)
    evidence_recorded.send(sender=Conversation, user=request.user, request=request)
    conversation.refresh_from_db()
    if not request.htmx:
        return redirect("practice:conversation", pk=conversation.pk)
    return render(
        request,
        "practice/conversation.html#chat",
        _conversation_context(request, conversation),
    )


@require_POST
def conversation_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(Conversation.objects.for_user(request.user), pk=pk)
    conversation_engine.abandon(conversation=conversation)
    return redirect("practice:roleplay")


@require_http_methods(["GET", "HEAD", "POST"])
def conversation_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A manager confirms or overrides each rubric check and the verdict, and comments."""
    conversation = get_object_or_404(review_service.reviewable_by(request.user), pk=pk)
    rubric = Rubric.objects.filter(script=conversation.script).prefetch_related("checks").first()
    checks = list(rubric.checks.all()) if rubric else []
    suggestions = review_service.suggest(conversation, checks)
    context = _conversation_context(
        request, conversation, suggestions=suggestions, rubric=rubric, errors=[]
    )
    if request.method == "POST":
        answers = {
            s.check.pk: request.POST.get(f"check-{s.check.pk}") == "yes" for s in suggestions
        }
        turn_comments = {t.pk: request.POST.get(f"comment-{t.pk}", "") for t in context["turns"]}
        try:
            review_service.save_review(
                conversation=conversation,
                reviewer=request.user,
                verdict=request.POST.get("verdict", ""),
                answers=answers,
                comment=request.POST.get("comment", ""),
                turn_comments=turn_comments,
            )
        except ValueError as error:
            context["errors"] = [str(error)]
            return render(request, "practice/review.html", context, status=422)
        messages.success(request, "Review saved; the AE sees it on their conversation.")
        return redirect("practice:conversation_review", pk=conversation.pk)
    return render(request, "practice/review.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def rubric_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """A manager or admin writes the script's rubric: up to ten weighted yes/no checks."""
    if not (request.user.is_manager or request.user.is_enablement_admin):
        raise PermissionDenied("Rubrics are written by managers and enablement admins.")
    script = get_object_or_404(Script, slug=slug, is_active=True)
    rubric = Rubric.objects.filter(script=script).first() or Rubric(script=script)
    form = RubricForm(request.POST or None, instance=rubric)
    checks = RubricCheckFormSet(request.POST or None, instance=rubric, prefix="checks")
    if request.method == "POST":
        if form.is_valid() and checks.is_valid():
            with transaction.atomic():
                rubric = form.save(commit=False)
                rubric.created_by = rubric.created_by or request.user
                rubric.save()
                checks.instance = rubric
                for order, check in enumerate(checks.save(commit=False), start=1):
                    check.order = check.order or order
                    check.save()
                for removed in checks.deleted_objects:
                    removed.delete()
            messages.success(request, f"Rubric saved for “{script.title}”.")
            return redirect("practice:rubric", slug=script.slug)
        status = 422
    else:
        status = 200
    context = {"script": script, "form": form, "checks": checks}
    return render(request, "practice/rubric.html", context, status=status)
