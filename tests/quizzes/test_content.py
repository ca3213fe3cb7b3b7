"""The shipped quiz bank loads idempotently, and stored answers survive a reload."""

import pytest
import yaml
from django.core.management import call_command

from quizzes import content as quiz_content
from quizzes.models import Choice, Question, QuestionKind, Quiz, Reveal
from quizzes.services import start_attempt, submit_attempt
from tests.quizzes.helpers import right_answers

pytestmark = pytest.mark.django_db


def test_three_ready_quizzes_with_ten_or_more_questions_each():
    quiz_content.load()
    quizzes = {q.slug: q for q in Quiz.objects.all()}
    assert set(quizzes) == {"tier-fundamentals", "routing-dimensions", "field-language"}
    for quiz in quizzes.values():
        kinds = list(quiz.questions.values_list("kind", flat=True))
        assert len(kinds) >= 10
        assert set(kinds) == set(QuestionKind.values)
        assert all(q.explanation for q in quiz.questions.all())
        assert quiz.reveal in Reveal.values


def test_single_choice_questions_have_exactly_one_right_choice():
    quiz_content.load()
    for question in Question.objects.filter(kind=QuestionKind.SINGLE):
        assert question.choices.filter(is_correct=True).count() == 1, question.prompt


def test_loading_twice_changes_nothing():
    first = quiz_content.load()
    ids = sorted(Choice.objects.values_list("pk", "text"))
    second = quiz_content.load()
    assert first == second == "3 quizzes, 42 questions, 1 certification programme(s)"
    assert sorted(Choice.objects.values_list("pk", "text")) == ids


def test_answers_survive_a_reload_with_edited_text(ae, tmp_path, monkeypatch):
    """Editing a question's wording and reloading keeps its identity and the AE's result."""
    quiz_content.load()
    quiz = Quiz.objects.get(slug="tier-fundamentals")
    attempt = start_attempt(user=ae, quiz=quiz)
    submit_attempt(attempt=attempt, answers=right_answers(quiz))
    source = quiz_content.CONTENT_DIR / "tier-fundamentals.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["questions"][0]["prompt"] = "Reworded: which description matches a frontier model?"
    (tmp_path / "tier-fundamentals.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(quiz_content, "CONTENT_DIR", tmp_path)
    quiz_content.load()
    assert attempt.answers.count() == quiz.questions.count()
    assert Question.objects.get(quiz=quiz, key="q1").prompt.startswith("Reworded")
    assert all(a.question.quiz_id == quiz.pk for a in attempt.answers.all())


def test_a_question_dropped_from_the_yaml_is_deactivated_not_deleted(tmp_path, monkeypatch):
    quiz_content.load()
    data = yaml.safe_load((quiz_content.CONTENT_DIR / "field-language.yaml").read_text())
    data["questions"] = data["questions"][:-1]
    (tmp_path / "field-language.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(quiz_content, "CONTENT_DIR", tmp_path)
    quiz_content.load()
    quiz = Quiz.objects.get(slug="field-language")
    assert quiz.questions.filter(is_active=False).count() == 1


def test_load_content_command_runs_the_quiz_loader(capsys):
    call_command("load_content")
    assert (
        "quizzes.content.load: 3 quizzes, 42 questions, 1 certification programme"
        in capsys.readouterr().out
    )
