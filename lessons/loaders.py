"""Loads lesson content from lessons/content/ (see the lessons issue)."""


def load() -> str:
    return "no lesson content yet"
