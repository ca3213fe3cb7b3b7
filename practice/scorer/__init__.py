"""The role-play scorer (see model.py)."""

import threading

from .model import IDEAS, MAX_REPLY_CHARS, Feedback, Scorer, load_guide, load_training_replies

__all__ = ["IDEAS", "MAX_REPLY_CHARS", "Feedback", "Scorer", "get_scorer", "score_reply"]

_trained: dict[tuple, Scorer] = {}
_lock = threading.Lock()


def get_scorer() -> Scorer:
    """The scorer trained on the labelled replies and the field guide as it stands now (one
    small query): trained once per process and guide, so an admin's edit to a guide row is
    coached from on the next reply."""
    guide = load_guide()
    key = tuple(guide)
    scorer = _trained.get(key)
    if scorer is None:
        with _lock:
            scorer = _trained.get(key)
            if scorer is None:
                scorer = Scorer(load_training_replies(), guide)
                _trained.clear()
                _trained[key] = scorer
    return scorer


def score_reply(
    text: str, *, ideas: list[str] | None = None, guide_rows: list[int] | None = None
) -> Feedback:
    return get_scorer().score(text, expected_ideas=ideas, guide_rows=guide_rows)
