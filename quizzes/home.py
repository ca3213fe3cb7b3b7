"""What the quizzes app adds to the home dashboard: practice stats and assignments."""

from django.utils import timezone

from enablement.models import User


def practice_home_context(user: User) -> dict:
    """The AE's drill stats for the dashboard (a constant number of queries)."""
    if not user.is_ae:
        return {}
    from quizzes.practice_stats import drill_stats

    return {"drill_stats": drill_stats(user, timezone.now())}


def assessment_home_context(user: User) -> dict:
    return {}


def home_context(user: User) -> dict:
    return {**practice_home_context(user), **assessment_home_context(user)}
