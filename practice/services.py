"""Writes for practice: drill sessions, drill answers with spaced repetition, role-play."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from enablement.models import User
from enablement.resubmit import lock_writer, resubmit_since
from enablement.vocabulary import TIERS

from .models import (
    Confidence,
    DrillAnswer,
    DrillSession,
    RoleplayAttempt,
    RoleplayPrompt,
    Scenario,
    ScenarioReview,
)
from .scorer import score_reply

# Leitner boxes: after a right answer the scenario moves up a box and comes back after that
# box's interval; a miss sends it back to box 1, due again at once (the next session).
BOX_INTERVALS = {
    1: timedelta(0),
    2: timedelta(days=1),
    3: timedelta(days=3),
    4: timedelta(days=7),
    5: timedelta(days=21),
}


class PracticeError(ValueError):
    """Bad input to a practice write; the message is shown to the user."""


def pick_scenarios(*, user: User, size: int, now: datetime) -> list[Scenario]:
    """Due scenarios first (lowest box, longest overdue), then unseen ones (shuffled), then
    the ones not yet due (soonest first)."""
    active = Scenario.objects.filter(is_active=True)
    reviews = ScenarioReview.objects.filter(user=user, scenario__is_active=True)
    due = [r.scenario_id for r in reviews.due(now).order_by("box", "due_at")]
    seen = set(reviews.values_list("scenario_id", flat=True))
    unseen = [pk for pk in active.values_list("pk", flat=True) if pk not in seen]
    random.shuffle(unseen)
    later = [r.scenario_id for r in reviews.filter(due_at__gt=now).order_by("due_at", "box")]
    ordered = (due + unseen + later)[:size]
    by_pk = active.in_bulk(ordered)
    return [by_pk[pk] for pk in ordered]


@transaction.atomic
def start_drill_session(
    *, user: User, size: int = DrillSession.DEFAULT_SIZE, now: datetime | None = None
) -> DrillSession:
    if not 1 <= size <= DrillSession.MAX_SIZE:
        raise PracticeError(f"A drill has between 1 and {DrillSession.MAX_SIZE} scenarios.")
    scenarios = pick_scenarios(user=user, size=size, now=now or timezone.now())
    if not scenarios:
        raise PracticeError("There are no scenarios to drill yet. Ask an admin to load content.")
    return DrillSession.objects.create(user=user, scenario_ids=[s.pk for s in scenarios])


@transaction.atomic
def answer_drill(
    *,
    user: User,
    session: DrillSession,
    scenario: Scenario,
    picked_tier: str,
    confidence: str,
    now: datetime | None = None,
) -> DrillAnswer:
    """Score a pick on the server and move the scenario's Leitner box.

    Answering the same scenario in the same session twice (a double submit, a reload)
    returns the first answer unchanged.
    """
    if session.user_id != user.pk or scenario.pk not in session.scenario_ids:
        raise PracticeError("That scenario is not part of this drill.")
    # Lock the drill's row: of simultaneous submits of one answer (a double click, a retry)
    # the others wait here, then find the first answer below instead of adding their own.
    DrillSession.objects.select_for_update().get(pk=session.pk)
    if picked_tier not in TIERS:
        raise PracticeError("Pick one of the three tiers: small, mid-tier or frontier.")
    if confidence not in Confidence.values:
        raise PracticeError("Say how sure you are: sure, think so or guessing.")
    existing = DrillAnswer.objects.filter(session=session, scenario=scenario).first()
    if existing:
        return existing
    now = now or timezone.now()
    is_correct = picked_tier == scenario.correct_tier
    answer = DrillAnswer.objects.create(
        user=user,
        session=session,
        scenario=scenario,
        picked_tier=picked_tier,
        correct_tier=scenario.correct_tier,
        is_correct=is_correct,
        confidence=confidence,
    )
    review, created = ScenarioReview.objects.select_for_update().get_or_create(
        user=user, scenario=scenario, defaults={"box": 1, "due_at": now, "last_answered_at": now}
    )
    if created:
        # A first right answer starts in box 2: known, but not yet mastered.
        box = 2 if is_correct else 1
    else:
        box = min(review.box + 1, ScenarioReview.BOXES) if is_correct else 1
    review.box = box
    review.due_at = now + BOX_INTERVALS[box]
    review.last_answered_at = now
    review.save()
    return answer


def clean_reply(text: str | None) -> str:
    """An AE's reply to a buyer, stripped; refused (PracticeError) when empty or too long."""
    text = (text or "").strip()
    if not text:
        raise PracticeError("Type a reply to the buyer first.")
    if len(text) > RoleplayAttempt.MAX_CHARS:
        raise PracticeError(
            f"Replies are limited to {RoleplayAttempt.MAX_CHARS:,} characters; "
            f"yours has {len(text):,}. Shorten it and submit again."
        )
    return text


@transaction.atomic
def submit_roleplay_reply(*, user: User, prompt: RoleplayPrompt, text: str) -> RoleplayAttempt:
    """Score a reply and keep it in the AE's history for this prompt.

    The same text to the same prompt again shortly after (a double click, a resubmit) returns
    the attempt already stored, even when both arrive at once (enablement/resubmit.py).
    """
    text = clean_reply(text)
    lock_writer(user)
    same = (
        RoleplayAttempt.objects.for_user(user)
        .filter(prompt=prompt, text=text, created_at__gte=resubmit_since())
        .first()
    )
    if same is not None:
        return same
    feedback = score_reply(text, ideas=prompt.ideas, guide_rows=prompt.guide_rows)
    return RoleplayAttempt.objects.create(
        user=user,
        prompt=prompt,
        text=text,
        score=feedback.score,
        verdict=feedback.verdict,
        dont_say_rows=[hit.row for hit in feedback.dont_say],
        ideas=[idea.key for idea in feedback.ideas],
        feedback=feedback.as_dict(),
    )
