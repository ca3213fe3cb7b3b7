"""In-process cost of the lesson page against /healthz (not a test; figures for the notes).

    DJANGO_DEBUG=0 DJANGO_TESTING=1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECRET_KEY=... \
        python loadtest/inprocess.py [requests]

A throwaway SQLite database under build/inprocess/: migrate, load_content, one AE. The Django
test client (full middleware, a real session) asks for the first lesson N times and /healthz N
times; prints ms per request and SQL queries per lesson page (warm: the second request).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = (
    Path(tempfile.mkdtemp(prefix="inprocess-", dir=ROOT / "build"))
    if (ROOT / "build").exists()
    else Path(tempfile.mkdtemp(prefix="tierwise-inprocess-"))
)
os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings")
os.environ.setdefault("RATELIMIT_ENABLE", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def timed(client: Client, url: str, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - start) / n * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    call_command("migrate", verbosity=0)
    call_command("load_content", stdout=StringIO())
    from enablement.models import Role, Team, User
    from lessons.models import Lesson

    manager = User.objects.create_user("bench-manager", password="x", role=Role.MANAGER)
    team = Team.objects.create(name="Bench", manager=manager)
    ae = User.objects.create_user("bench-ae", password="x", role=Role.AE, team=team)
    client = Client()
    client.force_login(ae)
    # The lesson the load benchmark's LessonOnly user reads: the first URL in sorted order.
    url = sorted(lesson.get_absolute_url() for lesson in Lesson.objects.published())[0]
    client.get(url)  # warm: template loaders, caches, the visit row
    queries: list[str] = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(url)
    lesson_ms = timed(client, url, n)
    healthz_ms = timed(Client(), "/healthz", n)
    print(f"lesson page {url}: {lesson_ms:.2f} ms/request, {len(queries)} queries (warm)")
    for sql in queries:
        print("   ", sql[:150])
    print(f"/healthz: {healthz_ms:.2f} ms/request; ratio {healthz_ms / lesson_ms:.2f}")


if __name__ == "__main__":
    main()
