"""Locust users for `make loadtest` (driven by loadtest/run.py; not a test).

MixedAE is the benchmark: an AE reading lessons, routing tasks in the simulator, answering
drill scenarios and submitting quizzes, with think time. Every submission the server
acknowledges (a redirect naming the saved object) is appended to LOADTEST_ACKS (JSON lines),
so run.py can check afterwards that each one is in the database exactly once.
HealthzOnly, LessonOnly and SimulatorOnly hammer one URL with no think time, to compare the
throughput of our pages with a bare Django request.

Each simulated user is its own account (loadtest-ae01 ..., signed in by loadtest/db.py), so
per-user rate limits and the exactly-once check see 50 separate people. With DEBUG off the
cookies are Secure, which an http client keeps to itself; so each user sends its session and
CSRF cookies in a Cookie header (over plain http Django checks the token, not the Referer).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, events, task

ACKS_PATH = os.environ.get("LOADTEST_ACKS", "")
_account_numbers = itertools.count(1)
_acks_lock = threading.Lock()
_acks: list[dict] = []

TASKS = [
    "Classify incoming support tickets into five queues before a human sees them",
    "Summarise each sales call transcript into five bullet points for the CRM",
    "Draft a negotiation strategy for a multi-year enterprise renewal with legal risk",
    "Extract invoice numbers, totals and due dates from scanned PDFs",
    "Decide whether a chat message is spam, in under fifty milliseconds",
    "Interpret a new data-residency regulation for our EU customers and flag edge cases",
    "Translate product FAQs from English into German and French",
    "Plan and run a multi-step agent that reconciles mismatched ledgers and recovers from errors",
]


def _find(pattern: str, text: str) -> list[str]:
    return re.findall(pattern, text)


@events.quitting.add_listener
def _write_acks(environment, **kwargs) -> None:
    if not ACKS_PATH:
        return
    with _acks_lock, open(ACKS_PATH, "a", encoding="utf-8") as out:
        for ack in _acks:
            out.write(json.dumps(ack) + "\n")


def _sessions() -> list[dict]:
    path = os.environ.get("LOADTEST_SESSIONS", "")
    return json.loads(open(path, encoding="utf-8").read()) if path else []


SESSIONS = _sessions()


class SignedIn(FastHttpUser):
    """A simulated AE with its own account and signed-in session (from LOADTEST_SESSIONS)."""

    abstract = True

    def get(self, url: str, name: str | None = None, **kwargs):
        headers = {**self.cookie, **kwargs.pop("headers", {})}
        return self.client.get(url, name=name or url, headers=headers, **kwargs)

    def post(self, url: str, data: dict, name: str | None = None, **kwargs):
        headers = {**self.cookie, **kwargs.pop("headers", {})}
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = {**data, "csrfmiddlewaretoken": self.csrftoken}
        return self.client.post(
            url, data=urlencode(data, doseq=True), name=name or url, headers=headers, **kwargs
        )

    def acknowledge(self, kind: str, **fields) -> None:
        with _acks_lock:
            _acks.append({"kind": kind, "user": self.username, **fields})

    def on_start(self) -> None:
        if not SESSIONS:
            raise RuntimeError("no LOADTEST_SESSIONS: run the benchmark with `make loadtest`")
        account = SESSIONS[(next(_account_numbers) - 1) % len(SESSIONS)]
        self.username = account["username"]
        self.csrftoken = account["csrftoken"]
        self.cookie = {
            "Cookie": f"sessionid={account['sessionid']}; csrftoken={account['csrftoken']}"
        }
        lessons = self.get("/lessons/", name="lesson index").text
        self.lesson_urls = sorted(
            set(_find(r'href="(/lessons/[\w-]+/)"', lessons)) - {"/lessons/catalogue/"}
        ) or ["/lessons/"]
        quizzes = self.get("/quizzes/", name="quiz list").text
        self.quiz_slugs = sorted(set(_find(r'href="/quizzes/([\w-]+)/"', quizzes)) - {"attempts"})


class MixedAE(SignedIn):
    """The benchmark mix: mostly reading, some routing, drills and quizzes."""

    wait_time = between(0.5, 2.0)

    @task(6)
    def read_lesson(self) -> None:
        self.get(random.choice(self.lesson_urls), name="lesson page")

    @task(1)
    def field_guide(self) -> None:
        self.get("/field-guide/", name="field guide")

    @task(4)
    def route_a_task(self) -> None:
        self.post(
            "/simulator/route/",
            {"text": random.choice(TASKS)},
            name="simulator post",
            headers={"HX-Request": "true"},
        )

    @task(3)
    def answer_drill(self) -> None:
        if not getattr(self, "drill_url", None):
            response = self.post(
                "/drills/start/", {"size": "5"}, name="drill start", allow_redirects=False
            )
            self.drill_url = (
                response.headers.get("Location", "") if response.status_code == 302 else ""
            )
            if not self.drill_url:
                return
        page = self.get(self.drill_url, name="drill page").text
        scenario = _find(r'name="scenario" value="(\d+)"', page)
        if not scenario:
            self.drill_url = ""  # the drill is finished; start another next time
            return
        confidences = _find(r'name="confidence"[^>]*value="([\w-]+)"', page) or ["sure"]
        response = self.post(
            f"{self.drill_url}answer/",
            {
                "scenario": scenario[0],
                "tier": random.choice(["small", "mid", "frontier"]),
                "confidence": random.choice(confidences),
            },
            name="drill answer",
            allow_redirects=False,
        )
        answer = re.search(r"[?&]answer=(\d+)", response.headers.get("Location", "") or "")
        if response.status_code == 302 and answer:
            self.acknowledge("drill_answer", id=int(answer.group(1)), scenario=int(scenario[0]))

    @task(2)
    def take_quiz(self) -> None:
        if not self.quiz_slugs:
            return
        slug = random.choice(self.quiz_slugs)
        response = self.post(
            f"/quizzes/{slug}/start/", {}, name="quiz start", allow_redirects=False
        )
        match = re.search(r"/quizzes/attempts/(\d+)/", response.headers.get("Location", "") or "")
        if response.status_code != 302 or not match:
            return
        attempt = match.group(1)
        page = self.get(f"/quizzes/attempts/{attempt}/", name="quiz page").text
        data: dict[str, list[str] | str] = {"question": []}
        for question in _find(r'name="question" value="(\d+)"', page):
            data["question"].append(question)
            choices = _find(rf'name="q{question}" value="(\d+)"', page)
            tiers = _find(rf'name="tier{question}" value="(\w+)"', page)
            if choices:
                data[f"q{question}"] = random.choice(choices)
            if tiers:
                data[f"tier{question}"] = random.choice(tiers)
        response = self.post(
            f"/quizzes/attempts/{attempt}/submit/", data, name="quiz submit", allow_redirects=False
        )
        if response.status_code == 302 and "/result/" in (response.headers.get("Location") or ""):
            self.acknowledge("quiz_submission", id=int(attempt))


class HealthzOnly(FastHttpUser):
    """A bare Django request: the yardstick for our own pages' cost."""

    wait_time = constant(0)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")


class LessonOnly(SignedIn):
    wait_time = constant(0)

    @task
    def read_lesson(self) -> None:
        self.get(self.lesson_urls[0], name="lesson page")


class SimulatorOnly(SignedIn):
    wait_time = constant(0)

    @task
    def route_a_task(self) -> None:
        self.post(
            "/simulator/route/",
            {"text": random.choice(TASKS)},
            name="simulator post",
            headers={"HX-Request": "true"},
        )


class CapacityAE(MixedAE):
    """The same mix at a person's pace: 5-15 s between actions (the capacity mode)."""

    wait_time = between(5.0, 15.0)
