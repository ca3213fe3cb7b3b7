"""What practice adds to an AE's home dashboard: their drill stats (a constant number of
queries)."""

from django.utils import timezone

from enablement.models import User

from .stats import drill_stats


def home_context(user: User) -> dict:
    if not user.is_ae:
        return {}
    return {"drill_stats": drill_stats(user, timezone.now())}
