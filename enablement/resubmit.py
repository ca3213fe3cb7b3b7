"""A form sent twice: what counts as the same submission.

A double click, the back button or a retry after a slow answer sends a form again. A write
that must not happen twice (an assignment and its emails, a role-play reply, a routing plan)
returns what the first submission made when the same person sends the same thing again
within RESUBMIT_WINDOW. The services lock the person's row first (`lock_writer`), so of
simultaneous submissions one writes and the others wait, then find its row.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from .models import User

RESUBMIT_WINDOW = timedelta(minutes=5)


def resubmit_since(now: datetime | None = None) -> datetime:
    """Rows made after this moment count as the same submission."""
    return (now or timezone.now()) - RESUBMIT_WINDOW


def lock_writer(user: User) -> None:
    """Make this person's writes wait for each other until the current transaction ends.

    FOR NO KEY UPDATE on their row: it does not block rows that merely refer to the person
    (other writes of theirs go on). SQLite runs one writing transaction at a time anyway.
    """
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).exists()
