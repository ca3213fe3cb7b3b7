"""Keep cached lesson pages honest: when a completion or a knowledge-check answer of a person
changes, by any path that saves or deletes the row (the services, the admin, a cascade),
their `learning_record_version` moves, and every lesson page cached for them (keyed by it,
see lessons.page_cache) is ignored from then on. QuerySet.update() sends no signal, so
lessons.services saves these rows instead. A visit ("last viewed") is not shown on a lesson
page, so recording one moves nothing."""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from enablement.models import User

from .models import CheckAnswer, LessonProgress

VISIT_ONLY = frozenset({"last_viewed_at"})


def bump_learning_record_version(user_id: int) -> None:
    User.objects.filter(pk=user_id).update(learning_record_version=F("learning_record_version") + 1)


@receiver(post_save, sender=LessonProgress, dispatch_uid="lessons.progress_saved")
def progress_saved(sender, instance: LessonProgress, created: bool, update_fields, **kwargs):
    if update_fields is not None and frozenset(update_fields) <= VISIT_ONLY:
        return
    if created and instance.completed_at is None:
        return  # a first visit: nothing a lesson page shows
    bump_learning_record_version(instance.user_id)


@receiver(post_delete, sender=LessonProgress, dispatch_uid="lessons.progress_deleted")
@receiver(post_save, sender=CheckAnswer, dispatch_uid="lessons.answer_saved")
@receiver(post_delete, sender=CheckAnswer, dispatch_uid="lessons.answer_deleted")
def record_changed(sender, instance, **kwargs) -> None:
    bump_learning_record_version(instance.user_id)
