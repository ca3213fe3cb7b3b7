"""Loading version-controlled content: one helper and one policy for every app's loader.

Each content row remembers a hash of the repository text it was last loaded from. A reload
creates missing rows, overwrites a row only when its repository text changed, and leaves the
rest alone, so an admin's edit survives `load_content` until the repository text of that row
changes. Learner records are never touched.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from django.db import models


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the problem."""


class SourceHashed(models.Model):
    """A content row loaded from the repository (see `upsert`)."""

    source_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Hash of the repository text this row was last loaded from.",
    )

    class Meta:
        abstract = True


def digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path.name}: cannot read it ({error})") from error


def upsert(
    model: type[SourceHashed],
    lookup: dict,
    fields: dict,
    tally: Counter | None = None,
    hashed_too: Any = None,
) -> tuple[Any, bool]:
    """Create, update (repository text changed) or leave alone (unchanged) one row; returns
    the row and whether it was written. `hashed_too` is repository text stored elsewhere (a
    lesson's checks, a quiz's questions) that counts as a change of this row."""
    tally = tally if tally is not None else Counter()
    source_hash = digest({**lookup, **fields, "_also": hashed_too})
    row = model.objects.filter(**lookup).first()
    if row is None:
        tally["new"] += 1
        return model.objects.create(**lookup, **fields, source_hash=source_hash), True
    if row.source_hash == source_hash:
        tally["unchanged"] += 1
        return row, False
    for name, value in fields.items():
        setattr(row, name, value)
    row.source_hash = source_hash
    row.save()
    tally["updated"] += 1
    return row, True


def summary(label: str, tally: Counter) -> str:
    total = sum(tally.values())
    return (
        f"{total} {label} ({tally['new']} new, {tally['updated']} updated, "
        f"{tally['unchanged']} unchanged)"
    )
