"""Learning-record writes: only AEs have progress; answers stay with their own question."""

import pytest
from django.core.exceptions import PermissionDenied

from lessons.models import CheckAnswer, Lesson, LessonProgress
from lessons.services import answer_check, mark_lesson_complete, record_lesson_visit
from tests.factories import CheckQuestionFactory, LessonFactory

pytestmark = pytest.mark.django_db


def test_visiting_then_completing_keeps_one_record_with_both_timestamps(ae):
    lesson = LessonFactory()
    record_lesson_visit(user=ae, course=Lesson.objects.progress_for(ae), lesson=lesson)
    visit = LessonProgress.objects.get(user=ae, lesson=lesson)
    done = mark_lesson_complete(user=ae, lesson=lesson)
    assert LessonProgress.objects.filter(user=ae, lesson=lesson).count() == 1
    assert done.last_viewed_at == visit.last_viewed_at
    assert done.completed_at >= visit.last_viewed_at


@pytest.mark.parametrize("who", ["manager", "admin_user"])
def test_only_aes_have_progress(request, who):
    user = request.getfixturevalue(who)
    lesson = LessonFactory()
    question = CheckQuestionFactory(lesson=lesson)
    with pytest.raises(PermissionDenied):
        mark_lesson_complete(user=user, lesson=lesson)
    with pytest.raises(PermissionDenied):
        record_lesson_visit(user=user, course=Lesson.objects.progress_for(user), lesson=lesson)
    with pytest.raises(PermissionDenied):
        answer_check(user=user, question=question, choice=question.correct_choice)
    assert not LessonProgress.objects.exists()
    assert not CheckAnswer.objects.exists()


def test_an_answer_must_be_one_of_the_questions_choices(ae):
    question = CheckQuestionFactory()
    other = CheckQuestionFactory()
    with pytest.raises(ValueError, match="another question"):
        answer_check(user=ae, question=question, choice=other.correct_choice)
    assert not CheckAnswer.objects.exists()


def test_an_answer_keeps_its_text_when_the_choice_is_removed(ae):
    """Content reloads may drop a choice; the AE's answer record stays readable."""
    question = CheckQuestionFactory()
    wrong = question.choices.get(is_correct=False)
    answer_check(user=ae, question=question, choice=wrong)
    wrong.delete()
    answer = CheckAnswer.objects.get(user=ae, question=question)
    assert (answer.choice, answer.choice_text, answer.is_correct) == (None, "Frontier", False)
