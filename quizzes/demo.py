"""The demo team's six weeks of history (`seed_demo --history`, which `make run` uses).

Demo West gets twelve AEs: demo-ae1..3 stay hands-on (demo-ae1 part-way through, so the
certification page shows progress per requirement) and demo-ae4..12 are built with believable
activity dated over the last six weeks, through the same services the pages use: lessons at
different stages, drills whose misses mostly confuse small with mid, role-play replies
scored by the real scorer, quizzes, assignments finished on time, late and overdue, two
certified AEs, and one certificate due for recertification after a material change.

Idempotent: an AE who already has any activity is left as they are, and the assignments
and the material change are made once.
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from enablement.models import Role, Team, User
from lessons.models import Lesson, LessonProgress
from lessons.services import mark_lesson_complete
from practice.models import DrillAnswer, DrillSession, RoleplayAttempt, RoleplayPrompt, Scenario
from practice.scorer.model import REPLIES_PATH
from practice.services import answer_drill, submit_roleplay_reply

from . import certification
from .models import (
    Assignment,
    AssignmentRecipient,
    Attempt,
    MaterialChange,
    Programme,
    Question,
    QuestionKind,
    Quiz,
)
from .services import AnswerInput, start_attempt, submit_attempt

SEED = 20261128
WEEKS = 6
NOTE = "Demo history"
# username, first, last, profile: (lessons done, drill answers, drill skill 0-1,
#                                   role-play replies, quiz skill 0-1)
HISTORY_AES = [
    ("demo-ae4", "Harper", "Lindqvist", (8, 34, 0.95, 6, 1.0)),  # certified
    ("demo-ae5", "Diego", "Alvarez", (8, 30, 0.92, 5, 1.0)),  # certified, then recertify
    ("demo-ae6", "Priya", "Raman", (7, 26, 0.8, 4, 0.8)),
    ("demo-ae7", "Marcus", "Bell", (6, 22, 0.7, 3, 0.7)),
    ("demo-ae8", "Yuki", "Tanaka", (5, 18, 0.65, 3, 0.6)),
    ("demo-ae9", "Olivia", "Grant", (4, 14, 0.6, 2, 0.6)),
    ("demo-ae10", "Kwame", "Mensah", (3, 10, 0.55, 2, 0.5)),
    ("demo-ae11", "Sofia", "Rossi", (2, 8, 0.5, 1, 0.4)),
    ("demo-ae12", "Liam", "O'Brien", (1, 4, 0.45, 0, 0.0)),
]
# demo-ae1: part-way to certification (the page shows progress on every requirement).
HANDS_ON = {"demo-ae1": (5, 12, 0.75, 2, 0.8)}


def build_history(*, password: str, now: datetime | None = None) -> list[str]:
    """Add the history; returns a line per thing done (for the command's output)."""
    now = now or timezone.now()
    rng = random.Random(SEED)
    team = Team.objects.get(name="Demo West")
    done = []
    aes = {}
    for username, first, last, profile in HISTORY_AES:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "role": Role.AE, "team": team},
        )
        if not user.has_usable_password():
            user.set_password(password)
        user.email = user.email or f"{username}@demo.tierwise.local"
        user.save()
        aes[username] = (user, profile)
    for username, profile in HANDS_ON.items():
        aes[username] = (User.objects.get(username=username), profile)
    for username, (user, profile) in aes.items():
        if _has_activity(user):
            continue
        _activity(user, profile, rng=rng, now=now)
        done.append(f"{username}: six weeks of activity")
    done += _assignments(team, now=now)
    done += _certify(now=now)
    return done


def _has_activity(user: User) -> bool:
    return (
        LessonProgress.objects.filter(user=user).exists()
        or DrillAnswer.objects.filter(user=user).exists()
    )


def _moment(rng: random.Random, now: datetime, weeks_ago_max: float = WEEKS) -> datetime:
    return now - timedelta(days=rng.uniform(1, 7 * weeks_ago_max), hours=rng.uniform(0, 8))


@transaction.atomic
def _activity(user: User, profile: tuple, *, rng: random.Random, now: datetime) -> None:
    lessons_done, drill_count, skill, replies, quiz_skill = profile
    # Lessons, in course order, completed over the six weeks.
    for lesson in list(Lesson.objects.published())[:lessons_done]:
        mark_lesson_complete(user=user, lesson=lesson)
        LessonProgress.objects.filter(user=user, lesson=lesson).update(
            completed_at=(at := _moment(rng, now)), last_viewed_at=at
        )
    # Drills: misses mostly confuse small with mid, as new AEs do.
    scenarios = list(Scenario.objects.filter(is_active=True))
    rng.shuffle(scenarios)
    picks = scenarios[:drill_count]
    if picks:
        session = DrillSession.objects.create(user=user, scenario_ids=[s.pk for s in picks])
        for scenario in picks:
            picked = scenario.correct_tier if rng.random() < skill else _confusion(scenario, rng)
            confidence = (
                "sure"
                if picked == scenario.correct_tier
                else rng.choice(["think_so", "guessing", "sure"])
            )
            answer = answer_drill(
                user=user,
                session=session,
                scenario=scenario,
                picked_tier=picked,
                confidence=confidence,
            )
            DrillAnswer.objects.filter(pk=answer.pk).update(created_at=_moment(rng, now))
    # Role-play: real replies from the labelled set, scored by the scorer.
    prompts = list(RoleplayPrompt.objects.filter(is_active=True))
    bank = _replies()
    for prompt in rng.sample(prompts, min(replies, len(prompts))):
        options = [r for r in bank if r["prompt"] == prompt.slug] or bank
        strong = [r for r in options if r["label"] == "strong"]
        reply = rng.choice(strong if strong and rng.random() < skill else options)
        attempt = submit_roleplay_reply(user=user, prompt=prompt, text=reply["text"])
        RoleplayAttempt.objects.filter(pk=attempt.pk).update(created_at=_moment(rng, now))
    # Self-paced quizzes.
    if quiz_skill:
        for quiz in Quiz.objects.filter(is_active=True).order_by("slug"):
            _take(user, quiz, skill=quiz_skill, rng=rng, when=_moment(rng, now, 4))


def _confusion(scenario: Scenario, rng: random.Random) -> str:
    if scenario.correct_tier == "small":
        return "mid" if rng.random() < 0.8 else "frontier"
    if scenario.correct_tier == "mid":
        return "small" if rng.random() < 0.7 else "frontier"
    return "mid"


def _take(user, quiz, *, skill: float, rng: random.Random, when: datetime, assignment=None):
    attempt = start_attempt(user=user, quiz=quiz, assignment=assignment)
    answers = {}
    for question in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related(
        "choices"
    ):
        right = rng.random() < skill
        if question.kind == QuestionKind.TIER:
            tier = (
                question.answer_tier
                if right
                else ("mid" if question.answer_tier != "mid" else "small")
            )
            answers[question.pk] = AnswerInput(picked_tier=tier)
        else:
            choices = list(question.choices.all())
            chosen = [c for c in choices if c.is_correct == right] or choices[:1]
            answers[question.pk] = AnswerInput(selected=frozenset(c.pk for c in chosen[:1]))
    submit_attempt(attempt=attempt, answers=answers)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=when, submitted_at=when + timedelta(minutes=9)
    )


def _replies() -> list[dict]:
    with open(REPLIES_PATH, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _assignments(team: Team, *, now: datetime) -> list[str]:
    """Three assignments: one finished on time, one finished late, one now overdue."""
    if Assignment.objects.filter(team=team, note=NOTE).exists():
        return []
    quizzes = list(Quiz.objects.filter(is_active=True).order_by("slug"))
    if len(quizzes) < 2:
        return []
    rng = random.Random(SEED + 1)
    plans = [
        (quizzes[0], now - timedelta(days=28), now - timedelta(days=21), 0.9),  # on time
        (quizzes[1], now - timedelta(days=14), now - timedelta(days=9), 0.5),  # some late
        (quizzes[-1], now - timedelta(days=6), now - timedelta(days=1), 0.4),  # overdue
    ]
    for quiz, assigned, due, share in plans:
        # Made directly, not through create_assignment: history sends no emails.
        assignment = Assignment.objects.create(
            team=team,
            quiz=quiz,
            assigned_by=team.manager,
            whole_team=True,
            note=NOTE,
            assigned_at=assigned,
            due_at=due,
        )
        AssignmentRecipient.objects.bulk_create(
            [AssignmentRecipient(assignment=assignment, user=user) for user in team.aes]
        )
        for recipient in AssignmentRecipient.objects.filter(assignment=assignment).select_related(
            "user"
        ):
            if recipient.user.username in ("demo-ae1", "demo-ae2", "demo-ae3"):
                continue  # the hands-on AEs do their own
            if rng.random() < share:
                late = rng.random() < 0.3
                when = due + timedelta(days=1) if late else due - timedelta(days=2)
                _take(recipient.user, quiz, skill=0.8, rng=rng, when=when, assignment=assignment)
    return ["3 assignments: finished on time, late, and overdue"]


def _certify(*, now: datetime) -> list[str]:
    """Issue the certificates the demo AEs have earned, dated in the past; then a material
    change asks demo-ae5 (certified before it) to recertify."""
    programme = Programme.objects.filter(is_active=True).first()
    if programme is None or MaterialChange.objects.filter(note__startswith=NOTE).exists():
        return []
    done = []
    for username, days_ago in (("demo-ae5", 20), ("demo-ae4", 3)):
        user = User.objects.get(username=username)
        issued = certification.issue_earned(user=user, now=now - timedelta(days=days_ago))
        if issued:
            done.append(f"{username}: certified")
    requirement = programme.requirements.order_by("order").first()
    MaterialChange.objects.create(
        requirement=requirement,
        note=f"{NOTE}: the mid-tier latency figure was updated",
        changed_at=now - timedelta(days=10),
    )
    done.append("a material change: demo-ae5 is due to recertify")
    return done
