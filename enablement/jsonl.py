"""The one rule for the JSON Lines commands (`route --jsonl`, `score_roleplay --jsonl`).

- Input: a file path, or `-` for standard input; an unreadable file is a clear error.
- Each line is a JSON object with a string "text". Blank lines are skipped (no output).
- Every other line gets exactly one JSON object on standard output, in input order.
- A line that is not such an object, or that the command refuses (e.g. too long), gets
  `{"line": N, "text": <the line as read>, "error": "..."}` (plus the command's own null
  fields) in its place, and the command exits 1 after the last line, naming the count.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError


class LineRefused(ValueError):
    """A well-formed line the command will not answer; the message says why."""


def run_jsonl(
    command: BaseCommand,
    source: str,
    answer: Callable[[dict], dict],
    error_fields: dict | None = None,
) -> None:
    """Answer each line of `source` with `answer(item)` under the rule above."""
    try:
        stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as error:
        raise CommandError(f"Cannot read {source}: {error.strerror}") from error
    failures = 0
    try:
        for number, raw in enumerate(stream, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            try:
                record = answer(_item(line))
            except LineRefused as refusal:
                record = {"line": number, "text": line, **(error_fields or {})}
                record["error"] = f"line {number}: {refusal}"
                failures += 1
            command.stdout.write(json.dumps(record, ensure_ascii=False))
            command.stdout.flush()
    finally:
        if stream is not sys.stdin:
            stream.close()
    if failures:
        raise CommandError(f"{failures} line(s) could not be answered; see their error fields.")


def _item(line: str) -> dict:
    try:
        item = json.loads(line)
    except ValueError as error:
        raise LineRefused(f"not valid JSON ({error.msg})") from error
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise LineRefused('expected an object like {"text": "..."}')
    return item
