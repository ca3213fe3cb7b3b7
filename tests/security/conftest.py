"""A small world for the cross-app security tests: two teams, their people, and one AE's data.

    team A: manager_a; owner (the AE whose data is tested), teammate (another AE)
    team B: manager_b; outsider
    admin
The owner has a routing plan, a drill in progress, an open quiz attempt, a submitted one
for an assignment, and a role-play reply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.test import Client

from enablement.models import User
from practice.models import DrillSession, Persona, RoleplayAttempt, RoleplayPrompt, Scenario
from practice.services import start_drill_session, submit_roleplay_reply
from quizzes import services as assessment_services
from quizzes.models import Attempt
from routing.models import CostAssumption, RoutingPlan
from tests.factories import (
    AdminFactory,
    AEFactory,
    CheckQuestionFactory,
    LessonFactory,
    ManagerFactory,
    TeamFactory,
    assign,
    build_quiz,
    tier_profiles,
)

ROLES = ["anonymous", "owner", "teammate", "manager", "other_manager", "admin"]


# Bookkeeping that any request may write: sessions, and axes' access log of log-ins.
BOOKKEEPING = {"sessions.Session", "axes.AccessLog", "axes.AccessAttempt"}


def row_counts() -> dict[str, int]:
    """Rows per model: a denied request must leave every count as it was."""
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label not in BOOKKEEPING
    }


def make_scenarios(count: int = 3) -> list[Scenario]:
    tiers = ["small", "mid", "frontier"]
    scenarios = []
    for n in range(count):
        tier = tiers[n % 3]
        scenarios.append(
            Scenario.objects.create(
                slug=f"sec-scenario-{n}",
                title=f"Scenario {n}",
                industry="retail",
                task=f"Task {n}: classify tickets" if tier == "small" else f"Task {n}",
                correct_tier=tier,
                explanation="Because.",
                wrong_picks={t: "Wrong." for t in tiers if t != tier},
            )
        )
    return scenarios


def make_prompt() -> RoleplayPrompt:
    persona = Persona.objects.create(slug="sec-cfo", name="Dana", role="CFO")
    return RoleplayPrompt.objects.create(
        slug="sec-cfo-opening",
        persona=persona,
        line="Why not use the best model for everything?",
        guide_rows=[1],
        ideas=["routing_logic"],
    )


@dataclass
class World:
    users: dict[str, User | None]
    plan: RoutingPlan
    drill: DrillSession
    scenario: Scenario
    quiz: object
    open_attempt: Attempt
    submitted_attempt: Attempt
    assignment: object
    lesson: object
    check_question: object
    prompt: RoleplayPrompt
    reply: RoleplayAttempt
    team_a: object
    team_b: object
    extra: dict = field(default_factory=dict)

    def client(self, role: str, **kwargs) -> Client:
        client = Client(raise_request_exception=False, **kwargs)
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def world(db) -> World:
    tier_profiles()
    CostAssumption.current()  # the price setting, created on first use
    team_a = TeamFactory(name="Team A", manager=ManagerFactory(username="manager-a"))
    team_b = TeamFactory(name="Team B", manager=ManagerFactory(username="manager-b"))
    owner = AEFactory(username="owner-ae", team=team_a, first_name="Olivia", last_name="Owner")
    teammate = AEFactory(username="teammate-ae", team=team_a)
    AEFactory(username="outsider-ae", team=team_b)
    admin = AdminFactory(username="admin-x")

    plan = RoutingPlan.objects.create(owner=owner, title="Olivia's secret plan", rows=[], errors=[])
    scenarios = make_scenarios()
    drill = start_drill_session(user=owner, size=3)
    quiz = build_quiz(slug="sec-quiz", title="Security quiz", max_attempts=3)
    open_attempt = assessment_services.start_attempt(user=owner, quiz=quiz)
    assignment = assign(quiz, team=team_a, users=[owner])
    submitted = assessment_services.start_attempt(user=owner, quiz=quiz, assignment=assignment)
    # Only one open attempt per quiz: submit the assignment's attempt, then reopen self-paced.
    assessment_services.submit_attempt(attempt=submitted)
    open_attempt = assessment_services.start_attempt(user=owner, quiz=quiz)
    submitted.refresh_from_db()
    lesson = LessonFactory(slug="sec-lesson", title="Security lesson")
    question = CheckQuestionFactory(lesson=lesson)
    prompt = make_prompt()
    reply = submit_roleplay_reply(
        user=owner, prompt=prompt, text="Routing sends each task to the tier that fits it."
    )
    return World(
        users={
            "anonymous": None,
            "owner": owner,
            "teammate": teammate,
            "manager": team_a.manager,
            "other_manager": team_b.manager,
            "admin": admin,
        },
        plan=plan,
        drill=drill,
        scenario=Scenario.objects.get(pk=drill.scenario_ids[0]),
        quiz=quiz,
        open_attempt=open_attempt,
        submitted_attempt=submitted,
        assignment=assignment,
        lesson=lesson,
        check_question=question,
        prompt=prompt,
        reply=reply,
        team_a=team_a,
        team_b=team_b,
        extra={"scenarios": scenarios},
    )


@pytest.fixture
def denials(caplog, monkeypatch):
    """Users named in the permission_denied events logged during the test."""
    logger = logging.getLogger("tierwise.security")
    monkeypatch.setattr(logger, "propagate", True)  # let caplog's root handler see them
    caplog.set_level(logging.INFO, logger="tierwise.security")

    def users() -> list[str]:
        return [
            record.getMessage().split('user="')[1].split('"')[0]
            for record in caplog.records
            if record.name == "tierwise.security"
            and record.getMessage().startswith("event=permission_denied ")
        ]

    return users
