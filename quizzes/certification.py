"""Certification: what each requirement asks, how far an AE has got, and issuing the
certificate in the same request that meets the last requirement.

Evidence comes from what Tierwise already records: lesson completions, drill answers, quiz
attempts and role-play attempts. A requirement touched by a material change since the AE's
certificate was issued (or every requirement, once the certificate has expired) counts only
evidence from after that moment: that is what "meet it again" means.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from enablement.models import User
from lessons.models import Lesson, LessonProgress
from practice.models import DrillAnswer, RoleplayAttempt

from .models import (
    Attempt,
    Certificate,
    CertificateReminder,
    CertificateReminderKind,
    CertificateStatus,
    MaterialChange,
    Programme,
    Requirement,
    RequirementKind,
)
from .services import send_once
from .tasks import schedule_reminders


@dataclass(frozen=True)
class RequirementProgress:
    requirement: Requirement
    fraction: float  # how far along, 0 to 1 (the bar)
    detail: str  # e.g. "6 of 8 lessons", "72% right over your last 20 (needs 80%)"
    met: bool
    next_url: str
    next_label: str
    since: datetime | None  # only evidence after this counts (recertification)

    @property
    def percent(self) -> int:
        """The bar: 100 only when met."""
        return 100 if self.met else min(99, int(100 * self.fraction))


@dataclass(frozen=True)
class ProgrammeProgress:
    programme: Programme
    requirements: list[RequirementProgress]
    certificate: Certificate | None  # the current one, if any

    @property
    def met(self) -> bool:
        return all(item.met for item in self.requirements)

    @property
    def met_count(self) -> int:
        return sum(item.met for item in self.requirements)


def programmes() -> list[Programme]:
    """Active programmes with their requirements and material changes, in few queries."""
    return list(
        Programme.objects.filter(is_active=True).prefetch_related(
            Prefetch(
                "requirements",
                queryset=Requirement.objects.prefetch_related(
                    "lessons", "quizzes", "material_changes"
                ),
            )
        )
    )


def _since(requirement: Requirement, certificate: Certificate | None, now: datetime):
    """From when evidence counts for this requirement, for this AE."""
    if certificate is None:
        return None
    if now >= certificate.expires_at:
        return certificate.expires_at
    changes = [c.changed_at for c in requirement.material_changes.all()]
    changes = [at for at in changes if at > certificate.issued_at]
    return max(changes) if changes else None


def _share(done: int, needed: int) -> float:
    return min(1.0, done / needed) if needed else 1.0


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def _after(queryset, field: str, since: datetime | None):
    return queryset.filter(**{f"{field}__gt": since}) if since else queryset


def evaluate(
    requirement: Requirement, user: User, since: datetime | None = None
) -> RequirementProgress:
    """How far `user` is on one requirement, counting evidence after `since`."""
    kind = requirement.kind
    if kind == RequirementKind.LESSONS:
        named = list(requirement.lessons.all())
        lessons = named or list(Lesson.objects.published())
        done_ids = set(
            _after(
                LessonProgress.objects.filter(
                    user=user, lesson__in=lessons, completed_at__isnull=False
                ),
                "completed_at",
                since,
            ).values_list("lesson_id", flat=True)
        )
        todo = next((lesson for lesson in lessons if lesson.pk not in done_ids), None)
        return RequirementProgress(
            requirement,
            _share(len(done_ids), len(lessons)),
            f"{len(done_ids)} of {len(lessons)} lessons",
            bool(lessons) and todo is None,
            todo.get_absolute_url() if todo else reverse("lessons:index"),
            f"Next lesson: {todo.title}" if todo else "Review the lessons",
            since,
        )
    if kind == RequirementKind.DRILLS:
        answers = _after(DrillAnswer.objects.filter(user=user), "created_at", since)
        answered = answers.count()
        window = max(requirement.over_last, 1)
        latest = list(
            answers.order_by("-created_at", "-pk").values_list("is_correct", flat=True)[:window]
        )
        right = round(100 * sum(latest) / len(latest)) if latest else 0
        met = answered >= requirement.min_count and right >= requirement.min_percent
        return RequirementProgress(
            requirement,
            min(_share(answered, requirement.min_count), _share(right, requirement.min_percent)),
            f"{answered} of {requirement.min_count} scenarios answered; {right}% right over "
            f"your last {len(latest)} (needs {requirement.min_percent}% over the last "
            f"{requirement.over_last})",
            met,
            reverse("practice:drills"),
            "Start a drill",
            since,
        )
    if kind == RequirementKind.QUIZZES:
        quizzes = list(requirement.quizzes.all())
        passed_ids = set(
            _after(
                Attempt.objects.filter(user=user, quiz__in=quizzes, passed=True),
                "submitted_at",
                since,
            ).values_list("quiz_id", flat=True)
        )
        todo = next((quiz for quiz in quizzes if quiz.pk not in passed_ids), None)
        return RequirementProgress(
            requirement,
            _share(len(passed_ids), len(quizzes)),
            f"{len(passed_ids)} of {len(quizzes)} quizzes passed",
            bool(quizzes) and todo is None,
            reverse("quizzes:quiz_detail", args=[todo.slug])
            if todo
            else reverse("quizzes:quizzes"),
            f"Take “{todo.title}”" if todo else "Review your quizzes",
            since,
        )
    # Role-play: a strong verdict on distinct buyer prompts.
    prompts = (
        _after(RoleplayAttempt.objects.filter(user=user, verdict="strong"), "created_at", since)
        .values("prompt_id")
        .distinct()
        .count()
    )
    return RequirementProgress(
        requirement,
        _share(prompts, requirement.min_count),
        f"A strong answer to {prompts} of {requirement.min_count} buyer prompts",
        prompts >= requirement.min_count,
        reverse("practice:roleplay"),
        "Practise a buyer conversation",
        since,
    )


def progress_for(user: User, now: datetime | None = None) -> list[ProgrammeProgress]:
    """Every active programme as `user` stands on it."""
    now = now or timezone.now()
    current = {
        cert.programme_id: cert
        for cert in Certificate.objects.current().filter(user=user).select_related("programme")
    }
    result = []
    for programme in programmes():
        certificate = current.get(programme.pk)
        if certificate is not None:
            certificate.programme = programme  # with its prefetched changes
        items = [
            evaluate(requirement, user, _since(requirement, certificate, now))
            for requirement in programme.requirements.all()
        ]
        result.append(ProgrammeProgress(programme, items, certificate))
    return result


def _needs_certificate(progress: ProgrammeProgress, now: datetime) -> bool:
    certificate = progress.certificate
    if certificate is None:
        return True
    return certificate.status(now) in (CertificateStatus.RECERTIFY, CertificateStatus.EXPIRED)


def issue_earned(*, user: User, now: datetime | None = None) -> list[Certificate]:
    """Issue every certificate `user` has now earned and not yet holds; returns the new
    ones. Called in the request that records new evidence, so the certificate appears in
    the same request that met the last requirement. Safe under concurrent requests: the
    user row is locked while deciding, and the database allows one current certificate per
    person and programme."""
    if not user.is_ae:
        return []
    now = now or timezone.now()
    issued = []
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        for progress in progress_for(user, now):
            if not progress.requirements or not progress.met:
                continue
            if not _needs_certificate(progress, now):
                continue
            issued.append(_issue(user=user, progress=progress, now=now))
    return issued


def _issue(*, user: User, progress: ProgrammeProgress, now: datetime) -> Certificate:
    old = progress.certificate
    if old is not None:
        Certificate.objects.filter(pk=old.pk).update(replaced_at=now)
    expires = add_months(now, progress.programme.validity_months)
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                user=user, programme=progress.programme, issued_at=now, expires_at=expires
            )
        schedule_reminders(expires - EXPIRY_NOTICE)
        return certificate
    except IntegrityError:
        # Another request issued it first; that one stands.
        return Certificate.objects.current().get(user=user, programme=progress.programme)


@transaction.atomic
def revoke(*, certificate: Certificate, reason: str, by: User) -> Certificate:
    """Revoke with a reason; the certificate stays (history), its public page says so."""
    if not reason.strip():
        raise ValueError("Give a reason for revoking the certificate.")
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()[:300]
        certificate.revoked_by = by
        certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    return certificate


EXPIRY_NOTICE = timedelta(days=30)


def send_certificate_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Email each holder once when their certificate expires within 30 days and once when
    a material change asks them to recertify (dates in their own time zone)."""
    now = now or timezone.now()
    sent = {CertificateReminderKind.EXPIRING: 0, CertificateReminderKind.RECERTIFY: 0}
    certificates = (
        Certificate.objects.current()
        .filter(user__is_active=True, expires_at__gt=now)
        .exclude(user__email="")
        .select_related("user", "programme")
        .prefetch_related("reminders", "programme__requirements__material_changes")
    )
    for certificate in certificates:
        status = certificate.status(now)
        if status == CertificateStatus.RECERTIFY:
            kind = CertificateReminderKind.RECERTIFY
        elif status == CertificateStatus.VALID and certificate.expires_at - now <= EXPIRY_NOTICE:
            kind = CertificateReminderKind.EXPIRING
        else:
            continue
        if any(r.kind == kind for r in certificate.reminders.all()):
            continue
        sent[kind] += send_once(
            record=lambda c=certificate, k=kind: CertificateReminder.objects.create(
                certificate=c, kind=k, sent_at=now
            ),
            send=lambda c=certificate, k=kind: _send_certificate_reminder(certificate=c, kind=k),
            user_id=certificate.user_id,
        )
    return {f"certificate_{k}": v for k, v in sent.items()}


def _local_date(moment: datetime, user: User) -> str:
    return f"{user.local(moment):%A %d %B %Y}"


def _send_certificate_reminder(*, certificate: Certificate, kind: str) -> None:
    user, name = certificate.user, certificate.programme.name
    if kind == CertificateReminderKind.RECERTIFY:
        subject = f"Recertify: {name}"
        lead = (
            f"Course content behind your {name} certificate has changed. Recertify by "
            f"{_local_date(certificate.recertify_by(), user)} to keep it valid."
        )
    else:
        subject = f"Expiring: {name}"
        lead = f"Your {name} certificate expires on {_local_date(certificate.expires_at, user)}."
    link = settings.SITE_URL.rstrip("/") + reverse("quizzes:certification")
    body = "\n".join([f"Hi {user.first_name or user.username},", "", lead, "", link])
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)


def issue_and_tell(request: HttpRequest) -> list[Certificate]:
    """Issue what the signed-in AE has just earned and tell them on their next page."""
    issued = issue_earned(user=request.user)
    for certificate in issued:
        messages.success(
            request,
            f"You are certified: {certificate.programme.name}. Your certificate is on the "
            "Certification page, with a link anyone can verify.",
        )
    return issued


def on_evidence_recorded(sender, user: User, request: HttpRequest, **kwargs) -> None:
    """enablement.signals.evidence_recorded: new evidence may complete a programme."""
    if user.is_ae:
        issue_and_tell(request)


def certificate_with_changes(public_id) -> Certificate:
    """A certificate with what its status needs (for the public page and the PDF)."""
    return (
        Certificate.objects.select_related("user", "programme")
        .prefetch_related("programme__requirements__material_changes")
        .get(public_id=public_id)
    )


__all__ = [
    "MaterialChange",
    "ProgrammeProgress",
    "RequirementProgress",
    "certificate_with_changes",
    "evaluate",
    "issue_earned",
    "progress_for",
    "revoke",
]
