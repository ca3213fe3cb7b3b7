"""The role-play scorer: a small scikit-learn model of our own, plus the field guide.

Trained in-process with a fixed seed (no pickle to load), from:

- practice/content/roleplay/replies.csv: AE replies labelled strong/weak, the Don't-say row
  (0 = none) and the Do-say ideas they carry;
- the field guide's ten rows as admins keep them (lessons.FieldGuideEntry): each Don't-say
  line is added as a weak example of its row and each Do-say line as a strong one, and the
  feedback quotes them.

Three linear models share one TF-IDF representation (word 1-2 grams + character 2-5 grams):
strong vs weak, which Don't-say row (0-10), and one yes/no per Do-say idea. Linear models
keep it explainable: the feedback names the phrases whose weights pushed each call, and the
hand-written cues (cues.py) name the words that matched a framing.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from lessons.models import FieldGuideEntry

from .cues import dont_say_cues, idea_cues

SEED = 20261127
MAX_REPLY_CHARS = 2000

IDEAS: dict[str, str] = {
    "tier_named": "Names the tier fit for the task",
    "routing_logic": "Routing logic: task complexity matched to tier",
    "fit_for_purpose": "The right model for each task, not “the best”",
    "midtier_cost_share": "Most traffic (about 80%) on mid-tier at 10–20% of frontier cost",
    "accuracy_at_tier": "“Accuracy at which tier?”: task fit and evaluation",
    "prediction_not_policy": "Routing is a prediction by a small model, not a policy lookup",
}

# Decision thresholds, chosen by cross-validation on the training split (see evaluate.py).
DONT_SAY_THRESHOLD = 0.45  # flag a row on the model alone
DONT_SAY_CUE_THRESHOLD = 0.12  # flag a row when its cue matched and the model agrees a little
CUE_STRONG_GUARD = 0.6  # ...or when its cue matched and the reply does not read as strong
SECOND_ROW_THRESHOLD = 0.25  # show a further Don't-say row besides the main one
IDEA_THRESHOLD = 0.5
IDEA_CUE_THRESHOLD = 0.25
STRONG_SCORE = 50  # a reply with no Don't-say framing is strong from this score up
DONT_SAY_SCORE_CAP = 35  # a reply that falls into a Don't-say framing scores at most this


REPLIES_PATH = Path(__file__).resolve().parent.parent / "content" / "roleplay" / "replies.csv"
# Managers' reviewed conversations, exported as labelled rows (score_roleplay --export-reviews);
# trained on when present, never part of the held-out evaluation split's source file.
REVIEWS_PATH = REPLIES_PATH.with_name("reviews.csv")


@dataclass(frozen=True)
class LabelledReply:
    text: str
    label: str  # "strong" | "weak"
    dont_say: int  # 0 = none, else the guide row
    ideas: frozenset[str]
    prompt: str = ""


@dataclass(frozen=True)
class GuideRow:
    order: int
    dont_say: str
    do_say: str
    why: str


def load_training_replies() -> list[LabelledReply]:
    """What the served scorer trains on: the labelled replies and the managers' reviews."""
    reviewed = load_replies(REVIEWS_PATH) if REVIEWS_PATH.exists() else []
    return load_replies() + reviewed


def load_replies(path: Path | None = None) -> list[LabelledReply]:
    with open(path or REPLIES_PATH, encoding="utf-8", newline="") as handle:
        return [
            LabelledReply(
                text=row["text"].strip(),
                label=row["label"].strip(),
                dont_say=int(row["dont_say"] or 0),
                ideas=frozenset(i.strip() for i in row["ideas"].split(";") if i.strip()),
                prompt=row["prompt"].strip(),
            )
            for row in csv.DictReader(handle)
            if row.get("text", "").strip()
        ]


def load_guide() -> list[GuideRow]:
    """The field guide's rows from the database, as admins edit them."""
    return [
        GuideRow(order=row.order, dont_say=row.dont_say, do_say=row.do_say, why=row.why)
        for row in FieldGuideEntry.objects.order_by("order")
    ]


def guide_examples(guide: list[GuideRow]) -> list[LabelledReply]:
    """The guide's own lines as training examples for the verdict and Don't-say heads: Don't
    say is weak, Do say is strong. They carry no idea labels (nobody labelled them against
    IDEAS.md), so the idea heads learn from the labelled replies alone."""
    examples = []
    for row in guide:
        examples.append(LabelledReply(row.dont_say, "weak", row.order, frozenset()))
        examples.append(LabelledReply(row.do_say, "strong", 0, frozenset()))
    return examples


# --- Results --------------------------------------------------------------------------------
@dataclass
class DontSayHit:
    row: int
    dont_say: str
    do_say: str
    why: str
    probability: float
    triggers: list[str]


@dataclass
class IdeaHit:
    key: str
    label: str
    probability: float
    triggers: list[str]


@dataclass
class Feedback:
    text: str
    verdict: str  # "strong" | "weak"
    score: int  # 0-100
    p_strong: float
    dont_say: list[DontSayHit] = field(default_factory=list)
    ideas: list[IdeaHit] = field(default_factory=list)
    missing_ideas: list[str] = field(default_factory=list)
    strong_phrases: list[str] = field(default_factory=list)
    weak_phrases: list[str] = field(default_factory=list)
    guide_row: GuideRow | None = None  # the row to coach from: the matched one, or the prompt's

    def as_dict(self) -> dict:
        data = asdict(self)
        data["guide_row"] = asdict(self.guide_row) if self.guide_row else None
        return data


# --- The model ------------------------------------------------------------------------------
class Scorer:
    """Fit once from labelled replies and the guide; `score()` is pure and fast."""

    def __init__(self, replies: list[LabelledReply], guide: list[GuideRow]) -> None:
        # One BLAS thread: on a busy 2-core host, thread contention made training 10x slower.
        with threadpool_limits(limits=1):
            self._train(replies, guide)

    def _train(self, replies: list[LabelledReply], guide: list[GuideRow]) -> None:
        self.guide = {row.order: row for row in guide}
        examples = list(replies) + guide_examples(guide)
        texts = [e.text for e in examples]
        self.word_vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        self.char_vec = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
        )
        self.word_vec.fit(texts)
        self.char_vec.fit(texts)
        self.n_word = len(self.word_vec.vocabulary_)
        self.word_names = self.word_vec.get_feature_names_out()
        matrix = self._features(texts)

        self.verdict = self._fit(matrix, [e.label for e in examples])
        self.dont = self._fit(matrix, [e.dont_say for e in examples])
        labelled = matrix[: len(replies)]  # the replies come first; guide lines carry no ideas
        self.ideas = {
            key: self._fit(labelled, [int(key in e.ideas) for e in replies]) for key in IDEAS
        }

    @staticmethod
    def _fit(matrix, labels) -> LogisticRegression:
        model = LogisticRegression(
            C=20.0, max_iter=3000, class_weight="balanced", random_state=SEED
        )
        return model.fit(matrix, labels)

    def _features(self, texts: list[str]):
        return sparse.hstack(
            [self.word_vec.transform(texts), self.char_vec.transform(texts)], format="csr"
        )

    def _phrases(self, x, weights: np.ndarray, sign: int = 1, top: int = 3) -> list[str]:
        """The word n-grams in this reply that pushed a linear model most in one direction."""
        words = x[:, : self.n_word]
        idx = words.indices
        contributions = words.data * weights[: self.n_word][idx] * sign
        phrases = []
        for i in np.argsort(-contributions):
            phrase = str(self.word_names[idx[i]])
            if contributions[i] <= 0 or len(phrases) == top:
                break
            if any(w not in ENGLISH_STOP_WORDS and len(w) > 2 for w in phrase.split()):
                phrases.append(phrase)
        return phrases

    def _coaching_row(self, hits: list[DontSayHit], guide_rows: list[int] | None):
        if hits:
            return self.guide[hits[0].row]
        for row in guide_rows or []:
            if row in self.guide:
                return self.guide[row]
        return None

    def score(
        self,
        text: str,
        expected_ideas: list[str] | None = None,
        guide_rows: list[int] | None = None,
    ) -> Feedback:
        """Score one reply.

        `expected_ideas` and `guide_rows` come from the prompt it answers, if known: coverage
        is measured against its ideas, and its first guide row is the one to coach from when
        the reply falls into no Don't-say framing.
        """
        text = (text or "").strip()[:MAX_REPLY_CHARS]
        x = self._features([text])

        # Strong vs weak, as the learned model sees it.
        strong_index = list(self.verdict.classes_).index("strong")
        p_strong = float(self.verdict.predict_proba(x)[0, strong_index])
        coef = self.verdict.coef_[0] * (1 if strong_index == 1 else -1)
        strong_phrases = self._phrases(x, coef, 1)
        weak_phrases = self._phrases(x, coef, -1)

        # Don't-say rows: the model, tipped by the guide's cues.
        cue_words = dont_say_cues(text)
        probabilities = dict(
            zip(self.dont.classes_.tolist(), self.dont.predict_proba(x)[0], strict=True)
        )
        hits: list[DontSayHit] = []
        for row, p in probabilities.items():
            if row == 0 or row not in self.guide:
                continue
            on_model = p >= DONT_SAY_THRESHOLD and p >= probabilities.get(0, 0)
            on_cue = row in cue_words and (
                p >= DONT_SAY_CUE_THRESHOLD or p_strong < CUE_STRONG_GUARD
            )
            if on_model or on_cue:
                class_index = list(self.dont.classes_).index(row)
                triggers = []
                if row in cue_words:
                    triggers.append(cue_words[row])
                triggers += [
                    t
                    for t in self._phrases(x, self.dont.coef_[class_index])
                    if not any(t in done for done in triggers)
                ]
                guide = self.guide[row]
                hits.append(
                    DontSayHit(
                        row=row,
                        dont_say=guide.dont_say,
                        do_say=guide.do_say,
                        why=guide.why,
                        probability=round(float(p), 3),
                        triggers=triggers[:4],
                    )
                )
        # A row whose framing the cues found outranks one the model alone suspects.
        hits.sort(key=lambda h: (h.row not in cue_words, -h.probability))
        # A second framing is shown only when the model itself finds it likely.
        hits = hits[:1] + [h for h in hits[1:] if h.probability >= SECOND_ROW_THRESHOLD]

        # Do-say ideas.
        found_cues = idea_cues(text)
        ideas: list[IdeaHit] = []
        for key, model in self.ideas.items():
            p = float(model.predict_proba(x)[0, list(model.classes_).index(1)])
            if p >= IDEA_THRESHOLD or (key in found_cues and p >= IDEA_CUE_THRESHOLD):
                triggers = [found_cues[key]] if key in found_cues else []
                triggers += [t for t in self._phrases(x, model.coef_[0]) if t not in triggers]
                ideas.append(IdeaHit(key, IDEAS[key], round(p, 3), triggers[:3]))
        present = {i.key for i in ideas}
        expected = [k for k in (expected_ideas or []) if k in IDEAS]
        if expected:
            coverage = len(present & set(expected)) / len(expected)
        else:
            coverage = min(1.0, len(present) / 2)
        missing = [k for k in expected if k not in present]

        score = round(100 * (0.7 * p_strong + 0.3 * coverage))
        if hits:
            score = min(score, DONT_SAY_SCORE_CAP)
        score = max(0, min(100, score))
        verdict = "strong" if (not hits and score >= STRONG_SCORE) else "weak"
        return Feedback(
            text=text,
            verdict=verdict,
            score=score,
            p_strong=round(p_strong, 3),
            dont_say=hits,
            ideas=ideas,
            missing_ideas=missing,
            strong_phrases=strong_phrases,
            weak_phrases=weak_phrases,
            guide_row=self._coaching_row(hits, guide_rows),
        )
