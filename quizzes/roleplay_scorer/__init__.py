"""The role-play scorer (see model.py). `get_scorer()` trains once per process."""

from functools import lru_cache

from .model import IDEAS, MAX_REPLY_CHARS, Feedback, Scorer, load_guide, load_replies

__all__ = ["IDEAS", "MAX_REPLY_CHARS", "Feedback", "Scorer", "get_scorer", "score_reply"]


@lru_cache(maxsize=1)
def get_scorer() -> Scorer:
    """The scorer trained on the whole labelled set and the field guide (cached)."""
    return Scorer(load_replies(), load_guide())


def score_reply(
    text: str, *, ideas: list[str] | None = None, guide_rows: list[int] | None = None
) -> Feedback:
    return get_scorer().score(text, expected_ideas=ideas, guide_rows=guide_rows)
