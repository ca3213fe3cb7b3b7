"""python manage.py route "TEXT" | route --jsonl FILE|- : the router from the command line."""

from django.core.management.base import BaseCommand, CommandError

from enablement.jsonl import run_jsonl
from routing.classifier import route


class Command(BaseCommand):
    help = (
        'Route one task: route "TEXT". Or route many: route --jsonl FILE (- for stdin) reads '
        'lines {"text": ...} and writes one JSON object per input line, in order, with text, '
        "tier, model_tier, confidence, probabilities, dimensions, phrases, stepped_up and "
        "step_up_reason. Blank lines are skipped; a line that is not a JSON object with a "
        "string 'text' gets an object with 'error' (tier and confidence null) in its place, "
        "and the command exits 1 after the last line."
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
        run_jsonl(self, source, self._answer, error_fields={"tier": None, "confidence": None})

    @staticmethod
    def _answer(item: dict) -> dict:
        record = route(item["text"]).to_dict()
        if "id" in item:
            record = {"id": item["id"], **record}
        return record
