"""People, teams and roles.

A team has one manager and many AEs; an AE belongs to at most one team. Reads that show a
person's data start from the user (`User.objects.visible_to(viewer)`), so scoping is hard to
forget.
"""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    AE = "ae", "Account executive"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Enablement admin"


TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class UserQuerySet(models.QuerySet):
    def aes(self) -> UserQuerySet:
        return self.filter(role=Role.AE, is_active=True)

    def visible_to(self, viewer: User) -> UserQuerySet:
        """The people whose data `viewer` may see: themself; a manager's team; all for admins."""
        if viewer.is_enablement_admin:
            return self.all()
        if viewer.role == Role.MANAGER:
            return self.filter(models.Q(pk=viewer.pk) | models.Q(team__manager=viewer))
        return self.filter(pk=viewer.pk)


class TierwiseUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.AE)
    team = models.ForeignKey(
        "Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        help_text="The team an AE belongs to (at most one).",
    )
    time_zone = models.CharField(
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="UTC",
        help_text="Due dates and reminders are shown in this time zone.",
    )
    # Moves whenever what a lesson page shows of this person's learning record changes (a
    # completion, a check answer; see lessons.signals). Cached lesson pages are keyed by it,
    # and it rides on the user row every request reads anyway.
    learning_record_version = models.PositiveBigIntegerField(default=0, editable=False)
    # The lesson this person opened or completed last, and when (kept by lessons.services):
    # a reload within a minute of it records no new visit.
    last_lesson = models.ForeignKey(
        "lessons.Lesson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_lesson_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = TierwiseUserManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # Written only by targeted UPDATEs (lessons.signals, lessons.services), never by save().
    LEARNING_FIELDS = frozenset({"learning_record_version", "last_lesson", "last_lesson_at"})

    def save(self, *args, **kwargs) -> None:
        """Saving a user read before one of those UPDATEs (an admin form, a script) must not
        write the old values back: an old learning_record_version could bring back a page
        cached under it."""
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            deferred = self.get_deferred_fields()  # as save() itself does: loaded fields only
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name not in self.LEARNING_FIELDS
                and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

    @property
    def is_ae(self) -> bool:
        return self.role == Role.AE

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_enablement_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def managed_team(self) -> Team | None:
        """The team this user leads, if they are a manager."""
        if not self.is_manager:
            return None
        return Team.objects.filter(manager=self).first()

    def clean(self) -> None:
        super().clean()
        if self.team_id and self.role != Role.AE:
            raise ValidationError({"team": "Only account executives are members of a team."})


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    manager = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        related_name="led_team",
        limit_choices_to={"role": Role.MANAGER},
        help_text="The manager who leads this team (a manager leads one team).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.manager_id and self.manager.role != Role.MANAGER:
            raise ValidationError({"manager": "The team's manager must have the manager role."})

    @property
    def aes(self) -> UserQuerySet:
        return self.members.aes()
