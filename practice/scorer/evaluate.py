"""Held-out accuracy of the role-play scorer (`manage.py score_roleplay --evaluate`).

The labelled set is split once, stratified by Don't-say row, 80% train / 20% held out, with a
fixed seed. The scorer is trained on the 80% (plus the field guide, which is always part of
it) and judged on the 20% it never saw.

Tune thresholds and cues with `cross_validate()` (`score_roleplay --cv`): k-fold over the 80%
only, so the held-out 20% stays a fair check and is not used to pick between variants.
"""

from __future__ import annotations

from dataclasses import dataclass

from sklearn.model_selection import StratifiedKFold, train_test_split

from .model import IDEAS, SEED, GuideRow, LabelledReply, Scorer, load_guide, load_replies


@dataclass
class Evaluation:
    train_size: int
    test_size: int
    verdict_accuracy: float
    dont_say_row_accuracy: float
    dont_say_precision: float
    dont_say_recall: float
    ideas_micro_f1: float

    def lines(self) -> list[str]:
        return [
            f"Held-out split: {self.train_size} train / {self.test_size} test "
            f"(stratified by Don't-say row, seed {SEED})",
            *self.metric_lines(),
        ]

    def metric_lines(self) -> list[str]:
        return [
            f"Verdict accuracy (strong/weak): {self.verdict_accuracy:.1%}",
            f"Don't-say row accuracy (0-10, exact row): {self.dont_say_row_accuracy:.1%}",
            f"Don't-say flag precision / recall: {self.dont_say_precision:.1%} / "
            f"{self.dont_say_recall:.1%}",
            f"Do-say ideas micro-F1: {self.ideas_micro_f1:.1%}",
        ]


def split(
    replies: list[LabelledReply], test_size: float = 0.2
) -> tuple[list[LabelledReply], list[LabelledReply]]:
    train, test = train_test_split(
        replies,
        test_size=test_size,
        random_state=SEED,
        stratify=[r.dont_say for r in replies],
    )
    return list(train), list(test)


def evaluate(
    replies: list[LabelledReply] | None = None, guide: list[GuideRow] | None = None
) -> Evaluation:
    replies = replies if replies is not None else load_replies()
    train, test = split(replies)
    scorer = Scorer(train, guide if guide is not None else load_guide())
    return _judge([scorer] * len(test), train_size=len(train), test=test)


def cross_validate(
    replies: list[LabelledReply] | None = None,
    folds: int = 5,
    guide: list[GuideRow] | None = None,
) -> Evaluation:
    """K-fold cross-validation on the training 80% of the split; the held-out 20% is unused."""
    train, _ = split(replies if replies is not None else load_replies())
    guide = guide if guide is not None else load_guide()
    kfold = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    scorers, tests = [], []
    for fit_index, test_index in kfold.split(train, [r.dont_say for r in train]):
        scorers += [Scorer([train[i] for i in fit_index], guide)] * len(test_index)
        tests += [train[i] for i in test_index]
    return _judge(scorers, train_size=len(train), test=tests)


def _judge(scorers: list[Scorer], *, train_size: int, test: list[LabelledReply]) -> Evaluation:
    """Score each test reply with its scorer (the one at the same index) against its labels."""
    verdict_hits = row_hits = 0
    flag_tp = flag_fp = flag_fn = 0
    idea_tp = idea_fp = idea_fn = 0
    for reply, scorer in zip(test, scorers, strict=True):
        feedback = scorer.score(reply.text)
        verdict_hits += feedback.verdict == reply.label
        predicted_row = feedback.dont_say[0].row if feedback.dont_say else 0
        row_hits += predicted_row == reply.dont_say
        flagged, truly = bool(feedback.dont_say), reply.dont_say > 0
        flag_tp += flagged and truly
        flag_fp += flagged and not truly
        flag_fn += truly and not flagged
        predicted_ideas = {i.key for i in feedback.ideas}
        for key in IDEAS:
            idea_tp += key in predicted_ideas and key in reply.ideas
            idea_fp += key in predicted_ideas and key not in reply.ideas
            idea_fn += key not in predicted_ideas and key in reply.ideas

    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    return Evaluation(
        train_size=train_size,
        test_size=len(test),
        verdict_accuracy=ratio(verdict_hits, len(test)),
        dont_say_row_accuracy=ratio(row_hits, len(test)),
        dont_say_precision=ratio(flag_tp, flag_tp + flag_fp),
        dont_say_recall=ratio(flag_tp, flag_tp + flag_fn),
        ideas_micro_f1=ratio(2 * idea_tp, 2 * idea_tp + idea_fp + idea_fn),
    )
