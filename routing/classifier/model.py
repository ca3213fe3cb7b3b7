"""The runtime router: rebuilds the fitted TF-IDF + logistic-regression heads from plain data.

Why not sklearn at request time: `route()` sits in the request path (the course's small model
"runs inline"), and sklearn's per-call validation costs more than the arithmetic. Here a task
is vectorised once (the same tokenisation as sklearn's TfidfVectorizer, checked by a parity
test), and one sparse dot product against the stacked coefficient matrix scores every head.
Nothing is unpickled: vocabularies and classes come from JSON, arrays from an .npz read with
allow_pickle=False, both shipped inside the package.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent / "model"
# Route reads at most this much of a task; longer text keeps latency bounded.
MAX_ROUTE_CHARS = 4000

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # sklearn's default token_pattern
_WHITESPACES = re.compile(r"\s\s+")  # sklearn's char_wb whitespace squeeze
_WORD_CHARS = re.compile(r"\w+")


def _word_ngrams(text: str, low: int, high: int) -> list[str]:
    tokens = _TOKEN.findall(text)
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        for i in range(len(tokens) - n + 1):
            grams.append(" ".join(tokens[i : i + n]))
    return grams


def _char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """sklearn's _char_wb_ngrams: n-grams inside space-padded words."""
    grams: list[str] = []
    for word in _WHITESPACES.sub(" ", text).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a short word is counted once
                break
    return grams


WORD_CACHE_SIZE = 50_000  # distinct words whose char n-gram columns are remembered
_NO_COLUMNS = np.zeros(0, dtype=np.intp)
_NO_VALUES = np.zeros(0, dtype=np.float64)

# Below this many recognised word n-grams a reading is shrunk towards "don't know", so empty,
# meaningless or foreign text gets a valid decision with low confidence instead of a guess.
EVIDENCE_WORDS = 3


def evidence(n_word: int) -> float:
    return min(1.0, n_word / EVIDENCE_WORDS)


class RouterModel:
    """Five heads (tier + four dimensions) over one shared TF-IDF feature space."""

    def __init__(
        self,
        meta: dict,
        vocab: dict[str, list[str]],
        idf_word: np.ndarray,
        idf_char: np.ndarray,
        weights: np.ndarray,
        intercepts: np.ndarray,
    ) -> None:
        self.meta = meta
        config = meta["config"]
        self.word_range = tuple(config["word_ngrams"])
        self.char_range = tuple(config["char_ngrams"]) if config.get("char_ngrams") else None
        self.sublinear = bool(config["sublinear_tf"])
        self.word_terms = vocab["word"]
        self.char_terms = vocab["char"]
        self.word_index = {term: i for i, term in enumerate(self.word_terms)}
        offset = len(self.word_terms)
        self.char_index = {term: offset + i for i, term in enumerate(self.char_terms)}
        self.idf = np.concatenate([idf_word, idf_char])
        self._char_cache: dict[str, np.ndarray] = {}
        self.weights = np.ascontiguousarray(weights)
        self.intercepts = intercepts
        self.classes: dict[str, list[str]] = meta["classes"]
        self.columns: dict[str, slice] = {}
        start = 0
        for head in meta["heads"]:
            width = len(self.classes[head])
            self.columns[head] = slice(start, start + width)
            start += width
        if start != self.weights.shape[1] or self.weights.shape[0] != len(self.idf):
            raise ValueError("router parameters do not fit together; retrain the router")

    # --- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> RouterModel:
        payload = json.loads((directory / "router.json").read_text("utf-8"))
        with np.load(directory / "router.npz", allow_pickle=False) as arrays:
            return cls.from_parameters({**payload, **arrays})

    @classmethod
    def from_parameters(cls, parameters: dict) -> RouterModel:
        return cls(
            meta=parameters["meta"],
            vocab=parameters["vocab"],
            idf_word=parameters["idf_word"],
            idf_char=parameters["idf_char"],
            weights=parameters["weights"],
            intercepts=parameters["intercepts"],
        )

    # --- features --------------------------------------------------------------------------
    def _weigh(self, found: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Counts of vocabulary columns -> sublinear tf x idf, L2-normalised (one block)."""
        if found.size == 0:
            return _NO_COLUMNS, _NO_VALUES
        columns, counts = np.unique(found, return_counts=True)
        tf = 1.0 + np.log(counts) if self.sublinear else counts.astype(np.float64)
        values = tf * self.idf[columns]
        return columns, values / math.sqrt(float(values @ values))

    def _char_columns(self, word: str) -> np.ndarray:
        """A word's char_wb n-gram columns (with repeats). char_wb n-grams never cross a
        space, so a text's n-grams are its words' n-grams: cache them per word."""
        found = self._char_cache.get(word)
        if found is None:
            index = self.char_index
            found = np.array(
                [index[g] for g in _char_wb_ngrams(word, *self.char_range) if g in index],
                dtype=np.intp,
            )
            if len(self._char_cache) >= WORD_CACHE_SIZE:
                self._char_cache.clear()
            self._char_cache[word] = found
        return found

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray, int]:
        """(columns, tf-idf values, how many of them are word n-grams) for one text."""
        lowered = text[:MAX_ROUTE_CHARS].lower()
        index = self.word_index
        word_found = [index[g] for g in _word_ngrams(lowered, *self.word_range) if g in index]
        word_cols, word_vals = self._weigh(np.array(word_found, dtype=np.intp))
        if not self.char_range:
            return word_cols, word_vals, len(word_cols)
        parts = [self._char_columns(word) for word in lowered.split()]
        char_cols, char_vals = self._weigh(np.concatenate(parts) if parts else _NO_COLUMNS)
        return (
            np.concatenate([word_cols, char_cols]),
            np.concatenate([word_vals, char_vals]),
            len(word_cols),
        )

    # --- scoring ---------------------------------------------------------------------------
    def logits(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        if len(columns) == 0:
            return self.intercepts.copy()
        return values @ self.weights[columns] + self.intercepts

    def probabilities(
        self, logits: np.ndarray, evidence: float = 1.0
    ) -> dict[str, dict[str, float]]:
        """Softmax per head, shrunk towards uniform when `evidence` < 1 (few known words)."""
        result = {}
        for head, columns in self.columns.items():
            z = logits[columns]
            z = np.exp(z - z.max())
            p = z / z.sum()
            if evidence < 1.0:
                p = evidence * p + (1.0 - evidence) / len(p)
            result[head] = dict(zip(self.classes[head], p.tolist(), strict=True))
        return result

    def pushes(self, columns: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(logits, per-feature pushes): pushes[i, j] is feature i's share of logit j."""
        if len(columns) == 0:
            return self.intercepts.copy(), np.zeros((0, self.weights.shape[1]))
        push = values[:, None] * self.weights[columns]
        return push.sum(axis=0) + self.intercepts, push

    def column_of(self, head: str, label: str) -> int:
        return self.columns[head].start + self.classes[head].index(label)

    def term(self, column: int) -> str:
        if column < len(self.word_terms):
            return self.word_terms[column]
        return self.char_terms[column - len(self.word_terms)]

    def predict_labels(self, text: str) -> dict[str, str]:
        """The top label of every head (used by the benchmark and CV-style evaluation)."""
        columns, values, n_word = self.features(text)
        probabilities = self.probabilities(self.logits(columns, values), evidence(n_word))
        return {head: max(p, key=p.get) for head, p in probabilities.items()}


_model: RouterModel | None = None
_lock = threading.Lock()


def get_model() -> RouterModel:
    """The process-wide model, loaded once (trained in memory if the files are missing)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                try:
                    _model = RouterModel.load()
                except FileNotFoundError:
                    logger.warning("router model files missing; training from the corpus")
                    from .corpus import load_corpus
                    from .training import DEFAULT_VARIANT, VARIANTS, fit_parameters

                    _model = RouterModel.from_parameters(
                        fit_parameters(load_corpus(), VARIANTS[DEFAULT_VARIANT])
                    )
    return _model


def reset_model() -> None:
    """Forget the loaded model (after `train_router` in the same process)."""
    global _model
    with _lock:
        _model = None
