"""The router's data: the fresh-writer evaluation set and the scenario bank are never trained
on, and the corpus and evaluation set follow the rubric's format."""

import re
from collections import Counter

import yaml

from practice.content import content_dir
from routing.classifier.corpus import EVAL_DIR, load_corpus


def normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_no_evaluation_row_or_scenario_task_is_in_the_training_data():
    training = {normalised(e.text) for e in load_corpus()}
    fresh = load_corpus(EVAL_DIR)
    assert len(fresh) >= 300
    assert not [e.source for e in fresh if normalised(e.text) in training]
    bank = yaml.safe_load((content_dir() / "scenarios.yaml").read_text("utf-8"))
    assert not [s["slug"] for s in bank if normalised(s["task"]) in training]


def test_the_overlap_check_sees_a_copy_that_differs_only_in_case_and_punctuation():
    assert normalised("Tag every ticket, by product!") == normalised("tag EVERY ticket by product")


def test_the_corpus_has_many_writers_registers_and_industries():
    corpus = load_corpus()
    writers = Counter(e.writer for e in corpus)
    assert len(corpus) >= 3000
    assert len(writers) >= 6
    assert len({e.domain for e in corpus}) >= 40
    assert len({e.register for e in corpus if e.register}) >= 8


def test_the_evaluation_writers_are_not_training_writers():
    training_writers = {e.writer for e in load_corpus()}
    assert not {e.writer for e in load_corpus(EVAL_DIR)} & training_writers
