"""Writes to an AE's learning record. Only account executives have progress."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from enablement.models import User

from .models import CheckAnswer, CheckChoice, CheckQuestion, Lesson, LessonProgress


def _require_ae(user: User) -> None:
    if not user.is_ae:
        raise PermissionDenied("Only account executives have lesson progress.")


@transaction.atomic
def record_lesson_visit(*, user: User, lesson: Lesson) -> LessonProgress:
    """Remember when the AE last opened the lesson ("continue where you left off")."""
    _require_ae(user)
    progress, _ = LessonProgress.objects.update_or_create(
        user=user, lesson=lesson, defaults={"last_viewed_at": timezone.now()}
    )
    return progress


@transaction.atomic
def mark_lesson_complete(*, user: User, lesson: Lesson) -> LessonProgress:
    """Mark the lesson complete. The first completion time is kept: marking it again
    changes nothing."""
    _require_ae(user)
    now = timezone.now()
    progress, created = LessonProgress.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, defaults={"completed_at": now, "last_viewed_at": now}
    )
    if not created and progress.completed_at is None:
        progress.completed_at = now
        progress.save(update_fields=["completed_at"])
    return progress


@transaction.atomic
def answer_check(*, user: User, question: CheckQuestion, choice: CheckChoice) -> CheckAnswer:
    """Store the AE's answer (the latest one counts; attempts are counted)."""
    _require_ae(user)
    if choice.question_id != question.pk:
        raise ValueError("That choice belongs to another question.")
    values = {
        "choice": choice,
        "choice_text": choice.text,
        "is_correct": choice.is_correct,
        "answered_at": timezone.now(),
    }
    answer, created = CheckAnswer.objects.select_for_update().get_or_create(
        user=user, question=question, defaults=values
    )
    if not created:
        CheckAnswer.objects.filter(pk=answer.pk).update(**values, attempts=F("attempts") + 1)
        answer.refresh_from_db()
    return answer
