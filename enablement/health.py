"""What /healthz checks: the database answers, and takes writes."""

from __future__ import annotations

from django.db import DatabaseError, transaction

from .models import User

UNAVAILABLE = "database unavailable"
READ_ONLY = "database is read-only: it refuses writes"


def database_problem() -> str | None:
    """None while the database reads and writes; otherwise what is wrong, in a few words.

    The write is an UPDATE that matches no row: it changes nothing, yet a database that takes
    no writes (a replica after a failover, a disk remounted read-only, PostgreSQL's
    default_transaction_read_only, SQLite's query_only) refuses it. It runs in its own
    transaction (a savepoint inside one), so a refusal leaves the connection usable.
    """
    try:
        User.objects.exists()
    except DatabaseError:
        return UNAVAILABLE
    try:
        with transaction.atomic():
            User.objects.filter(pk__lt=0).update(last_login=None)
    except DatabaseError:
        return READ_ONLY
    return None
