"""Helpers shared by the assessment tests: answers and form data for a built quiz."""

from quizzes.models import Attempt, QuestionKind, Quiz
from quizzes.services import AnswerInput


def right_answers(quiz: Quiz) -> dict[int, AnswerInput]:
    answers = {}
    for question in quiz.questions.prefetch_related("choices"):
        if question.kind == QuestionKind.TIER:
            answers[question.pk] = AnswerInput(picked_tier=question.answer_tier)
        else:
            answers[question.pk] = AnswerInput(
                selected=frozenset(c.pk for c in question.choices.all() if c.is_correct)
            )
    return answers


def wrong_answers(quiz: Quiz) -> dict[int, AnswerInput]:
    answers = {}
    for question in quiz.questions.prefetch_related("choices"):
        if question.kind == QuestionKind.TIER:
            wrong = "frontier" if question.answer_tier != "frontier" else "small"
            answers[question.pk] = AnswerInput(picked_tier=wrong)
        else:
            wrong = next(c.pk for c in question.choices.all() if not c.is_correct)
            answers[question.pk] = AnswerInput(selected=frozenset([wrong]))
    return answers


def form_data(attempt: Attempt, answers: dict[int, AnswerInput]) -> dict[str, list[str]]:
    """What the take page's form posts for these answers."""
    data: dict[str, list[str]] = {"question": [str(qid) for qid in attempt.question_ids]}
    for qid, given in answers.items():
        if given.picked_tier:
            data[f"tier{qid}"] = [given.picked_tier]
        if given.selected:
            data[f"q{qid}"] = [str(pk) for pk in sorted(given.selected)]
    return data
