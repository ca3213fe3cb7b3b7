"""Loads the quiz bank from quizzes/content/quizzes/*.yaml.

Idempotent: quizzes upsert by slug (enablement.content.upsert: a quiz whose repository text,
questions included, is unchanged is left as the admin left it), questions by `key` (the YAML
`key`, or `q<position>` when absent), choices by position within their question. Rows are
updated in place, so stored answers keep pointing at the same questions and choices across
reloads. A question dropped from the YAML is deactivated, never deleted (learner answers
stay); open attempts keep the question list they started with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from enablement.content import ContentError, read_yaml, upsert
from enablement.vocabulary import Tier
from lessons.models import Lesson

from .models import (
    Choice,
    Programme,
    Question,
    QuestionKind,
    Quiz,
    Requirement,
    RequirementKind,
    Reveal,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content" / "quizzes"
QUIZ_SETTINGS = (
    "pass_mark",
    "max_attempts",
    "time_limit_minutes",
    "shuffle_questions",
    "shuffle_choices",
    "reveal",
)


def _validate_question(slug: str, index: int, item: dict[str, Any]) -> None:
    where = f"{slug} question {index}"
    kind = item.get("kind")
    if kind not in QuestionKind.values:
        raise ValidationError(f"{where}: kind must be one of {QuestionKind.values}")
    if not item.get("prompt") or not item.get("explanation"):
        raise ValidationError(f"{where}: prompt and explanation are required")
    if kind == QuestionKind.TIER:
        if item.get("answer") not in Tier.values:
            raise ValidationError(f"{where}: answer must be one of {Tier.values}")
        return
    choices = item.get("choices") or []
    right = sum(bool(c.get("correct")) for c in choices)
    if kind == QuestionKind.SINGLE and right != 1:
        raise ValidationError(f"{where}: a single-choice question needs exactly one right choice")
    if kind == QuestionKind.MULTIPLE and (right < 2 or right == len(choices)):
        raise ValidationError(f"{where}: a multiple-answer question needs 2+ right and 1+ wrong")


@transaction.atomic
def load_quiz(data: dict[str, Any]) -> Quiz:
    slug = data["slug"]
    questions = data.get("questions") or []
    for index, item in enumerate(questions, start=1):
        _validate_question(slug, index, item)
    if data.get("reveal", Reveal.AFTER_SUBMISSION) not in Reveal.values:
        raise ValidationError(f"{slug}: reveal must be one of {Reveal.values}")
    defaults = {
        "title": data["title"],
        "description": (data.get("description") or "").strip(),
        **{name: data[name] for name in QUIZ_SETTINGS if name in data},
    }
    quiz, changed = upsert(Quiz, {"slug": slug}, defaults, hashed_too=questions)
    if not changed:
        return quiz
    seen: list[str] = []
    for position, item in enumerate(questions, start=1):
        key = str(item.get("key") or f"q{position}")
        seen.append(key)
        question, _ = Question.objects.update_or_create(
            quiz=quiz,
            key=key,
            defaults={
                "position": position,
                "kind": item["kind"],
                "prompt": item["prompt"].strip(),
                "explanation": item["explanation"].strip(),
                "answer_tier": item.get("answer", "") if item["kind"] == QuestionKind.TIER else "",
                "is_active": True,
            },
        )
        if item["kind"] == QuestionKind.TIER:
            continue
        for choice_position, choice in enumerate(item["choices"], start=1):
            Choice.objects.update_or_create(
                question=question,
                key=f"c{choice_position}",
                defaults={
                    "position": choice_position,
                    "text": str(choice["text"]).strip(),
                    "is_correct": bool(choice.get("correct")),
                },
            )
        # A choice dropped from the YAML goes; answers keep its id (no foreign key), and
        # the result page shows it as a removed choice.
        keep = [f"c{i}" for i in range(1, len(item["choices"]) + 1)]
        question.choices.exclude(key__in=keep).delete()
    quiz.questions.exclude(key__in=seen).update(is_active=False)
    return quiz


def load_programme(data: dict[str, Any]) -> Programme:
    """Upsert one certification programme and, when its repository text changed, its
    requirements (named lessons and quizzes must exist: load them first)."""
    slug = data.get("slug") or ""
    requirements = data.get("requirements") or []
    if not slug or not data.get("name") or not requirements:
        raise ContentError(f"programme {slug or '?'}: needs a slug, a name and requirements")
    fields = {
        "name": data["name"],
        "description": (data.get("description") or "").strip(),
        "validity_months": int(data.get("validity_months", 12)),
        "recertify_grace_days": int(data.get("recertify_grace_days", 30)),
        "is_active": True,
    }
    programme, changed = upsert(Programme, {"slug": slug}, fields, hashed_too=requirements)
    if not changed:
        return programme
    kept = []
    for order, item in enumerate(requirements, start=1):
        where = f"programme {slug}, requirement {order}"
        if item.get("kind") not in RequirementKind.values:
            raise ContentError(f"{where}: kind must be one of {RequirementKind.values}")
        requirement, _ = Requirement.objects.update_or_create(
            programme=programme,
            order=order,
            defaults={
                "kind": item["kind"],
                "title": item.get("title") or RequirementKind(item["kind"]).label,
                "min_count": int(item.get("min_count", 0)),
                "min_percent": int(item.get("min_percent", 0)),
                "over_last": int(item.get("over_last", 0)),
            },
        )
        lessons = list(Lesson.objects.filter(slug__in=item.get("lessons") or []))
        quizzes = list(Quiz.objects.filter(slug__in=item.get("quizzes") or []))
        if len(lessons) != len(item.get("lessons") or []) or len(quizzes) != len(
            item.get("quizzes") or []
        ):
            raise ContentError(f"{where}: names a lesson or quiz that is not loaded")
        requirement.lessons.set(lessons)
        requirement.quizzes.set(quizzes)
        kept.append(order)
    programme.requirements.exclude(order__in=kept).delete()
    return programme


def load() -> str:
    """Upsert every quiz in quizzes/content/quizzes/. Returns a one-line summary."""
    quizzes = []
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            quizzes.append(load_quiz(yaml.safe_load(handle)))
    questions = Question.objects.filter(quiz__in=quizzes, is_active=True).count()
    programmes = [
        load_programme(read_yaml(path))
        for path in sorted((CONTENT_DIR.parent / "programmes").glob("*.yaml"))
    ]
    return (
        f"{len(quizzes)} quizzes, {questions} questions, "
        f"{len(programmes)} certification programme(s)"
    )
