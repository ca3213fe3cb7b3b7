"""Writes to an AE's learning record (only account executives have progress), and the
content version that cached lesson fragments are keyed by."""

from __future__ import annotations

from datetime import timedelta

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
    CourseProgress,
    Lesson,
    LessonProgress,
)

# A lesson reopened within this long of the last recorded view is not written again.
VISIT_WRITE_INTERVAL = timedelta(seconds=60)


def _require_ae(user: User) -> None:
    if not user.is_ae:
        raise PermissionDenied("Only account executives have lesson progress.")


def record_lesson_visit(*, user: User, course: CourseProgress, lesson: Lesson) -> bool:
    """Remember when the AE last opened the lesson ("continue where you left off"); returns
    whether anything was written.

    Throttled from the progress rows the page has already read (`course`, with this AE's
    last_viewed_at and completed_at per lesson): nothing is written when this lesson is the
    one the AE touched last and that was under VISIT_WRITE_INTERVAL ago, so a reload opens
    no write transaction and "continue where you left off" still points here. The recorded
    time may then lag the real last view by under a minute."""
    _require_ae(user)
    now = timezone.now()
    touched = {
        item.pk: max(t for t in (item.last_viewed_at, item.completed_at) if t)
        for item in course.lessons
        if item.last_viewed_at or item.completed_at
    }
    last = touched.get(lesson.pk)
    if last is not None and last == max(touched.values()) and now - last < VISIT_WRITE_INTERVAL:
        return False
    LessonProgress.objects.update_or_create(
        user=user, lesson=lesson, defaults={"last_viewed_at": now}
    )
    return True


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
