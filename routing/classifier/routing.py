"""route(text): the tier, the four dimension readings, the phrases that drove it, step-up."""

from __future__ import annotations

import logging
import re

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from enablement.vocabulary import NEXT_TIER, TIERS

from .decision import DimensionReading, RoutingDecision
from .model import MAX_ROUTE_CHARS, RouterModel, _char_wb_ngrams, evidence, get_model

logger = logging.getLogger(__name__)

DEFAULT_STEP_UP_THRESHOLD = 0.55
MAX_PHRASES = 5
# A dimension's reason quotes a cue word only if it pushed the reading this much (logit).
CUE_PUSH = 0.25

# One line per reading, in the course's terms (the four dimensions that drive routing).
REASONS: dict[str, dict[str, str]] = {
    "reasoning": {
        "match": "The answer is a label, a score or a yes/no: the model needs to match, "
        "not synthesize.",
        "combine": "Synthesis across well-defined inputs: the model needs to combine, not "
        "judge; you can write the rubric before the model runs.",
        "judge": "Ambiguous input that needs judgment: the model needs to reason, not "
        "retrieve; no deterministic rubric exists before it runs.",
    },
    "latency": {
        "inline": "It sits in the request path before anything else happens: sub-100ms, "
        "so it runs inline.",
        "interactive": "A person is waiting for it: the 500ms–2s range fits.",
        "tolerant": "Batch or asynchronous work: seconds are fine, even frontier's 3–15s.",
    },
    "volume": {
        "high": "It runs on every request, message or transaction: cost sensitivity is high "
        "and the cost difference compounds at scale.",
        "medium": "Hundreds to thousands a day: cost matters, and mid-tier is where the "
        "economics of production AI live.",
        "low": "Occasional, per case: volume is low, so per-request cost matters least.",
    },
    "stakes": {
        "low": "A wrong answer is cheap and easily caught.",
        "recoverable": "A wrong answer is recoverable: someone notices and fixes it.",
        "high": "A wrong answer carries legal, financial, safety or security harm.",
    },
}

_PHRASE_WORD = re.compile(r"\w[\w'/-]*\w|\w")


def _threshold(threshold: float | None, model: RouterModel) -> float:
    """The caller's, else ROUTER_STEP_UP_THRESHOLD from the environment, else the one chosen
    by measurement when the model was trained (train_router), else the default."""
    if threshold is not None:
        return threshold
    try:
        from django.conf import settings

        configured = getattr(settings, "ROUTER_STEP_UP_THRESHOLD", None)
    except Exception:  # settings not configured (plain Python use)
        configured = None
    if configured is not None:
        return float(configured)
    return float(model.meta.get("step_up_threshold", DEFAULT_STEP_UP_THRESHOLD))


MAX_PHRASE_CHARS = 40


def _is_readable(term: str) -> bool:
    """A word n-gram worth showing: short, and not made only of stop words or digits."""
    if len(term) > MAX_PHRASE_CHARS:
        return False
    return any(w not in ENGLISH_STOP_WORDS and not w.isdigit() for w in term.split())


def _phrases(
    model: RouterModel,
    text: str,
    columns: np.ndarray,
    push: np.ndarray,
    n_word: int,
    limit: int = MAX_PHRASES,
    min_push: float = 0.0,
) -> list[str]:
    """The n-grams in `text` that pushed hardest (`push`, one value per feature): words first.

    Word 1-2 grams are shown as they are. Character n-grams are credited to the words they
    come from, so a strong fragment still surfaces as a readable word of the text.
    """
    if len(columns) == 0:
        return []
    chosen: list[str] = []
    word_push = push[:n_word]
    for i in np.argsort(-word_push, kind="stable"):
        if word_push[i] <= min_push:
            break
        term = model.word_terms[columns[i]]
        if not _is_readable(term):
            continue
        if any(term in other.split() or term == other for other in chosen):
            continue
        if " " in term:  # a bigram replaces its own unigrams already chosen
            chosen = [c for c in chosen if c not in term.split()]
        chosen.append(term)
        if len(chosen) >= limit:
            return chosen
    if len(chosen) >= min(3, limit) or n_word == len(columns) or min_push > 0:
        return chosen
    # Few word n-grams matched: credit character n-grams to the words that contain them.
    char_push = {model.term(int(columns[i])): push[i] for i in range(n_word, len(columns))}
    scored = []
    low, high = model.char_range or (2, 5)
    for word in {w.lower() for w in _PHRASE_WORD.findall(text[:MAX_ROUTE_CHARS])}:
        score = sum(char_push.get(gram, 0.0) for gram in set(_char_wb_ngrams(word, low, high)))
        if score > 0 and _is_readable(word):
            scored.append((score, word))
    for _, word in sorted(scored, reverse=True):
        if all(word not in c.split() for c in chosen):
            chosen.append(word)
        if len(chosen) >= limit:
            break
    return chosen


def route(text: str, *, threshold: float | None = None) -> RoutingDecision:
    """Route one task description to a tier. Never raises for any str.

    Step-up policy (like step-up MFA on a weak risk signal): when the classifier's
    confidence is below the threshold (settings.ROUTER_STEP_UP_THRESHOLD), the task
    escalates one tier (small -> mid, mid -> frontier) and the decision says so.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    model = get_model()
    columns, values, n_word = model.features(text)
    logits, pushes = model.pushes(columns, values)
    probabilities = model.probabilities(logits, evidence(n_word))
    tier_p = probabilities["tier"]
    model_tier = max(TIERS, key=lambda t: tier_p.get(t, 0.0))
    confidence = float(tier_p[model_tier])

    limit = _threshold(threshold, model)
    stepped_up = False
    step_up_reason = ""
    tier = model_tier
    if confidence < limit:
        if model_tier == "frontier":
            step_up_reason = (
                f"Confidence {confidence:.0%} is below the {limit:.0%} step-up threshold; "
                "frontier is already the top tier, so it stays there."
            )
        else:
            tier = NEXT_TIER[model_tier]
            stepped_up = True
            step_up_reason = (
                f"Confidence {confidence:.0%} is below the {limit:.0%} step-up threshold, so "
                f"the task escalates one tier, {model_tier} to {tier}, the way adaptive "
                "authentication steps up on a weak signal."
            )

    dimensions = []
    for head in ("reasoning", "latency", "volume", "stakes"):
        head_p = probabilities[head]
        label = max(head_p, key=head_p.get)
        reason = REASONS[head][label]
        if n_word == 0:
            reason = f"No recognisable task words, so this reading is a guess. {reason}"
        else:
            push = pushes[:, model.column_of(head, label)]
            cue = _phrases(model, text, columns, push, n_word, limit=1, min_push=CUE_PUSH)
            if cue:
                reason = f"{reason} Cue: “{cue[0]}”."
        dimensions.append(
            DimensionReading(name=head, label=label, confidence=head_p[label], reason=reason)
        )

    return RoutingDecision(
        text=text,
        tier=tier,
        model_tier=model_tier,
        confidence=confidence,
        probabilities={t: float(tier_p.get(t, 0.0)) for t in TIERS},
        dimensions=dimensions,
        phrases=_phrases(
            model, text, columns, pushes[:, model.column_of("tier", model_tier)], n_word
        ),
        stepped_up=stepped_up,
        step_up_reason=step_up_reason,
    )
