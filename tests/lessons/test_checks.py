"""Knowledge checks: instant feedback with the explanation, right or wrong, over htmx or a
plain form; an AE's answers are stored, other roles just get the feedback."""

import pytest
from django.urls import reverse

from lessons.models import CheckAnswer
from tests.factories import CheckQuestionFactory, LessonFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def question(db):
    lesson = LessonFactory(slug="tiers", title="Tiers", order=1)
    return CheckQuestionFactory(lesson=lesson, order=1)


def url(question) -> str:
    return reverse("lessons:check", args=[question.lesson.slug, question.pk])


def choice(question, text: str) -> int:
    return question.choices.get(text=text).pk


def test_a_right_answer_over_htmx_says_correct_and_explains(ae_client, ae, question):
    response = ae_client.post(url(question), {"choice": choice(question, "Small")}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "✓ Correct." in body
    assert "Small models classify inline." in body
    assert "<html" not in body  # just the question's region
    answer = CheckAnswer.objects.get(user=ae, question=question)
    assert answer.is_correct and answer.choice_text == "Small"


def test_a_wrong_answer_over_htmx_names_the_right_one_and_explains(ae_client, ae, question):
    response = ae_client.post(url(question), {"choice": choice(question, "Frontier")}, **HTMX)
    body = response.content.decode()
    assert "✗ Not quite." in body
    assert "You chose: Frontier<br>Right answer: Small" in body
    assert "Small models classify inline." in body
    assert not CheckAnswer.objects.get(user=ae, question=question).is_correct


def test_without_javascript_the_answer_is_stored_and_shown_on_the_lesson(ae_client, ae, question):
    response = ae_client.post(url(question), {"choice": choice(question, "Frontier")})
    assert response.status_code == 302
    assert response["Location"] == f"/lessons/tiers/#check-{question.pk}"
    page = ae_client.get("/lessons/tiers/").content.decode()
    assert "✗ Not quite." in page
    assert "Small models classify inline." in page


def test_answering_again_replaces_the_answer_and_counts_attempts(ae_client, ae, question):
    ae_client.post(url(question), {"choice": choice(question, "Frontier")}, **HTMX)
    response = ae_client.post(url(question), {"choice": choice(question, "Small")}, **HTMX)
    assert "✓ Correct." in response.content.decode()
    answer = CheckAnswer.objects.get(user=ae, question=question)
    assert (answer.is_correct, answer.attempts) == (True, 2)


def test_no_choice_gets_a_clear_message_and_422(ae_client, ae, question):
    for data in ({}, {"choice": "not-a-number"}):
        for extra in ({}, HTMX):
            response = ae_client.post(url(question), data, **extra)
            assert response.status_code == 422
            assert "Choose one of the answers" in response.content.decode()
    assert not CheckAnswer.objects.exists()


def test_a_choice_from_another_question_is_refused(ae_client, question):
    other = CheckQuestionFactory(lesson=question.lesson, order=2)
    response = ae_client.post(url(question), {"choice": other.choices.first().pk}, **HTMX)
    assert response.status_code == 422
    assert not CheckAnswer.objects.exists()


def test_a_question_of_another_lesson_is_not_found(ae_client, question):
    other_lesson = LessonFactory(slug="other")
    response = ae_client.post(
        reverse("lessons:check", args=[other_lesson.slug, question.pk]),
        {"choice": choice(question, "Small")},
    )
    assert response.status_code == 404


def test_checks_refuse_get(ae_client, question):
    assert ae_client.get(url(question)).status_code == 405


def test_a_manager_gets_feedback_but_nothing_is_stored(manager_client, question):
    response = manager_client.post(url(question), {"choice": choice(question, "Small")}, **HTMX)
    assert "✓ Correct." in response.content.decode()
    response = manager_client.post(url(question), {"choice": choice(question, "Frontier")})
    assert response.status_code == 200
    assert "✗ Not quite." in response.content.decode()
    assert not CheckAnswer.objects.exists()


def test_an_ae_sees_only_their_own_stored_answers(client, ae, other_ae, question):
    client.force_login(other_ae)
    client.post(url(question), {"choice": choice(question, "Frontier")})
    client.force_login(ae)
    page = client.get("/lessons/tiers/").content.decode()
    assert "Not quite" not in page
    assert "Check answer" in page
