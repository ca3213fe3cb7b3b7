"""The role-play scorer (see model.py)."""

import threading

from lessons.models import ContentVersion

from .model import IDEAS, MAX_REPLY_CHARS, Feedback, Scorer, load_guide, load_training_replies

__all__ = ["IDEAS", "MAX_REPLY_CHARS", "Feedback", "Scorer", "get_scorer", "score_reply"]

_trained: dict[int, Scorer] = {}
_lock = threading.Lock()


def get_scorer() -> Scorer:
    """The scorer trained on the labelled replies and the field guide as it stands now:
    trained once per process and content version, so an admin's edit to a guide row is
    coached from on the next reply."""
    version = ContentVersion.objects.current()
    scorer = _trained.get(version)
    if scorer is None:
        with _lock:
            scorer = _trained.get(version)
            if scorer is None:
                scorer = Scorer(load_training_replies(), load_guide())
                _trained.clear()
                _trained[version] = scorer
    return scorer


def score_reply(
    text: str, *, ideas: list[str] | None = None, guide_rows: list[int] | None = None
) -> Feedback:
    return get_scorer().score(text, expected_ideas=ideas, guide_rows=guide_rows)
