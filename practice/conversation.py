"""Role-play conversations: scripts a buyer follows, branching on what the AE just said.

A script (practice/content/roleplay/scripts/*.yaml, loaded by `load_content`) is a graph of
buyer turns. After each reply the scorer reads it, and the buyer's next line is chosen in this
order: the Don't-say framing the reply falls into (that row's pushback, else `any`), the first
idea the turn expects that the reply lacks (the question a buyer asks next), a strong reply
(the next objection), anything else (`weak`). A closing turn (`close: agree | decline`) ends
the conversation. Scripts are validated on load; an error names the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone

from enablement.content import ContentError, upsert
from enablement.models import User

from .models import (
    Conversation,
    ConversationStatus,
    ConversationTurn,
    Persona,
    Script,
)
from .scorer import IDEAS, score_reply
from .services import PracticeError, clean_reply

SCRIPTS_DIR = Path(__file__).resolve().parent / "content" / "roleplay" / "scripts"
MIN_REPLIES, MAX_REPLIES, MIN_BRANCH_POINTS = 3, 6, 3
STRONG_SCORE = 50


# --- Loading and validation --------------------------------------------------------------------


def _lines(path: Path) -> dict[str, int]:
    """Turn id -> the line it starts on (1-based), for error messages."""
    root = yaml.compose(path.read_text("utf-8"))
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "turns" and isinstance(value, yaml.MappingNode):
                for turn_key, _ in value.value:
                    lines[turn_key.value] = turn_key.start_mark.line + 1
    return lines


def targets(turn: dict) -> list[str]:
    following = turn.get("next") or {}
    found = [
        *(following.get("dont_say") or {}).values(),
        *(following.get("missing") or {}).values(),
    ]
    found += [following[key] for key in ("strong", "weak") if following.get(key)]
    return [str(t) for t in found]


def validate(data: dict, path: Path) -> None:
    """Raise ContentError naming the file and line of the first problem."""
    lines = _lines(path)

    def fail(turn_id: str | None, problem: str) -> None:
        where = f"{path.name}, line {lines[turn_id]}" if turn_id in lines else path.name
        raise ContentError(f"{where}: {problem}")

    for key in ("slug", "persona", "title", "start", "turns"):
        if not data.get(key):
            fail(None, f"needs {key!r}")
    turns = data["turns"]
    if data["start"] not in turns:
        fail(None, f"start {data['start']!r} is not a turn")
    branch_points = 0
    for turn_id, turn in turns.items():
        if not isinstance(turn, dict) or not str(turn.get("buyer", "")).strip():
            fail(turn_id, "every turn needs a buyer line")
        if turn.get("close"):
            if turn["close"] not in ("agree", "decline"):
                fail(turn_id, "close is agree or decline")
            continue
        following = turn.get("next") or {}
        if not following.get("weak"):
            fail(turn_id, "needs next.weak (where the buyer goes on any other reply)")
        for target in targets(turn):
            if target not in turns:
                fail(turn_id, f"goes to {target!r}, which is not a turn")
        for idea in [*(turn.get("ideas") or []), *(following.get("missing") or {})]:
            if idea not in IDEAS:
                fail(turn_id, f"unknown idea {idea!r}")
        for row in [*(turn.get("guide_rows") or []), *(following.get("dont_say") or {})]:
            if row != "any" and not (isinstance(row, int) and 1 <= row <= 10):
                fail(turn_id, f"field guide rows are 1-10, not {row!r}")
        branch_points += len(set(targets(turn))) >= 2
    if branch_points < MIN_BRANCH_POINTS:
        fail(None, f"has {branch_points} branch points; at least {MIN_BRANCH_POINTS} are needed")
    # Every path ends, within the reply limits; every turn is reachable.
    reached: set[str] = set()

    def walk(turn_id: str, replies: int, trail: tuple[str, ...]) -> None:
        reached.add(turn_id)
        turn = turns[turn_id]
        if turn.get("close"):
            if not MIN_REPLIES <= replies <= MAX_REPLIES:
                fail(
                    turn_id,
                    f"a path reaches this close after {replies} replies "
                    f"({MIN_REPLIES}-{MAX_REPLIES} allowed): {' > '.join(trail)}",
                )
            return
        if turn_id in trail:
            fail(turn_id, f"the conversation can loop: {' > '.join((*trail, turn_id))}")
        for target in set(targets(turn)):
            walk(target, replies + 1, (*trail, turn_id))

    walk(data["start"], 0, ())
    for turn_id in turns:
        if turn_id not in reached:
            fail(turn_id, "no path from the start reaches this turn")


def load_scripts(directory: Path = SCRIPTS_DIR) -> tuple[int, int]:
    """Upsert every script; returns (scripts, branch points)."""
    total_branches = 0
    slugs = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text("utf-8")) or {}
        except yaml.YAMLError as error:
            raise ContentError(f"{path.name}: not valid YAML ({error})") from error
        validate(data, path)
        for turn in data["turns"].values():  # row numbers as JSON keys are strings anyway
            if (turn.get("next") or {}).get("dont_say"):
                turn["next"]["dont_say"] = {str(k): v for k, v in turn["next"]["dont_say"].items()}
        persona = Persona.objects.filter(slug=data["persona"]).first()
        if persona is None:
            raise ContentError(f"{path.name}: unknown persona {data['persona']!r}")
        upsert(
            Script,
            {"slug": data["slug"]},
            {
                "persona": persona,
                "title": data["title"],
                "summary": data.get("summary", ""),
                "start": data["start"],
                "turns": data["turns"],
                "is_active": True,
            },
        )
        slugs.append(data["slug"])
        total_branches += sum(len(set(targets(t))) >= 2 for t in data["turns"].values())
    return len(slugs), total_branches


# --- Playing a conversation ------------------------------------------------------------------


@dataclass(frozen=True)
class Branch:
    target: str
    why: str


def choose_next(turn: dict, *, dont_say_rows: list[int], ideas: list[str], verdict: str) -> Branch:
    """Where the buyer goes after a reply, and why (shown on the scorecard)."""
    following = turn.get("next") or {}
    by_row = {str(k): v for k, v in (following.get("dont_say") or {}).items()}
    for row in dont_say_rows:
        if str(row) in by_row:
            return Branch(by_row[str(row)], "the buyer pushes back on that framing")
    if dont_say_rows and "any" in by_row:
        return Branch(by_row["any"], "the buyer pushes back on that framing")
    missing = following.get("missing") or {}
    for idea in turn.get("ideas") or []:
        if idea not in ideas and idea in missing:
            return Branch(missing[idea], f"the reply didn't carry: {IDEAS[idea]}")
    if verdict == "strong" and following.get("strong"):
        return Branch(following["strong"], "a strong reply: the buyer moves on")
    return Branch(following["weak"], "the buyer wasn't convinced yet")


@transaction.atomic
def start(*, user: User, script: Script) -> Conversation:
    """Resume the AE's open conversation with this script, or start one."""
    open_one = Conversation.objects.filter(
        user=user, script=script, status=ConversationStatus.OPEN
    ).first()
    if open_one is not None:
        return open_one
    return Conversation.objects.create(user=user, script=script, node=script.start)


@transaction.atomic
def reply(*, conversation: Conversation, number: int, text: str) -> ConversationTurn:
    """Record the AE's reply to turn `number` and move the buyer on. Posting the same turn
    again (a double click, two tabs) returns the turn already stored."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    existing = conversation.turns.filter(number=number).first()
    if existing is not None:
        return existing
    if conversation.status != ConversationStatus.OPEN:
        raise PracticeError("This conversation has ended; start a new one to practise again.")
    if number != conversation.turns.count() + 1:
        raise PracticeError("That reply is out of date; the conversation has moved on.")
    text = clean_reply(text)
    turns = conversation.script.turns
    turn = turns[conversation.node]
    feedback = score_reply(text, ideas=turn.get("ideas"), guide_rows=turn.get("guide_rows"))
    rows = [hit.row for hit in feedback.dont_say]
    idea_keys = [idea.key for idea in feedback.ideas]
    branch = choose_next(turn, dont_say_rows=rows, ideas=idea_keys, verdict=feedback.verdict)
    try:
        with transaction.atomic():
            stored = ConversationTurn.objects.create(
                conversation=conversation,
                number=number,
                node=conversation.node,
                buyer_line=turn["buyer"],
                reply=text,
                score=feedback.score,
                verdict=feedback.verdict,
                dont_say_rows=rows,
                ideas=idea_keys,
                feedback=feedback.as_dict(),
                branch=branch.why,
            )
    except IntegrityError:
        return conversation.turns.get(number=number)
    conversation.node = branch.target
    if turns[branch.target].get("close"):
        _finish(conversation, outcome=turns[branch.target]["close"])
    conversation.save()
    return stored


def _finish(conversation: Conversation, *, outcome: str) -> None:
    scores = list(conversation.turns.values_list("score", flat=True))
    traps = conversation.turns.exclude(dont_say_rows=[]).count()
    conversation.score = round(sum(scores) / len(scores)) if scores else 0
    conversation.verdict = "strong" if conversation.score >= STRONG_SCORE and traps <= 1 else "weak"
    conversation.outcome = outcome
    conversation.status = ConversationStatus.FINISHED
    conversation.finished_at = timezone.now()


@transaction.atomic
def abandon(*, conversation: Conversation) -> Conversation:
    if conversation.status == ConversationStatus.OPEN:
        conversation.status = ConversationStatus.ABANDONED
        conversation.finished_at = timezone.now()
        conversation.save(update_fields=["status", "finished_at"])
    return conversation


def buyer_line(conversation: Conversation) -> str:
    return conversation.script.turns[conversation.node]["buyer"]
