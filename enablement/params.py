"""Reading whole numbers (ids, sizes, card numbers) from a query string or a form: the one
parser every view uses."""

from __future__ import annotations

# Longer than any id a 64-bit column holds; refused before it reaches the database.
MAX_ID_DIGITS = 18


def int_param(value: str | None) -> int | None:
    """A whole number as sent in a query string or form field (a database id, a size, a card
    number), or None when it isn't one.

    ASCII digits only: `str.isdigit()` also accepts characters such as "²", which `int()`
    then refuses (a 500 found by the hypothesis tests)."""
    if value and len(value) <= MAX_ID_DIGITS and value.isascii() and value.isdigit():
        return int(value)
    return None
