"""Background tasks (django-tasks, database backend): the reminder emails.

`send_due_reminders` sends every reminder that is due now: assignments due soon or overdue,
certificates expiring within 30 days, certificates due for recertification. Each reminder
is written as a row (unique per recipient or certificate and kind) in the transaction that
sends it, so running the task twice, or in two workers at once, sends each reminder once.

It is enqueued for the moments a reminder falls due (`schedule_reminders`): when an
assignment is made (its due-soon moment and its due date), when a certificate is issued (30
days before it expires) and when a material change asks holders to recertify. A worker runs
them (`python manage.py db_worker`); `python manage.py send_reminders` runs the same sweep at
once, for cron.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task


@task()
def send_due_reminders() -> dict[str, int]:
    from . import certification, services

    counts = services.send_reminders()
    counts.update(certification.send_certificate_reminders())
    return counts


def schedule_reminders(*moments: datetime) -> None:
    """Enqueue the sweep to run at each moment (at once for moments already past), after
    the current transaction commits."""
    now = timezone.now()

    def enqueue() -> None:
        for moment in moments:
            send_due_reminders.using(run_after=max(moment, now)).enqueue()

    transaction.on_commit(enqueue)
