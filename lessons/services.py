"""Writes to an AE's learning record (only account executives have progress), and the
content version that cached lesson fragments are keyed by."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from enablement.models import User

from .models import (
    CheckAnswer,
    CheckChoice,
    CheckQuestion,
    ContentVersion,
    Lesson,
    LessonProgress,
)

# A lesson reopened within this long of the last recorded view is not written again.
VISIT_WRITE_INTERVAL = timedelta(seconds=60)


def _require_ae(user: User) -> None:
    if not user.is_ae:
        raise PermissionDenied("Only account executives have lesson progress.")


def record_lesson_visit(*, user: User, lesson_id: int) -> LessonProgress | None:
    """Remember when the AE last opened the lesson ("continue where you left off").

    Throttled: nothing is written, and None is returned, when this lesson is the one the AE
    touched last (opened or completed: User.last_lesson, on the user row every request reads
    anyway) and that was under VISIT_WRITE_INTERVAL (60 s) ago. So reloading a page doesn't
    open a write transaction each time, and "continue where you left off" stays exactly
    right: the lesson touched last is still this one. The recorded time may then lag the real
    last view by under a minute."""
    _require_ae(user)
    now = timezone.now()
    touched = user.last_lesson_at
    if (
        user.last_lesson_id == lesson_id
        and touched is not None
        and now - touched < VISIT_WRITE_INTERVAL
    ):
        return None
    return _write_visit(user=user, lesson_id=lesson_id, now=now)


@transaction.atomic
def _write_visit(*, user: User, lesson_id: int, now: datetime) -> LessonProgress:
    progress, created = LessonProgress.objects.get_or_create(
        user=user, lesson_id=lesson_id, defaults={"last_viewed_at": now}
    )
    if not created:
        # Only this field (update_or_create would also save completed_at, and saving that
        # moves the learning record version: lessons.signals).
        progress.last_viewed_at = now
        progress.save(update_fields=["last_viewed_at"])
    _touch(user=user, lesson_id=lesson_id, now=now)
    return progress


def _touch(*, user: User, lesson_id: int, now: datetime) -> None:
    """Note on the user row which lesson they touched last, and when (the visit throttle)."""
    User.objects.filter(pk=user.pk).update(last_lesson_id=lesson_id, last_lesson_at=now)
    user.last_lesson_id, user.last_lesson_at = lesson_id, now


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
    _touch(user=user, lesson_id=lesson.pk, now=now)
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
        # Saved (not QuerySet.update()), so lessons.signals moves the learning record version.
        for field, value in values.items():
            setattr(answer, field, value)
        answer.attempts = F("attempts") + 1
        answer.save(update_fields=[*values, "attempts"])
        answer.refresh_from_db()
    return answer


@transaction.atomic
def bump_content_version() -> int:
    """Count one change to the course content, so every cached lesson fragment keyed by the
    old version is ignored from now on (in every worker). Called by the content loader and by
    the admin after each save or delete of a content row; returns the new version."""
    updated = ContentVersion.objects.filter(pk=ContentVersion.SINGLETON).update(
        number=F("number") + 1
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=ContentVersion.SINGLETON)
        ContentVersion.objects.filter(pk=ContentVersion.SINGLETON).update(number=F("number") + 1)
    return ContentVersion.objects.current()
