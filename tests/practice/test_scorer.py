"""The role-play scorer: Don't-say framings by meaning, Do-say lines strong, explainable."""

import pytest

from practice.scorer import evaluate as evaluation
from practice.scorer import get_scorer
from practice.scorer.evaluate import cross_validate, evaluate, split
from practice.scorer.model import Feedback, GuideRow, Scorer, load_replies
from tests.factories import repository_field_guide

# The guide rows as load_content writes them from the repository (the scorer reads them from
# the database: see test_the_scorer_coaches_from_the_guide_as_admins_edit_it).
GUIDE_ROWS = [GuideRow(**row) for row in repository_field_guide()]
GUIDE = {row.order: row for row in GUIDE_ROWS}

# Our own paraphrases of each Don't-say framing (not taken from replies.csv).
PARAPHRASES = {
    1: "Honestly, our whole company just sends every request to GPT-4o, no matter what it is.",
    2: "I'll be straight with you: running these models costs a fortune.",
    3: "For your members you want the most powerful model on the market, nothing less.",
    4: "Those small models are just not capable enough for what your team does.",
    5: "We're still running a bake-off between vendors to decide which model we'll go with.",
    6: "The agent takes care of the entire process on its own, from intake to the final answer.",
    7: "Don't worry about the details, the whole solution is powered by Anthropic.",
    8: "To be honest, nobody can forecast what the AI bill will look like from month to month.",
    9: "Let's pilot on the flagship model first and worry about the architecture later.",
    10: "Yeah, the model just makes too many mistakes to put in front of customers.",
}


@pytest.fixture(scope="module")
def scorer():
    return Scorer(load_replies(), GUIDE_ROWS)


def test_the_guide_has_ten_rows():
    assert sorted(GUIDE) == list(range(1, 11))


def test_paraphrases_are_not_in_the_training_set():
    texts = {r.text.lower() for r in load_replies()}
    assert not {p.lower() for p in PARAPHRASES.values()} & texts


@pytest.mark.parametrize("row", range(1, 11))
def test_each_dont_say_line_is_flagged_with_its_row(scorer, row):
    """The guide's own Don't-say line falls into that row, and the reply is weak."""
    feedback = scorer.score(GUIDE[row].dont_say)
    assert feedback.dont_say, GUIDE[row].dont_say
    assert feedback.dont_say[0].row == row
    assert feedback.verdict == "weak"
    # The feedback coaches from the same row: its Do-say line and why.
    assert feedback.guide_row.do_say == GUIDE[row].do_say
    assert feedback.guide_row.why == GUIDE[row].why


@pytest.mark.parametrize("row", range(1, 11))
def test_a_paraphrase_of_each_dont_say_line_is_flagged_by_meaning(scorer, row):
    feedback = scorer.score(PARAPHRASES[row])
    assert [hit.row for hit in feedback.dont_say][:1] == [row], PARAPHRASES[row]
    assert feedback.verdict == "weak"
    assert feedback.score <= 35


def test_the_issue_example_is_row_one(scorer):
    """“we just run GPT-4 on all of it” is the first Don't-say row."""
    assert scorer.score("we just run GPT-4 on all of it").dont_say[0].row == 1


@pytest.mark.parametrize("row", range(1, 11))
def test_each_do_say_line_scores_strong(scorer, row):
    feedback = scorer.score(GUIDE[row].do_say)
    assert feedback.verdict == "strong", (GUIDE[row].do_say, feedback.score)
    assert feedback.score >= 50
    assert not feedback.dont_say


def test_feedback_names_the_words_that_triggered_a_framing(scorer):
    """Explainable: the flagged row lists phrases from the reply itself."""
    text = "Nobody can forecast AI spend, honestly."
    hit = scorer.score(text).dont_say[0]
    assert hit.row == 8
    assert hit.triggers
    assert all(t.lower() in text.lower() for t in hit.triggers)


def test_do_say_ideas_are_detected_with_their_triggers(scorer):
    feedback = scorer.score(
        "Most production traffic, roughly 80%, routes to mid-tier at 10-20% of frontier cost."
    )
    ideas = {idea.key: idea for idea in feedback.ideas}
    assert {"midtier_cost_share", "tier_named"} <= set(ideas)
    assert ideas["midtier_cost_share"].triggers


def test_prediction_not_policy_is_recognised(scorer):
    feedback = scorer.score(
        "It's a prediction, not a policy lookup: a small model reads the task and routes it."
    )
    assert "prediction_not_policy" in {idea.key for idea in feedback.ideas}
    assert feedback.verdict == "strong"


def test_expected_ideas_that_are_missing_are_listed(scorer):
    feedback = scorer.score(
        "We route the structured work to mid-tier.",
        expected_ideas=["routing_logic", "prediction_not_policy"],
    )
    assert feedback.missing_ideas == ["prediction_not_policy"]


def test_empty_or_vague_replies_are_weak(scorer):
    assert scorer.score("").verdict == "weak"
    assert scorer.score("It's really powerful and the team loves it.").verdict == "weak"


def test_scoring_is_deterministic(scorer):
    text = "We're using Claude Sonnet for production and Opus for the hard steps."
    assert scorer.score(text).as_dict() == scorer.score(text).as_dict()


def test_held_out_accuracy_is_measured_and_useful():
    """The scorer is judged on 20% of the labelled set it never saw."""
    result = evaluate(guide=GUIDE_ROWS)
    assert result.test_size >= 60
    assert result.train_size + result.test_size == len(load_replies())
    assert result.verdict_accuracy >= 0.8
    assert result.dont_say_row_accuracy >= 0.75


def test_cross_validation_tunes_on_the_training_split_only(monkeypatch):
    """--cv scores each training reply once, by a model that never saw it; the held-out 20%
    is neither trained on nor scored, so it stays a fair check of what tuning chose."""
    trained_on: list[set[str]] = []
    scored: list[str] = []

    class RecordingScorer:
        def __init__(self, replies, guide) -> None:
            self.texts = {r.text for r in replies}
            trained_on.append(self.texts)

        def score(self, text: str) -> Feedback:
            assert text not in self.texts
            scored.append(text)
            return Feedback(text=text, verdict="weak", score=0, p_strong=0.0)

    monkeypatch.setattr(evaluation, "Scorer", RecordingScorer)
    result = cross_validate(guide=GUIDE_ROWS)

    train, held_out = split(load_replies())
    held_out_texts = {r.text for r in held_out}
    assert sorted(scored) == sorted(r.text for r in train)
    assert result.test_size == len(train)
    assert len(trained_on) == 5
    assert not any(texts & held_out_texts for texts in trained_on)


def test_everything_through_gpt4_is_the_first_row_not_vendor_only(scorer):
    """Word order doesn't hide row 1, and naming GPT-4 is not the vendor-only framing."""
    feedback = scorer.score("Honestly we just push everything through GPT-4, it's the safest.")
    assert [hit.row for hit in feedback.dont_say] == [1]


@pytest.mark.django_db
def test_the_scorer_coaches_from_the_guide_as_admins_edit_it():
    """The scorer reads the field guide rows from the database (what admins edit), not the
    repository file: an edited Do-say line is the one it coaches with."""
    from django.core.management import call_command

    from lessons.models import FieldGuideEntry
    from lessons.services import bump_content_version

    call_command("load_content", stdout=__import__("io").StringIO())
    row = FieldGuideEntry.objects.get(order=1)
    row.do_say = "Route each task to the tier it needs; an admin edited this line."
    row.save()
    bump_content_version()
    feedback = get_scorer().score(GUIDE[1].dont_say)
    assert feedback.guide_row.do_say == row.do_say
