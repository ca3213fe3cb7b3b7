"""`make loadtest`: the load benchmark (not a test; figures for the closing note).

1. A fresh demo database (SQLite file under build/loadtest/, or a fresh PostgreSQL database
   with LOADTEST_DB=postgres): migrate, load_content, seed_demo --force, one account and
   signed-in session per simulated AE (loadtest/db.py).
2. gunicorn with 2 workers, DEBUG off, a generated secret key, no SSL redirect.
3. locust headless, LOADTEST_USERS (50) AEs for LOADTEST_SECONDS (60): lesson pages,
   simulator posts, drill answers, quiz submissions (loadtest/locustfile.py, MixedAE).
   Prints requests/s, p50/p95/p99 and errors per endpoint.
4. Saturation runs of LOADTEST_SATURATION_SECONDS (10) each: /healthz alone, the lesson page
   alone, the simulator alone, in LOADTEST_SATURATION_ROUNDS (3) rounds; prints each page's
   throughput relative to /healthz in the same round, and the median over the rounds (this
   machine's speed drifts by a third from one minute to the next, so one pair of runs can
   say 0.4 or 0.6 for the same code). All LOADTEST_SATURATION_USERS (8) start at once and
   the counts restart once they have (locust --reset-stats): steady-state throughput, with
   no ramp-up averaged in.
5. Verifies every acknowledged submission is in the database exactly once.

LOADTEST_KILL_WORKER=1 kills one gunicorn worker (SIGKILL) halfway through the mixed run and
prints how long its replacement took to be ready and to serve its first 200; the submission
check then shows whether anything acknowledged was lost.

Rate limits are switched off for the benchmark (RATELIMIT_ENABLE=0): they would answer 429 to
the simulated AEs' bursts and distort the figures; LOADTEST_RATELIMIT=1 keeps them on.
Exit status: 1 when a request failed or a submission was lost or duplicated.
"""

from __future__ import annotations

import csv
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
SATURATION_SECONDS = int(os.environ.get("LOADTEST_SATURATION_SECONDS", "10"))
SATURATION_ROUNDS = int(os.environ.get("LOADTEST_SATURATION_ROUNDS", "3"))
SATURATION_RUNS = (
    ("HealthzOnly", "healthz"),
    ("LessonOnly", "lesson page"),
    ("SimulatorOnly", "simulator post"),
)
KILL_WORKER = os.environ.get("LOADTEST_KILL_WORKER") == "1"
CAPACITY = os.environ.get("LOADTEST_MODE") == "capacity"
CAPACITY_STEPS = [
    int(n) for n in os.environ.get("LOADTEST_STEPS", "250,500,1000,1500,2000,2500,3000").split(",")
]
STEP_SECONDS = int(os.environ.get("LOADTEST_STEP_SECONDS", "60"))
P95_CAPACITY_MS = 250
SATURATION_USERS = int(os.environ.get("LOADTEST_SATURATION_USERS", "8"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "2"))
P99_TARGET_MS = 250


def log(message: str) -> None:
    print(f"== {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(workdir: Path) -> tuple[str, Callable[[], None]]:
    """A database URL for this run, and a clean-up function."""
    if os.environ.get("LOADTEST_DB", "sqlite") != "postgres":
        return f"sqlite:///{workdir / 'db.sqlite3'}", lambda: None
    import psycopg

    server = os.environ.get("LOADTEST_PG", "postgres://postgres@127.0.0.1:5432")
    name = f"tierwise_loadtest_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{server}/{name}", drop


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout:.0f}s")


def wait_for_warm_workers(log_path: Path, timeout: float = 180) -> None:
    """gunicorn.conf.py warms the master, then each worker says it is ready."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(encoding="utf-8")
        if " warm: " in text and text.count(" ready at ") >= WORKERS:
            return
        time.sleep(0.5)
    raise SystemExit(f"the gunicorn workers did not warm up within {timeout:.0f}s")


def kill_a_worker_later(master: subprocess.Popen, delay: float, log_path: Path, found: dict):
    """After `delay` seconds, SIGKILL one worker; record when, its replacement's pid, when the
    replacement said it was ready, and the first 200 it served (from the access log)."""
    import psutil

    def run() -> None:
        time.sleep(delay)
        before = {child.pid for child in psutil.Process(master.pid).children()}
        victim = min(before)
        killed_at = time.time()
        os.kill(victim, signal.SIGKILL)
        found.update(victim=victim, killed_at=killed_at)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = log_path.read_text(encoding="utf-8")
            new = {child.pid for child in psutil.Process(master.pid).children()} - before
            for pid in new:
                match = re.search(rf"worker {pid} ready at ([0-9.]+)", text)
                if match:
                    found.update(replacement=pid, ready_at=float(match.group(1)))
                if re.search(rf'" 200 \S+ \S+ pid=<{pid}>', text):
                    found.setdefault("first_200_seen_at", time.time())
            if "first_200_seen_at" in found:
                return
            time.sleep(0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def locust(
    user_class: str,
    users: int,
    seconds: int,
    prefix: Path,
    host: str,
    env: dict,
    *,
    steady: bool = False,
    spawn_rate: int | None = None,
) -> float:
    """Run locust headless; returns the CPU seconds it used. `steady`: count only what happens
    after every user has started (--reset-stats), so a figure is the steady state's, not an
    average over the ramp-up; all start at once unless `spawn_rate` says how many a second."""
    args = [
        PYTHON,
        "-m",
        "locust",
        "-f",
        str(ROOT / "loadtest" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate or (users if steady else max(1, users // 5))),
        *(["--reset-stats"] if steady else []),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        user_class,
    ]
    with open(f"{prefix}.log", "w", encoding="utf-8") as output:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=output, stderr=output)
        _, _, usage = os.wait4(process.pid, 0)
        process.returncode = 0
    return usage.ru_utime + usage.ru_stime


def capacity(server: subprocess.Popen, host: str, env: dict, workdir: Path) -> int:
    """Step up AEs with a person's think time (5-15 s) until p95 passes 250 ms or requests
    fail; print the largest number held, with the CPU the load generator and the server used
    (on this 2-core machine they share the cores, so read the figure with both)."""
    import psutil

    master = psutil.Process(server.pid)
    held = 0
    print(f"capacity: steps {CAPACITY_STEPS}, {STEP_SECONDS}s each, think time 5-15 s")
    for users in CAPACITY_STEPS:
        prefix = workdir / f"capacity-{users}"
        before_server = sum(sum(p.cpu_times()[:2]) for p in [master, *master.children()])
        started = time.monotonic()
        # Ramp up over about 30 s, then count a steady STEP_SECONDS (--reset-stats).
        generator = locust(
            "CapacityAE",
            users,
            STEP_SECONDS + 30,
            prefix,
            host,
            env,
            steady=True,
            spawn_rate=max(1, users // 30),
        )
        wall = time.monotonic() - started
        after_server = sum(sum(p.cpu_times()[:2]) for p in [master, *master.children()])
        row = row_for(read_stats(prefix), "Aggregated") or {}
        p95 = float(row.get("95%") or 0)
        errors = int(row.get("Failure Count") or 0)
        print(
            f"  {users:>5} AEs: {float(row.get('Requests/s') or 0):7.1f} req/s, "
            f"p50 {row.get('50%')} ms, p95 {p95:.0f} ms, p99 {row.get('99%')} ms, "
            f"{errors} errors; CPU over {wall:.0f}s: load generator {generator / wall:.2f} "
            f"cores, server {(after_server - before_server) / wall:.2f} cores"
        )
        if p95 > P95_CAPACITY_MS or errors:
            break
        held = users
    print(f"largest number of concurrent AEs held (p95 <= {P95_CAPACITY_MS} ms, 0 errors): {held}")
    return 0


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def row_for(stats: list[dict], name: str) -> dict | None:
    return next((row for row in stats if row["Name"] == name), None)


def print_table(stats: list[dict]) -> None:
    header = (
        f"{'endpoint':<22} {'requests':>9} {'req/s':>8} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in stats:
        name = "all (aggregated)" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"{name:<22} {row['Request Count']:>9} {float(row['Requests/s']):>8.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {row['Failure Count']:>7}"
        )


def print_failures(prefix: Path) -> None:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            print(f"   {row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error']}")


def median_ratio(rounds: list[dict[str, float]], name: str) -> float:
    """The median over the rounds of a page's throughput relative to /healthz in its round."""
    ratios = [r.get(name, 0.0) / r["healthz"] if r.get("healthz") else 0.0 for r in rounds]
    return statistics.median(ratios) if ratios else float("nan")


def main() -> int:
    workdir = ROOT / "build" / "loadtest" / time.strftime("%Y%m%d-%H%M%S")
    workdir.mkdir(parents=True, exist_ok=True)
    database_url, drop_database = fresh_database(workdir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_LOG_LEVEL": "ERROR",
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLE": "1" if os.environ.get("LOADTEST_RATELIMIT") == "1" else "0",
            "LOADTEST_SESSIONS": str(workdir / "sessions.json"),
            "LOADTEST_ACKS": str(workdir / "acks.jsonl"),
        }
    )
    if os.environ.get("LOADTEST_REDIS") != "1":
        env.pop("REDIS_URL", None)  # local-memory cache unless asked for Redis
    manage = [PYTHON, "manage.py"]
    server = None
    server_log = open(workdir / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115
    try:
        log(f"fresh demo database: {database_url.split('@')[-1]}")
        run([*manage, "migrate", "--noinput", "-v", "0"], env)
        run([*manage, "load_content"], env)
        run([*manage, "seed_demo", "--force"], env)
        run([*manage, "collectstatic", "--noinput", "-v", "0"], env)
        accounts = max(CAPACITY_STEPS) if CAPACITY else USERS
        run([PYTHON, "loadtest/db.py", "prepare", str(accounts), env["LOADTEST_SESSIONS"]], env)

        port = free_port()
        host = f"http://127.0.0.1:{port}"
        log(f"gunicorn, {WORKERS} workers, on {host}")
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "enablement.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--log-level",
                "info",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=server_log,
        )
        wait_for(f"{host}/healthz")
        wait_for_warm_workers(workdir / "gunicorn.log")

        if CAPACITY:
            return capacity(server, host, env, workdir)
        log(f"mixed AE traffic: {USERS} users for {SECONDS}s (think time 0.5-2 s)")
        mixed = workdir / "mixed"
        killed: dict = {}
        if KILL_WORKER:
            log(f"a worker will be killed (SIGKILL) {SECONDS // 2}s into the mixed run")
            kill_a_worker_later(server, SECONDS / 2, workdir / "gunicorn.log", killed)
        locust("MixedAE", USERS, SECONDS, mixed, host, env)
        mixed_stats = read_stats(mixed)
        print_table(mixed_stats)
        print_failures(mixed)

        rounds: list[dict[str, float]] = []
        for number in range(1, SATURATION_ROUNDS + 1):
            throughput = {}
            for user_class, name in SATURATION_RUNS:
                log(
                    f"saturation round {number}/{SATURATION_ROUNDS}: {name} alone, "
                    f"{SATURATION_USERS} users, no think time"
                )
                prefix = workdir / f"{user_class}-{number}"
                locust(
                    user_class, SATURATION_USERS, SATURATION_SECONDS, prefix, host, env, steady=True
                )
                stats = read_stats(prefix)
                print_table([row for row in stats if row["Name"] in (name, "Aggregated")][:1])
                row = row_for(stats, name)
                throughput[name] = float(row["Requests/s"]) if row else 0.0
            rounds.append(throughput)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        server_log.close()

    log("acknowledged submissions in the database")
    problems = subprocess.run(
        [PYTHON, "loadtest/db.py", "verify", env["LOADTEST_ACKS"]], cwd=ROOT, env=env
    ).returncode
    drop_database()

    log("summary")
    total = row_for(mixed_stats, "Aggregated")
    errors = sum(int(r["Failure Count"]) for r in mixed_stats if r["Name"] != "Aggregated")
    p99 = float(total["99%"]) if total else float("nan")
    print(f"mixed run: {float(total['Requests/s']):.1f} req/s, p99 {p99:.0f} ms, {errors} errors")
    print("throughput alone, per round (each page's ratio is to /healthz in the same round):")
    for number, throughput in enumerate(rounds, 1):
        healthz = throughput.get("healthz") or float("nan")
        print(
            f"  round {number}: /healthz {healthz:.0f} req/s, lesson page "
            f"{throughput.get('lesson page', 0):.0f} req/s "
            f"({throughput.get('lesson page', 0) / healthz:.2f} x), simulator "
            f"{throughput.get('simulator post', 0):.0f} req/s "
            f"({throughput.get('simulator post', 0) / healthz:.2f} x)"
        )
    lesson_ratio = median_ratio(rounds, "lesson page")
    simulator_ratio = median_ratio(rounds, "simulator post")
    print(
        f"median over {len(rounds)} rounds: lesson page {lesson_ratio:.2f} x healthz, "
        f"simulator {simulator_ratio:.2f} x healthz"
    )
    targets = [
        ("0 errors", errors == 0),
        ("0 lost or duplicated submissions", problems == 0),
        (f"p99 under {P99_TARGET_MS} ms at {USERS} users", p99 < P99_TARGET_MS),
    ]
    for label, met in targets:
        print(f"  [{'met' if met else 'MISSED'}] {label}")
    if KILL_WORKER:
        if "ready_at" in killed:
            ready = killed["ready_at"] - killed["killed_at"]
            served = killed.get("first_200_seen_at", float("nan")) - killed["killed_at"]
            print(
                f"worker {killed['victim']} killed mid-run; replacement {killed['replacement']} "
                f"ready {ready:.2f} s after the kill, its first 200 seen in the access log "
                f"{served:.2f} s after (polled every 50 ms)"
            )
        else:
            print(f"worker kill: no replacement seen ready ({killed})")
    print(f"locust CSVs and logs, gunicorn log: {workdir}")
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())
