"""What quizzes add to an AE's home dashboard: their assignments."""

from django.utils import timezone

from enablement.models import User

from .models import DONE_STATUSES
from .readiness import readiness_for


def home_context(user: User) -> dict:
    """ "Assigned to me" for an AE: open assignments and ones finished before their due date,
    soonest due first, with status. One query, whatever the number of assignments."""
    if not user.is_ae:
        return {}
    now = timezone.now()
    shown = []
    for recipient in user.assignments.with_progress().order_by("assignment__due_at"):
        recipient.current_status = recipient.status(now)
        if recipient.current_status not in DONE_STATUSES or recipient.assignment.due_at > now:
            shown.append(recipient)
    return {"assigned_to_me": shown[:10], "readiness": readiness_for([user])[user.pk]}
