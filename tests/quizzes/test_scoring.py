"""Scoring happens on the server only, with a documented partial-credit rule."""

from decimal import Decimal

import pytest

from quizzes.models import QuestionKind
from quizzes.services import (
    AnswerInput,
    credit_for,
    score_percent,
    start_attempt,
    submit_attempt,
)
from tests.factories import build_quiz
from tests.quizzes.helpers import form_data, right_answers

pytestmark = pytest.mark.django_db

RIGHT = {1, 2, 3}  # three right choices; 4 is wrong


def test_single_choice_scores_one_only_for_the_right_choice():
    """Single choice: 1 for the right choice, 0 for a wrong one or none."""
    assert credit_for(kind=QuestionKind.SINGLE, correct_choice_ids={1}, selected={1}) == 1
    assert credit_for(kind=QuestionKind.SINGLE, correct_choice_ids={1}, selected={2}) == 0
    assert credit_for(kind=QuestionKind.SINGLE, correct_choice_ids={1}, selected=set()) == 0


def test_tier_pick_scores_one_only_for_the_right_tier():
    assert (
        credit_for(
            kind="tier",
            correct_choice_ids=set(),
            selected=set(),
            answer_tier="small",
            picked_tier="small",
        )
        == 1
    )
    assert (
        credit_for(
            kind="tier",
            correct_choice_ids=set(),
            selected=set(),
            answer_tier="small",
            picked_tier="frontier",
        )
        == 0
    )
    assert (
        credit_for(
            kind="tier",
            correct_choice_ids=set(),
            selected=set(),
            answer_tier="small",
            picked_tier="",
        )
        == 0
    )


@pytest.mark.parametrize(
    ("selected", "credit"),
    [
        ({1, 2, 3}, Decimal("1")),  # every right choice, no wrong one: full credit
        ({1, 2}, Decimal("0.667")),  # two of three right: two thirds
        ({1}, Decimal("0.333")),
        ({1, 2, 4}, Decimal("0.333")),  # one wrong pick cancels one right pick
        ({1, 2, 3, 4}, Decimal("0.667")),
        ({1, 4}, Decimal("0")),  # never below zero
        ({4}, Decimal("0")),
        (set(), Decimal("0")),
    ],
)
def test_multiple_answer_partial_credit_rule(selected, credit):
    """Multiple answer: (right picked - wrong picked) / right choices, floored at 0."""
    assert (
        credit_for(kind=QuestionKind.MULTIPLE, correct_choice_ids=RIGHT, selected=selected)
        == credit
    )


def test_selecting_everything_does_not_pay():
    """Ticking every box of a 2-right, 2-wrong question scores 0."""
    assert (
        credit_for(kind=QuestionKind.MULTIPLE, correct_choice_ids={1, 2}, selected={1, 2, 3, 4})
        == 0
    )


def test_score_is_the_mean_credit_as_a_percentage():
    assert score_percent([Decimal(1), Decimal("0.667"), Decimal(0)], 3) == Decimal("55.6")
    assert score_percent([], 0) == Decimal("0.0")


def test_a_submitted_attempt_is_scored_on_the_server(ae):
    """All right: 100% and passed; each answer is marked right."""
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    result = submit_attempt(attempt=attempt, answers=right_answers(quiz))
    assert result.created
    assert result.attempt.score == Decimal("100.0")
    assert result.attempt.passed is True
    assert all(a.is_correct for a in result.attempt.answers.all())


def test_partial_multiple_answer_counts_in_the_quiz_score(ae):
    """Single right, multiple 2 of 3, tier unanswered: (1 + 0.667 + 0) / 3 = 55.6%, a fail at 70."""
    quiz = build_quiz(pass_mark=70)
    single = quiz.questions.get(key="single")
    multi = quiz.questions.get(key="multi")
    right_multi = [c.pk for c in multi.choices.filter(is_correct=True)][:2]
    attempt = start_attempt(user=ae, quiz=quiz)
    answers = {
        single.pk: AnswerInput(
            selected=frozenset(single.choices.filter(is_correct=True).values_list("pk", flat=True))
        ),
        multi.pk: AnswerInput(selected=frozenset(right_multi)),
    }
    result = submit_attempt(attempt=attempt, answers=answers)
    assert result.attempt.score == Decimal("55.6")
    assert result.attempt.passed is False
    multi_answer = result.attempt.answers.get(question=multi)
    assert multi_answer.credit == Decimal("0.667")
    assert multi_answer.is_correct is False  # "correct" means full credit
    assert result.attempt.answers.get(question__key="tier").credit == 0


def test_client_cannot_send_a_score_or_correctness(ae_client, ae):
    """Extra fields like score=100 or correct=1 in the POST are ignored."""
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    data = form_data(attempt, {})
    data.update({"score": ["100"], "passed": ["1"], "is_correct": ["1"], "credit": ["1"]})
    response = ae_client.post(f"/quizzes/attempts/{attempt.pk}/submit/", data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == Decimal("0.0")
    assert attempt.passed is False


def test_single_choice_with_two_picks_is_refused(ae_client, ae):
    """Posting two choices for a single-choice question is a 422, and nothing is saved."""
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    single = quiz.questions.get(key="single")
    data = {
        "question": [str(single.pk)],
        f"q{single.pk}": [str(c.pk) for c in single.choices.all()],
    }
    response = ae_client.post(f"/quizzes/attempts/{attempt.pk}/answer/", data)
    assert response.status_code == 422
    assert b"Pick one answer" in response.content
    assert not attempt.answers.exists()


def test_choice_from_another_question_is_refused(ae_client, ae):
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    single = quiz.questions.get(key="single")
    foreign = quiz.questions.get(key="multi").choices.first()
    data = {"question": [str(single.pk)], f"q{single.pk}": [str(foreign.pk)]}
    response = ae_client.post(f"/quizzes/attempts/{attempt.pk}/answer/", data)
    assert response.status_code == 422
    assert not attempt.answers.exists()


def test_garbage_ids_are_a_clear_422_not_a_500(ae_client, ae):
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    response = ae_client.post(f"/quizzes/attempts/{attempt.pk}/answer/", {"question": ["x"]})
    assert response.status_code == 422
