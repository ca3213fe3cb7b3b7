"""Training the router: scikit-learn fits, cross-validates, and exports plain parameters.

The server never unpickles anything. `export()` turns the fitted TF-IDF vocabularies, idf
weights and logistic-regression coefficients into JSON (vocabulary, classes, config) plus an
.npz of float arrays (loaded with allow_pickle=False), and `routing.classifier.model`
rebuilds the same arithmetic from them with no sklearn in the request path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import FeatureUnion

from enablement.vocabulary import NEXT_TIER, TIERS

from .corpus import HEADS, LABELS, Example

SEED = 20260527
MODEL_DIR = Path(__file__).resolve().parent / "model"
PARAMS_JSON = "router.json"
PARAMS_NPZ = "router.npz"

# Variants measured by `train_router --compare` (5-fold CV on the corpus). `DEFAULT_VARIANT`
# is the one the server uses; the measurements that chose it are in the README.
VARIANTS: dict[str, dict] = {
    "baseline": {
        "word_ngrams": (1, 2),
        "char_ngrams": (2, 5),
        "sublinear_tf": False,
        "min_df": 1,
        "C": 1.0,
        "class_weight": None,
    },
    "sublinear-C10": {
        "word_ngrams": (1, 2),
        "char_ngrams": (2, 5),
        "sublinear_tf": True,
        "min_df": 1,
        "C": 10.0,
        "class_weight": "balanced",
    },
    "sublinear-C10-mindf2": {
        "word_ngrams": (1, 2),
        "char_ngrams": (2, 5),
        "sublinear_tf": True,
        "min_df": 2,
        "C": 10.0,
        "class_weight": "balanced",
    },
    "word-only-C10": {
        "word_ngrams": (1, 2),
        "char_ngrams": None,
        "sublinear_tf": True,
        "min_df": 1,
        "C": 10.0,
        "class_weight": "balanced",
    },
}
DEFAULT_VARIANT = "sublinear-C10-mindf2"


def build_vectoriser(config: dict) -> FeatureUnion:
    """Word 1-2 grams and char_wb n-grams, each TF-IDF'd and L2-normalised, side by side."""

    def tfidf(analyzer: str, ngrams: list[int]) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=analyzer,
            ngram_range=tuple(ngrams),
            lowercase=True,
            sublinear_tf=config["sublinear_tf"],
            min_df=config["min_df"],
            dtype=np.float64,
        )

    parts = [("word", tfidf("word", config["word_ngrams"]))]
    if config.get("char_ngrams"):
        parts.append(("char", tfidf("char_wb", config["char_ngrams"])))
    return FeatureUnion(parts)


def build_head(config: dict) -> LogisticRegression:
    return LogisticRegression(
        C=config["C"], class_weight=config["class_weight"], max_iter=5000, random_state=SEED
    )


@dataclass
class HeadReport:
    head: str
    accuracy: float
    macro_f1: float
    labels: tuple[str, ...]
    confusion: list[list[int]]

    def render(self) -> str:
        width = max(len(label) for label in self.labels) + 2
        corner = "true \\ predicted"
        first = max(width, len(corner) + 2)
        lines = [
            f"{self.head}: accuracy {self.accuracy:.3f}  macro-F1 {self.macro_f1:.3f}",
            "  " + corner.ljust(first) + "".join(lab.rjust(width) for lab in self.labels),
        ]
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append("  " + label.ljust(first) + "".join(str(n).rjust(width) for n in row))
        return "\n".join(lines)


def _report(head: str, truth: list[str], predicted: list[str]) -> HeadReport:
    labels = LABELS[head]
    return HeadReport(
        head=head,
        accuracy=float(accuracy_score(truth, predicted)),
        macro_f1=float(f1_score(truth, predicted, labels=list(labels), average="macro")),
        labels=labels,
        confusion=confusion_matrix(truth, predicted, labels=list(labels)).tolist(),
    )


def _fit_predict(train: list[Example], test: list[Example], config: dict) -> dict[str, list[str]]:
    vectoriser = build_vectoriser(config)
    x_train = vectoriser.fit_transform([e.text for e in train])
    x_test = vectoriser.transform([e.text for e in test])
    predictions = {}
    fitted: dict[tuple[str, ...], list[str]] = {}
    for head in HEADS:
        labels = tuple(e.label(head) for e in train)
        if labels not in fitted:  # the rubric ties reasoning to tier: same labels, same fit
            fitted[labels] = list(build_head(config).fit(x_train, labels).predict(x_test))
        predictions[head] = fitted[labels]
    return predictions


def cross_validate(examples: list[Example], config: dict, folds: int = 5) -> dict[str, HeadReport]:
    """Stratified (by tier) k-fold CV; one shared vectoriser per fold, one model per head."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    tiers = [e.tier for e in examples]
    predicted: dict[str, list[str | None]] = {head: [None] * len(examples) for head in HEADS}
    for train_idx, test_idx in splitter.split(np.zeros(len(examples)), tiers):
        train = [examples[i] for i in train_idx]
        test = [examples[i] for i in test_idx]
        fold = _fit_predict(train, test, config)
        for head in HEADS:
            for position, i in enumerate(test_idx):
                predicted[head][i] = fold[head][position]
    return {
        head: _report(head, [e.label(head) for e in examples], predicted[head]) for head in HEADS
    }


def leave_one_writer_out(
    examples: list[Example], config: dict
) -> list[tuple[Example, dict[str, dict[str, float]]]]:
    """Each example with the head probabilities of a model fitted without its writer's rows,
    computed as the server computes them (the runtime model rebuilt from the fit)."""
    from .model import RouterModel, evidence

    writers = sorted({e.writer for e in examples})
    if len(writers) < 2:
        raise ValueError("Leave-one-writer-out needs rows from at least two writers.")
    results = []
    for writer in writers:
        train = [e for e in examples if e.writer != writer]
        model = RouterModel.from_parameters(fit_parameters(train, config))
        for example in (e for e in examples if e.writer == writer):
            columns, values, n_word = model.features(example.text)
            probabilities = model.probabilities(model.logits(columns, values), evidence(n_word))
            results.append((example, probabilities))
    return results


def step_up(tier_p: dict[str, float], threshold: float) -> str:
    """The served tier: the model's pick, one tier up when its confidence is under the
    threshold (the router's step-up policy, as in adaptive authentication)."""
    top = max(TIERS, key=lambda t: tier_p.get(t, 0.0))
    return NEXT_TIER[top] if tier_p[top] < threshold else top


# Candidates from 0.35 to 0.80: at or below a third the rule could never fire (the top of three
# probabilities is at least a third), and a text the router knows nothing about must step up.
THRESHOLDS = tuple(round(0.35 + 0.05 * i, 2) for i in range(10))


def choose_step_up_threshold(
    results: list[tuple[Example, dict[str, dict[str, float]]]],
) -> tuple[float, dict[float, float]]:
    """The threshold with the best served tier accuracy on held-out writers (ties: the lower,
    which escalates less); returns it and the accuracy at each candidate."""
    scores = {
        threshold: sum(step_up(p["tier"], threshold) == e.tier for e, p in results) / len(results)
        for threshold in THRESHOLDS
    }
    best = max(THRESHOLDS, key=lambda t: (scores[t], -t))
    return best, scores


def reports_from(results: list[tuple[Example, dict[str, dict[str, float]]]], threshold=None):
    """Per-head reports from probabilities; the tier head served with step-up when given."""
    reports = {}
    for head in HEADS:
        truth = [e.label(head) for e, _ in results]
        if head == "tier" and threshold is not None:
            predicted = [step_up(p["tier"], threshold) for _, p in results]
        else:
            predicted = [max(p[head], key=p[head].get) for _, p in results]
        reports[head] = _report(head, truth, predicted)
    return reports


def held_out_split(
    examples: list[Example], test_size: float = 0.2
) -> tuple[list[Example], list[Example]]:
    """The benchmark's fixed, tier-stratified held-out split."""
    train, test = train_test_split(
        examples, test_size=test_size, random_state=SEED, stratify=[e.tier for e in examples]
    )
    return list(train), list(test)


def evaluate(test: list[Example], route_fn) -> dict[str, HeadReport]:
    """Score a fitted router (anything with .predict_labels(text)) on labelled examples."""
    predicted = {head: [] for head in HEADS}
    for example in test:
        labels = route_fn(example.text)
        for head in HEADS:
            predicted[head].append(labels[head])
    return {head: _report(head, [e.label(head) for e in test], predicted[head]) for head in HEADS}


# --- Fitting and export ------------------------------------------------------------------------


def fit_parameters(examples: list[Example], config: dict, digest: str = "") -> dict:
    """Fit on `examples` and return the plain parameters the runtime model rebuilds from."""
    vectoriser = build_vectoriser(config)
    x = vectoriser.fit_transform([e.text for e in examples])
    blocks = dict(vectoriser.transformer_list)
    vocab: dict[str, list[str]] = {}
    idf: dict[str, np.ndarray] = {}
    for name in ("word", "char"):
        if name in blocks:
            fitted: TfidfVectorizer = blocks[name]
            terms = fitted.get_feature_names_out().tolist()  # ordered by column index
            vocab[name] = terms
            idf[name] = np.asarray(fitted.idf_, dtype=np.float64)
        else:
            vocab[name] = []
            idf[name] = np.zeros(0, dtype=np.float64)

    coef_blocks, intercepts, classes = [], [], {}
    fitted: dict[tuple[str, ...], LogisticRegression] = {}
    for head in HEADS:
        labels = tuple(e.label(head) for e in examples)
        if labels not in fitted:  # reasoning mirrors tier under the rubric: fit once
            fitted[labels] = build_head(config).fit(x, labels)
        model = fitted[labels]
        head_classes = [str(c) for c in model.classes_]
        coef = model.coef_
        intercept = model.intercept_
        if len(head_classes) == 2:
            # Binary LR has one row; as logits [0, z] softmax gives the same sigmoid.
            coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
            intercept = np.array([0.0, intercept[0]])
        classes[head] = head_classes
        coef_blocks.append(coef.T)
        intercepts.append(intercept)
    return {
        "meta": {
            "format": 1,
            "config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in config.items()},
            "heads": list(HEADS),
            "classes": classes,
            "corpus_sha256": digest,
            "rows": len(examples),
            "seed": SEED,
        },
        "vocab": vocab,
        "idf_word": idf["word"],
        "idf_char": idf["char"],
        "weights": np.hstack(coef_blocks).astype(np.float64),
        "intercepts": np.concatenate(intercepts).astype(np.float64),
        "_vectoriser": vectoriser,
    }


def export(parameters: dict, directory: Path = MODEL_DIR) -> list[Path]:
    """Write router.json and router.npz atomically (temp file, then rename)."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path, npz_path = directory / PARAMS_JSON, directory / PARAMS_NPZ
    json_tmp, npz_tmp = directory / f"{PARAMS_JSON}.tmp", directory / "router-npz.tmp"
    payload = {"meta": parameters["meta"], "vocab": parameters["vocab"]}
    json_tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), "utf-8")
    with npz_tmp.open("wb") as handle:
        np.savez_compressed(
            handle,
            idf_word=parameters["idf_word"],
            idf_char=parameters["idf_char"],
            weights=parameters["weights"],
            intercepts=parameters["intercepts"],
        )
    json_tmp.replace(json_path)
    npz_tmp.replace(npz_path)
    return [json_path, npz_path]
