"""The labelled corpus: every CSV in routing/data/corpus/, in the rubric's labels; and the
fresh-writer evaluation set in routing/data/eval/ (same format, never trained on).

Files carry the rubric's columns, and (RUBRIC.md v2) `register` and `source`, the writer. A
file without them is the first writer's ("writer-a")."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from enablement.vocabulary import DIMENSION_VALUES, TIERS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CORPUS_DIR = DATA_DIR / "corpus"
EVAL_DIR = DATA_DIR / "eval"
FIELDS: tuple[str, ...] = ("text", "tier", "reasoning", "latency", "volume", "stakes", "domain")
FIELDS_V2: tuple[str, ...] = (*FIELDS, "register", "source")
FIRST_WRITER = "writer-a"
LABELS: dict[str, tuple[str, ...]] = {"tier": TIERS, **DIMENSION_VALUES}
HEADS: tuple[str, ...] = tuple(LABELS)


class CorpusError(ValueError):
    """A corpus row that breaks the format or the rubric's label set."""


@dataclass(frozen=True)
class Example:
    text: str
    tier: str
    reasoning: str
    latency: str
    volume: str
    stakes: str
    domain: str
    source: str  # "file.csv:line"
    writer: str = FIRST_WRITER
    register: str = ""

    def label(self, head: str) -> str:
        return getattr(self, head)


def corpus_files(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("*.csv"))


def load_corpus(directory: Path = CORPUS_DIR) -> list[Example]:
    """Every row of every corpus CSV, validated; raises CorpusError naming file and line."""
    examples: list[Example] = []
    for path in corpus_files(directory):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) not in (FIELDS, FIELDS_V2):
                raise CorpusError(f"{path.name}: header must be {','.join(FIELDS_V2)}")
            for row in reader:
                where = f"{path.name}:{reader.line_num}"
                text = (row.get("text") or "").strip()
                if not text:
                    raise CorpusError(f"{where}: empty text")
                for head, allowed in LABELS.items():
                    value = (row.get(head) or "").strip()
                    if value not in allowed:
                        raise CorpusError(f"{where}: {head}={value!r} is not one of {allowed}")
                examples.append(
                    Example(
                        text=text,
                        tier=row["tier"].strip(),
                        reasoning=row["reasoning"].strip(),
                        latency=row["latency"].strip(),
                        volume=row["volume"].strip(),
                        stakes=row["stakes"].strip(),
                        domain=(row.get("domain") or "").strip(),
                        source=where,
                        writer=(row.get("source") or "").strip() or FIRST_WRITER,
                        register=(row.get("register") or "").strip(),
                    )
                )
    return examples


def corpus_digest(directory: Path = CORPUS_DIR) -> str:
    """A fingerprint of the corpus files, saved with the model so a stale model is noticed."""
    digest = hashlib.sha256()
    for path in corpus_files(directory):
        digest.update(path.name.encode())
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()
