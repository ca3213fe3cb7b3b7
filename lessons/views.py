"""Lessons, the catalogue, progress, knowledge checks and the field guide.

Thin function views: reads go through the QuerySet methods in lessons.models, writes through
lessons.services. htmx requests get the page's partial; every control also works as a plain
form or link with JavaScript off.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from enablement.params import int_param
from enablement.signals import evidence_recorded

from . import services
from .charts import tier_chart
from .models import (
    CatalogueModel,
    CheckAnswer,
    CheckQuestion,
    ContentVersion,
    CourseProgress,
    FieldGuideEntry,
    Lesson,
    NamingSignal,
    TierProfile,
)
from .rendering import figures_from, render_body

FILTER_MAX_LENGTH = 100  # characters in the field-guide filter (documented in README)


# --- Course page ------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The course in order; for an AE, the progress bar and where to continue."""
    course = Lesson.objects.progress_for(request.user)
    return render(request, "lessons/index.html", {"course": course})


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every tier's profile, its named models by lab, and the naming signals."""
    profiles = list(TierProfile.objects.order_by("-order"))
    models = list(CatalogueModel.objects.all())
    signals = list(NamingSignal.objects.all())
    tiers = [
        {
            "profile": profile,
            "models": [model for model in models if model.tier == profile.slug],
            "signals": [signal for signal in signals if signal.tier == profile.slug],
        }
        for profile in profiles
    ]
    return render(request, "lessons/catalogue.html", {"tiers": tiers})


# --- A lesson ---------------------------------------------------------------------------------


# A cached lesson fragment lives this long at most; it is keyed by the content version
# (lessons.services.bump_content_version), so an edit never waits for this.
CONTENT_CACHE_SECONDS = 60 * 60


def _once(compute: Callable[[], Any]) -> Callable[[], Any]:
    """A context value computed only if the template asks for it (inside a cached fragment,
    only on a miss), and then only once. Django templates call a callable context value."""
    return functools.cache(compute)


def _content(key: str, version: int, compute: Callable[[], Any]) -> Any:
    """Course content read once per content version and kept in the cache (Django's
    low-level cache API); a content change moves the version, so a stale entry is never read."""
    return cache.get_or_set(f"lessons:{version}:{key}", compute, CONTENT_CACHE_SECONDS)


def _check_items(
    request: HttpRequest, lesson: Lesson, version: int, feedback: dict | None = None
) -> list:
    """Each active question with the viewer's stored answer (AEs) or this request's answer."""
    questions = _content(
        f"questions:{lesson.pk}",
        version,
        lambda: list(lesson.questions.active().prefetch_related("choices")),
    )
    answers: dict[int, CheckAnswer] = {}
    if request.user.is_ae and questions:
        answers = {
            answer.question_id: answer
            for answer in request.user.check_answers.filter(question__lesson=lesson)
        }
    feedback = feedback or {}
    items = []
    for question in questions:
        item = {"question": question, "answer": answers.get(question.pk), "error": ""}
        item.update(feedback.get(question.pk, {}))
        items.append(item)
    return items


def _lesson_context(request: HttpRequest, slug: str, feedback: dict | None = None) -> dict:
    """Everything the lesson page shows. Per-viewer parts (progress, neighbours, answers) are
    read live; the content-only parts (body, tier card, chart, field guide, takeaways) are
    computed only when the page's {% cache %} fragment for this content version is missing.
    Raises Http404 unless `slug` is a published lesson."""
    version = ContentVersion.objects.current()
    published = _content("published", version, lambda: list(Lesson.objects.published()))
    course = CourseProgress.for_user(published, request.user)  # the cache hands out copies
    lesson = next((item for item in course.lessons if item.slug == slug), None)
    if lesson is None:
        raise Http404("No such lesson.")
    previous, following = course.neighbours(lesson)
    profiles = _once(lambda: list(TierProfile.objects.all()))
    return {
        "content_version": version,
        "content_cache_seconds": CONTENT_CACHE_SECONDS,
        "lesson": lesson,
        "course": course,
        "entry": lesson,
        "previous": previous,
        "next": following,
        "checks": _check_items(request, lesson, version, feedback),
        # Only evaluated inside the cached fragment, on a miss:
        "body_html": _once(lambda: render_body(lesson.body, figures_from(profiles()))),
        "tier_profile": _once(
            lambda: (
                next((p for p in profiles() if p.slug == lesson.tier), None)
                if lesson.tier
                else None
            )
        ),
        "tier_models": _once(lambda: list(CatalogueModel.objects.filter(tier=lesson.tier))),
        "tier_signals": _once(lambda: list(NamingSignal.objects.filter(tier=lesson.tier))),
        "chart": _once(
            lambda: tier_chart(profiles()) if lesson.visual == Lesson.Visual.TIER_CHART else None
        ),
        "guide": _once(
            lambda: (
                list(FieldGuideEntry.objects.all())
                if lesson.visual == Lesson.Visual.FIELD_GUIDE
                else []
            )
        ),
    }


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A lesson. For an AE the visit is recorded (at most once a minute, see
    services.record_lesson_visit) and the course progress shows."""
    context = _lesson_context(request, slug)
    if request.user.is_ae:
        services.record_lesson_visit(
            user=request.user, course=context["course"], lesson=context["lesson"]
        )
    return render(request, "lessons/detail.html", context)


@require_POST
def complete(request: HttpRequest, slug: str) -> HttpResponse:
    """An AE marks the lesson complete; the bar and the button update in place (htmx)."""
    lesson = get_object_or_404(Lesson.objects.published(), slug=slug)
    if not request.user.is_ae:
        # The 403 handler answers (in the layout, or as an htmx alert) and logs the denial.
        raise PermissionDenied("Only account executives track lesson progress.")
    services.mark_lesson_complete(user=request.user, lesson=lesson)
    evidence_recorded.send(sender=Lesson, user=request.user, request=request)
    if request.htmx:
        context = _lesson_context(request, lesson.slug)
        return render(request, "lessons/detail.html#completed", context)
    messages.success(request, f"“{lesson.title}” is marked complete.")
    return redirect(lesson)


@require_POST
def check(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    """Answer one knowledge-check question: instant feedback and the explanation. An AE's
    answer is stored; managers and admins get the feedback without a record."""
    lesson = get_object_or_404(Lesson.objects.published(), slug=slug)
    question = get_object_or_404(CheckQuestion.objects.active(), pk=question_id, lesson=lesson)
    choice = question.choices.filter(pk=int_param(request.POST.get("choice"))).first()
    if choice is None:
        feedback = {question.pk: {"error": "Choose one of the answers, then check it."}}
        status = 422
    elif request.user.is_ae:
        answer = services.answer_check(user=request.user, question=question, choice=choice)
        if not request.htmx:
            return redirect(f"{lesson.get_absolute_url()}#check-{question.pk}")
        feedback, status = {question.pk: {"answer": answer}}, 200
    else:
        preview = CheckAnswer(
            question=question, choice=choice, choice_text=choice.text, is_correct=choice.is_correct
        )
        feedback, status = {question.pk: {"answer": preview}}, 200
    if request.htmx:
        item = next(
            item
            for item in _check_items(request, lesson, ContentVersion.objects.current(), feedback)
            if item["question"] == question
        )
        context = {"lesson": lesson, "item": item}
        return render(request, "lessons/detail.html#check", context, status=status)
    return render(
        request, "lessons/detail.html", _lesson_context(request, slug, feedback), status=status
    )


# --- Field guide ------------------------------------------------------------------------------


@require_safe
def field_guide(request: HttpRequest) -> HttpResponse:
    """All ten rows, filterable by text (?q=), or one flashcard at a time (?mode=cards)."""
    if request.GET.get("mode") == "cards":
        return _flashcards(request)
    query = request.GET.get("q", "")
    context: dict = {"query": query, "max_length": FILTER_MAX_LENGTH, "error": ""}
    status = 200
    if len(query) > FILTER_MAX_LENGTH:
        context["error"] = f"Filter text can be at most {FILTER_MAX_LENGTH} characters."
        context["entries"] = FieldGuideEntry.objects.all()
        status = 400
    else:
        context["entries"] = FieldGuideEntry.objects.matching(query)
    context["total"] = FieldGuideEntry.objects.count()
    template = "lessons/field_guide.html#rows" if request.htmx else "lessons/field_guide.html"
    return render(request, template, context, status=status)


def _flashcards(request: HttpRequest) -> HttpResponse:
    entries = list(FieldGuideEntry.objects.all())
    number = int_param(request.GET.get("card", "1"))
    if number is None or not 1 <= number <= len(entries):
        context = {"error": f"Choose a card from 1 to {len(entries)}.", "total": len(entries)}
        return render(request, "lessons/flashcards.html", context, status=404)
    context = {
        "entry": entries[number - 1],
        "number": number,
        "total": len(entries),
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < len(entries) else None,
    }
    template = "lessons/flashcards.html#card" if request.htmx else "lessons/flashcards.html"
    return render(request, template, context)
