"""python manage.py route "TEXT" | route --jsonl FILE|- : the router from the command line."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from enablement.router import route


class Command(BaseCommand):
    help = (
        'Route one task: route "TEXT". Or route many: route --jsonl FILE (- for stdin) reads '
        'lines {"text": ...} and writes one JSON object per input line, in order, with text, '
        "tier, model_tier, confidence, probabilities, dimensions, phrases, stepped_up and "
        "step_up_reason. A line that is not a JSON object with a string 'text' gets an object "
        "with 'error' (tier and confidence null) and the command exits 1 after the last line."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("text", nargs="?", help="The task description to route.")
        parser.add_argument(
            "--jsonl", metavar="FILE", help="JSON Lines input file, or - for stdin."
        )

    def handle(self, *args, text: str | None, jsonl: str | None, **options) -> None:
        if jsonl is not None and text is not None:
            raise CommandError('Give either "TEXT" or --jsonl FILE, not both.')
        if jsonl is not None:
            self._jsonl(jsonl)
            return
        if text is None:
            raise CommandError('Give a task: route "TEXT", or route --jsonl FILE (- for stdin).')
        self._print(text)

    def _print(self, text: str) -> None:
        decision = route(text)
        out = self.stdout
        out.write(f"Tier: {decision.tier} (confidence {decision.confidence:.0%})")
        if decision.stepped_up:
            out.write(f"Step-up: {decision.step_up_reason}")
        elif decision.step_up_reason:
            out.write(f"Note: {decision.step_up_reason}")
        probabilities = ", ".join(f"{t} {p:.0%}" for t, p in decision.probabilities.items())
        out.write(f"Probabilities: {probabilities}")
        for reading in decision.dimensions:
            out.write(
                f"{reading.title}: {reading.label} ({reading.confidence:.0%}). {reading.reason}"
            )
        out.write("Phrases: " + (", ".join(decision.phrases) or "(none recognised)"))

    def _jsonl(self, source: str) -> None:
        try:
            stream = (
                sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")  # noqa: SIM115
            )
        except OSError as error:
            raise CommandError(f"Cannot read {source}: {error.strerror}") from error
        failures = 0
        try:
            for number, line in enumerate(stream, start=1):
                record = self._record(number, line.rstrip("\r\n"))
                if "error" in record:
                    failures += 1
                self.stdout.write(json.dumps(record, ensure_ascii=False))
                self.stdout.flush()
        finally:
            if stream is not sys.stdin:
                stream.close()
        if failures:
            raise CommandError(f'{failures} line(s) were not {{"text": ...}} objects.')

    @staticmethod
    def _record(number: int, line: str) -> dict:
        if not line.strip():
            payload: object = {"text": ""}
        else:
            try:
                payload = json.loads(line)
            except ValueError as error:
                return {
                    "line": number,
                    "text": line,
                    "tier": None,
                    "confidence": None,
                    "error": f"line {number}: not valid JSON ({error.msg})",
                }
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
            return {
                "line": number,
                "text": line,
                "tier": None,
                "confidence": None,
                "error": f'line {number}: expected an object like {{"text": "..."}}',
            }
        record = route(payload["text"]).to_dict()
        if "id" in payload:
            record = {"id": payload["id"], **record}
        return record
