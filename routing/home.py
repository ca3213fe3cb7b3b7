"""What the simulator adds to an AE's home dashboard: their record in the routing simulator
(a fixed number of queries, whatever the history)."""

from django.db.models import Count, Q

from enablement.models import User

from .models import Disagreement, TierGuess


def home_context(user: User) -> dict:
    if not user.is_ae:
        return {}
    return {"simulator": simulator_record(user)}


def simulator_record(user: User) -> dict | None:
    """The AE's guess-first record, their last guess, and where their "I disagree" reports
    stand; None when they have neither guessed nor disagreed yet."""
    guesses = TierGuess.objects.filter(user=user).record()
    reports = Disagreement.objects.filter(user=user).aggregate(
        total=Count("pk"),
        **{status.value: Count("pk", filter=Q(status=status)) for status in Disagreement.Status},
    )
    if not guesses["total"] and not reports["total"]:
        return None
    last = TierGuess.objects.filter(user=user).first() if guesses["total"] else None
    return {"guesses": guesses, "last_guess": last, "reports": reports}
