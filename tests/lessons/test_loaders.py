"""`load_content` loads the version-controlled course idempotently and never loses learner
data: progress, answers, and admin edits to rows whose repository text did not change."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lessons import loaders
from lessons.models import (
    CatalogueModel,
    CheckAnswer,
    CheckChoice,
    CheckQuestion,
    FieldGuideEntry,
    Lesson,
    LessonProgress,
    NamingSignal,
    TierProfile,
)
from lessons.services import answer_check, mark_lesson_complete

pytestmark = pytest.mark.django_db

MODELS = [
    TierProfile,
    Lesson,
    CheckQuestion,
    CheckChoice,
    CatalogueModel,
    NamingSignal,
    FieldGuideEntry,
]


def load() -> str:
    out = StringIO()
    call_command("load_content", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A copy of lessons/content/ a test may edit, as if someone changed the repository."""
    target = tmp_path / "content"
    shutil.copytree(loaders.CONTENT_DIR, target)
    return target


def test_first_load_creates_the_course():
    load()
    loaded = counts()
    assert (loaded["TierProfile"], loaded["Lesson"], loaded["FieldGuideEntry"]) == (3, 8, 10)
    assert (loaded["CatalogueModel"], loaded["NamingSignal"]) == (14, 8)
    # Every lesson ends with a knowledge check of 1-3 questions with one right answer.
    for lesson in Lesson.objects.all():
        questions = lesson.questions.active()
        assert 1 <= questions.count() <= 3, lesson.slug
        for question in questions:
            assert question.choices.filter(is_correct=True).count() == 1


def test_loading_twice_creates_no_duplicates_and_reports_nothing_changed():
    load()
    before = counts()
    output = load()
    assert counts() == before
    assert "8 lessons (0 new, 0 updated, 8 unchanged)" in output


def test_learner_progress_and_answers_survive_a_reload(ae, other_ae):
    load()
    lesson = Lesson.objects.get(slug="frontier")
    progress = mark_lesson_complete(user=ae, lesson=lesson)
    question = lesson.questions.first()
    answer_check(user=ae, question=question, choice=question.correct_choice)

    load()

    kept = LessonProgress.objects.get(user=ae, lesson__slug="frontier")
    assert kept.completed_at == progress.completed_at
    assert CheckAnswer.objects.get(user=ae, question=question).is_correct
    assert not LessonProgress.objects.filter(user=other_ae).exists()


def test_changed_repository_text_updates_the_row_and_keeps_answers(ae, content_copy):
    """Editing a lesson file reloads it; stored answers to its questions are kept."""
    loaders.load(content_copy)
    lesson = Lesson.objects.get(slug="small")
    question = lesson.questions.get(order=1)
    answer_check(user=ae, question=question, choice=question.correct_choice)

    path = content_copy / "lessons" / "04-small.md"
    path.write_text(path.read_text().replace("title: Small models", "title: Small models, fast"))
    summary = loaders.load(content_copy)

    assert "8 lessons (0 new, 1 updated, 7 unchanged)" in summary
    assert Lesson.objects.get(slug="small").title == "Small models, fast"
    assert CheckQuestion.objects.get(pk=question.pk).is_active
    assert CheckAnswer.objects.filter(user=ae, question=question).exists()


def test_a_question_dropped_from_the_file_is_hidden_not_deleted(ae, content_copy):
    loaders.load(content_copy)
    question = Lesson.objects.get(slug="three-tiers").questions.get(order=2)
    answer_check(user=ae, question=question, choice=question.correct_choice)

    path = content_copy / "lessons" / "01-three-tiers.md"
    text = path.read_text()
    start = text.index("  - question: Which tier is built for classification")
    end = text.index("\n---\n", start)
    path.write_text(text[:start].rstrip("\n") + text[end:])
    loaders.load(content_copy)

    question.refresh_from_db()
    assert not question.is_active
    assert CheckAnswer.objects.filter(question=question, user=ae).exists()


def test_admin_edits_survive_a_reload_of_unchanged_repository_text():
    """`make run` loads content every time; an admin's catalogue update must not be undone."""
    load()
    CatalogueModel.objects.filter(name="Grok-3").update(note="Edited in the admin")
    load()
    assert CatalogueModel.objects.get(name="Grok-3").note == "Edited in the admin"


def test_figures_come_from_tiers_yaml():
    load()
    mid = TierProfile.objects.get(slug="mid")
    assert mid.traffic_share == "roughly 80% of production traffic"
    assert mid.relative_cost == "roughly 10–20% of frontier cost"
    assert TierProfile.objects.get(slug="small").latency == "sub-100ms"


def test_an_unknown_figure_token_stops_the_load_with_a_clear_message(content_copy):
    path = content_copy / "lessons" / "02-frontier.md"
    path.write_text(path.read_text() + "\nIt costs [[frontier.price]].\n")
    with pytest.raises(loaders.ContentError, match=r"02-frontier.md.*\[\[frontier.price\]\]"):
        loaders.load(content_copy)
    assert not Lesson.objects.exists()


def test_a_question_without_exactly_one_right_answer_is_refused(content_copy):
    path = content_copy / "lessons" / "08-routing-is-the-architecture.md"
    path.write_text(path.read_text().replace("correct: true", "correct: false"))
    with pytest.raises(loaders.ContentError, match="exactly one correct"):
        loaders.load(content_copy)
