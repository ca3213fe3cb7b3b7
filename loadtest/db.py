"""Database side of the load benchmark: prepare accounts, then verify acknowledged submissions.

    python loadtest/db.py prepare USERS OUT.json  # loadtest-ae01..NN signed in, quiz limits lifted
    python loadtest/db.py verify ACKS.jsonl # every acknowledged submission saved exactly once

Run by loadtest/run.py against the benchmark's own fresh database (never a real one: prepare
lifts the quizzes' attempt limits so simulated AEs can keep submitting).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings")

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "tierwise-loadtest")


def prepare(users: int, out: Path) -> None:
    """One account per simulated AE, each with a signed-in session written to `out`.

    Sessions are made here rather than through the log-in form so that password hashing
    (deliberately slow) does not pollute the first seconds of the benchmark.
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.utils.crypto import get_random_string

    from enablement.models import Role, Team, User
    from quizzes.models import Quiz

    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    hashed = make_password(PASSWORD)

    team = Team.objects.get(name="Demo West")
    sessions = []
    for number in range(1, users + 1):
        user, _ = User.objects.update_or_create(
            username=f"loadtest-ae{number:04d}",
            defaults={
                "role": Role.AE,
                "team": team,
                "first_name": "Load",
                "last_name": str(number),
            },
        )
        user.password = hashed  # hashed once: thousands of accounts in seconds
        user.save()
        session = session_store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(
            {
                "username": user.username,
                "sessionid": session.session_key,
                "csrftoken": get_random_string(32),
            }
        )
    out.write_text(json.dumps(sessions))
    Quiz.objects.update(max_attempts=30000)
    print(f"prepared {users} load-test accounts with sessions")


def verify(acks_path: Path) -> int:
    """Print lost and duplicated submissions; return how many problems were found."""
    from django.apps import apps

    acks = [json.loads(line) for line in acks_path.read_text().splitlines() if line.strip()]
    problems = 0
    by_kind = Counter(a["kind"] for a in acks)

    # Quiz submissions: each acknowledged attempt is submitted, once; no extra submissions.
    quiz_acks = [a for a in acks if a["kind"] == "quiz_submission"]
    if quiz_acks:
        Attempt = apps.get_model("quizzes", "Attempt")  # noqa: N806
        ids = [a["id"] for a in quiz_acks]
        repeated = [pk for pk, n in Counter(ids).items() if n > 1]
        submitted = set(
            Attempt.objects.filter(pk__in=ids, submitted_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
        lost = sorted(set(ids) - submitted)
        total = Attempt.objects.filter(
            user__username__startswith="loadtest-", submitted_at__isnull=False
        ).count()
        extra = total - len(set(ids))
        print(
            f"quiz submissions: {len(ids)} acknowledged, {len(submitted)} in the database, "
            f"{len(lost)} lost, {len(repeated)} acknowledged twice, {extra} unacknowledged extra"
        )
        problems += len(lost) + len(repeated)

    # Drill answers: each acknowledged answer exists once per (session, scenario).
    drill_acks = [a for a in acks if a["kind"] == "drill_answer"]
    if drill_acks:
        DrillAnswer = apps.get_model("practice", "DrillAnswer")  # noqa: N806
        ids = [a["id"] for a in drill_acks]
        found = set(DrillAnswer.objects.filter(pk__in=ids).values_list("pk", flat=True))
        lost = sorted(set(ids) - found)
        pairs = Counter(
            DrillAnswer.objects.filter(session__user__username__startswith="loadtest-")
            .values_list("session_id", "scenario_id")
            .iterator()
        )
        duplicated = [pair for pair, n in pairs.items() if n > 1]
        print(
            f"drill answers: {len(ids)} acknowledged, {len(found)} in the database, "
            f"{len(lost)} lost, {len(duplicated)} duplicated (same drill and scenario)"
        )
        problems += len(lost) + len(duplicated)

    if not acks:
        print("no acknowledged submissions to verify")
    print("acknowledged: " + ", ".join(f"{k} {n}" for k, n in sorted(by_kind.items())))
    return problems


def main() -> int:
    import django

    django.setup()
    command = sys.argv[1]
    if command == "prepare":
        prepare(int(sys.argv[2]), Path(sys.argv[3]))
        return 0
    if command == "verify":
        return 1 if verify(Path(sys.argv[2])) else 0
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    sys.exit(main())
