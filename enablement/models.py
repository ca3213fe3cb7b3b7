"""People, teams and roles.

A team has one manager and many AEs; an AE belongs to at most one team. Reads that show a
person's data start from the user (`User.objects.visible_to(viewer)`), so scoping is hard to
forget.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

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
    objects = TierwiseUserManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_ae(self) -> bool:
        return self.role == Role.AE

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_enablement_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    def local(self, moment: datetime) -> datetime:
        """`moment` in this person's time zone (UTC if theirs is unknown): emails and
        reminders show times as the recipient reads them."""
        try:
            zone = zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        return moment.astimezone(zone)

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
