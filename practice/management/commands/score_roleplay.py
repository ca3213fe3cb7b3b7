"""Score role-play replies from the command line.

    python manage.py score_roleplay --jsonl FILE     # FILE or - for stdin
    python manage.py score_roleplay "A reply to score"
    python manage.py score_roleplay --evaluate       # held-out accuracy of the scorer
    python manage.py score_roleplay --cv             # 5-fold CV on the training 80%, for tuning

--jsonl reads lines `{"text": ..., "prompt": ...}` ("prompt" optional: the buyer line the
reply answers, or a prompt slug) and writes one JSON object per input line, in order, with
`text`, `verdict` (strong | weak), `score` (0-100), `dont_say` (the guide rows it falls into,
with the words that triggered each) and `ideas` (the Do-say ideas it carries). A line that
is not a JSON object with a string "text", or whose text is over 2,000 characters, gets
`{"line": N, "text": ..., "error": ...}` in its place, and the command exits 1 after the
last line. Blank lines are skipped. (The rule of both JSONL commands: enablement/jsonl.py.)
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enablement.jsonl import LineRefused, run_jsonl
from practice.models import RoleplayPrompt
from practice.review import export_reviewed_labels
from practice.scorer import MAX_REPLY_CHARS, get_scorer
from practice.scorer.evaluate import cross_validate, evaluate
from practice.scorer.model import REVIEWS_PATH


def _prompts() -> dict[str, dict]:
    """Prompt slug and buyer line (lower-cased) -> the prompt, as loaded in the database."""
    index: dict[str, dict] = {}
    for prompt in RoleplayPrompt.objects.values("slug", "line", "ideas", "guide_rows"):
        index[prompt["slug"].lower()] = prompt
        index[prompt["line"].strip().lower()] = prompt
    return index


class Command(BaseCommand):
    help = "Score role-play replies (strong/weak, 0-100, Don't-say rows, Do-say ideas)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("text", nargs="?", help="One reply to score.")
        parser.add_argument(
            "--export-reviews",
            metavar="FILE",
            nargs="?",
            const=str(REVIEWS_PATH),
            help="Write managers' reviewed conversations as labelled replies (default: "
            "practice/content/roleplay/reviews.csv, which the scorer trains on at its next "
            "start: commit it and restart the workers to retrain).",
        )
        parser.add_argument("--jsonl", metavar="FILE", help='Lines of {"text": ...}; - for stdin.')
        parser.add_argument(
            "--evaluate", action="store_true", help="Print accuracy on a held-out split."
        )
        parser.add_argument(
            "--cv",
            action="store_true",
            help="Print 5-fold cross-validated accuracy on the training 80%% (for tuning).",
        )

    def handle(self, *args, **options) -> None:
        if options["export_reviews"]:
            count = export_reviewed_labels(Path(options["export_reviews"]))
            self.stdout.write(f"Wrote {count} reviewed replies to {options['export_reviews']}.")
            return
        if options["evaluate"]:
            self.stdout.write("Training on 80% of the labelled replies, testing on 20%...")
            for line in evaluate().lines():
                self.stdout.write(line)
            return
        if options["cv"]:
            self.stdout.write(
                "5-fold cross-validation on the training 80% (held-out 20% unused)..."
            )
            evaluation = cross_validate()
            self.stdout.write(
                f"{evaluation.test_size} replies, each scored by a model that never saw it"
            )
            for line in evaluation.metric_lines():
                self.stdout.write(line)
            return
        if options["jsonl"]:
            self._jsonl(options["jsonl"])
            return
        if options["text"]:
            self.stdout.write(json.dumps(self._score(options["text"], None), ensure_ascii=False))
            return
        raise CommandError("Give a reply to score, --jsonl FILE (or -), --evaluate or --cv.")

    def _score(self, text: str, prompt: dict | None) -> dict:
        feedback = get_scorer().score(
            text,
            expected_ideas=(prompt or {}).get("ideas"),
            guide_rows=(prompt or {}).get("guide_rows"),
        )
        result = {
            "text": text,
            "verdict": feedback.verdict,
            "score": feedback.score,
            "dont_say": [
                {"row": hit.row, "dont_say": hit.dont_say, "triggers": hit.triggers}
                for hit in feedback.dont_say
            ],
            "ideas": [idea.key for idea in feedback.ideas],
        }
        if prompt:
            result["prompt"] = prompt.get("slug")
        return result

    def _jsonl(self, source: str) -> None:
        prompts = _prompts()

        def answer(item: dict) -> dict:
            text = item["text"]
            if not text.strip():
                raise LineRefused('needs a non-empty string "text"')
            if len(text) > MAX_REPLY_CHARS:
                raise LineRefused(f"text is over {MAX_REPLY_CHARS} characters")
            key = str(item.get("prompt") or "").strip().lower()
            return self._score(text, prompts.get(key))

        run_jsonl(self, source, answer)
