"""Rubrics and manager review of role-play conversations.

The scorer suggests each rubric check's answer with its evidence (the words that triggered
it); a manager confirms or overrides each check and the verdict and comments per turn or
overall. Every review is kept (who, when, what was overridden); the newest is the one the AE
sees. Reviews whose verdict a manager set become labelled data for the scorer
(`python manage.py score_roleplay --export-reviews FILE`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch

from enablement.models import User

from .models import (
    CheckKind,
    CheckResult,
    Conversation,
    ConversationStatus,
    ConversationTurn,
    Review,
    Rubric,
    RubricCheck,
    TurnComment,
)


@dataclass(frozen=True)
class Suggestion:
    check: RubricCheck
    answer: bool
    evidence: str


def suggest(conversation: Conversation, checks: list[RubricCheck]) -> list[Suggestion]:
    """The scorer's answer to each check over the AE's replies, with the words behind it."""
    turns = list(conversation.turns.all())
    suggestions = []
    for check in checks:
        if check.kind == CheckKind.IDEA:
            hits = [
                (turn, idea)
                for turn in turns
                for idea in (turn.feedback or {}).get("ideas", [])
                if idea.get("key") == check.idea
            ]
            evidence = "; ".join(
                f"turn {turn.number}: {', '.join(idea.get('triggers') or []) or 'the model'}"
                for turn, idea in hits
            )
            suggestions.append(Suggestion(check, bool(hits), evidence))
        elif check.kind == CheckKind.AVOID:
            hits = [
                (turn, hit)
                for turn in turns
                for hit in (turn.feedback or {}).get("dont_say", [])
                if hit.get("row") == check.dont_say_row
            ]
            evidence = "; ".join(
                f"turn {turn.number} fell into it: {', '.join(hit.get('triggers') or [])}"
                for turn, hit in hits
            )
            suggestions.append(Suggestion(check, not hits, evidence or "not found"))
        else:
            found = [
                f"turn {turn.number}: “{phrase}”"
                for turn in turns
                for phrase in check.phrase_list
                if phrase.lower() in turn.reply.lower()
            ]
            suggestions.append(Suggestion(check, bool(found), "; ".join(found)))
    return suggestions


def rubric_score(rubric: Rubric | None, answers: dict[int, bool]) -> tuple[int, bool] | None:
    """Percent of the checks' weight passed, and whether that meets the pass mark."""
    if rubric is None:
        return None
    checks = list(rubric.checks.all())
    total = sum(c.weight for c in checks)
    if not total:
        return None
    percent = round(100 * sum(c.weight for c in checks if answers.get(c.pk)) / total)
    return percent, percent >= rubric.pass_mark


def reviewable_by(viewer: User):
    """Finished conversations this viewer may review: their team's (managers), all (admins)."""
    if not (viewer.is_manager or viewer.is_enablement_admin):
        return Conversation.objects.none()
    return (
        Conversation.objects.visible_to(viewer)
        .filter(status=ConversationStatus.FINISHED)
        .select_related("user", "script__persona")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("reviewer")))
    )


@transaction.atomic
def save_review(
    *,
    conversation: Conversation,
    reviewer: User,
    verdict: str,
    answers: dict[int, bool],
    comment: str = "",
    turn_comments: dict[int, str] | None = None,
) -> Review:
    """Record a review (a new row each time: the history is kept)."""
    if not reviewable_by(reviewer).filter(pk=conversation.pk).exists():
        raise PermissionDenied("You can review only your own team's conversations.")
    if verdict not in ("strong", "weak"):
        raise ValueError("The verdict is strong or weak.")
    if len(comment) > 2000 or any(len(t) > 1000 for t in (turn_comments or {}).values()):
        raise ValueError("Comments are limited to 2,000 characters overall, 1,000 per turn.")
    review = Review.objects.create(
        conversation=conversation,
        reviewer=reviewer,
        verdict=verdict,
        suggested_verdict=conversation.verdict,
        comment=comment.strip(),
    )
    rubric = Rubric.objects.filter(script=conversation.script).first()
    if rubric is not None:
        checks = list(rubric.checks.all())
        CheckResult.objects.bulk_create(
            CheckResult(
                review=review,
                rubric_check=s.check,
                suggested=s.answer,
                evidence=s.evidence[:300],
                value=answers.get(s.check.pk, s.answer),
            )
            for s in suggest(conversation, checks)
        )
    turns = {t.pk: t for t in conversation.turns.all()}
    TurnComment.objects.bulk_create(
        TurnComment(review=review, turn=turns[pk], text=text.strip())
        for pk, text in (turn_comments or {}).items()
        if pk in turns and text.strip()
    )
    return review


REVIEW_LABEL_FIELDS = ["prompt", "text", "label", "dont_say", "ideas"]


def export_reviewed_labels(path: Path) -> int:
    """Write every reviewed reply as a labelled row (the scorer's replies.csv format): the
    newest review's verdict per conversation labels each of its turns."""
    rows = []
    for conversation in Conversation.objects.filter(reviews__isnull=False).distinct():
        review = conversation.reviews.order_by("-created_at", "-pk").first()
        turn: ConversationTurn
        for turn in conversation.turns.all():
            rows.append(
                [
                    "",
                    turn.reply,
                    review.verdict,
                    (turn.dont_say_rows or [0])[0],
                    ";".join(turn.ideas or []),
                ]
            )
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REVIEW_LABEL_FIELDS)
        writer.writerows(rows)
    return len(rows)
