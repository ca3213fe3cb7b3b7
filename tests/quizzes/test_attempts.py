"""Attempts: one open attempt per AE per quiz, idempotent submission, time limits, saving."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt
from quizzes.services import (
    AttemptClosed,
    AttemptRefused,
    save_answers,
    start_attempt,
    submit_attempt,
)
from tests.factories import AEFactory, assign, build_quiz
from tests.quizzes.helpers import form_data, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def test_starting_twice_resumes_the_same_open_attempt(ae):
    """A second tab or a double click resumes; it does not open a second attempt."""
    quiz = build_quiz()
    first = start_attempt(user=ae, quiz=quiz)
    second = start_attempt(user=ae, quiz=quiz)
    assert first.pk == second.pk
    assert Attempt.objects.filter(user=ae, quiz=quiz).count() == 1


def test_database_refuses_a_second_open_attempt(ae):
    """The one-open-attempt rule is a unique constraint, not only application code."""
    quiz = build_quiz()
    start_attempt(user=ae, quiz=quiz)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(user=ae, quiz=quiz, number=2, question_ids=[])


def test_max_attempts_is_enforced(ae):
    quiz = build_quiz(max_attempts=2)
    for _ in range(2):
        submit_attempt(attempt=start_attempt(user=ae, quiz=quiz), answers=wrong_answers(quiz))
    with pytest.raises(AttemptRefused, match="used all 2 attempts"):
        start_attempt(user=ae, quiz=quiz)


def test_assignment_attempts_have_their_own_budget(ae, team):
    """Self-paced attempts don't use up the attempts of a later assignment."""
    quiz = build_quiz(max_attempts=1)
    submit_attempt(attempt=start_attempt(user=ae, quiz=quiz), answers=wrong_answers(quiz))
    assignment = assign(quiz, team=team)
    attempt = start_attempt(user=ae, quiz=quiz, assignment=assignment)
    assert attempt.assignment == assignment and attempt.number == 1


def test_another_aes_assignment_cannot_be_used(ae, other_ae, other_team):
    quiz = build_quiz()
    assignment = assign(quiz, team=other_team)
    with pytest.raises(AttemptRefused):
        start_attempt(user=ae, quiz=quiz, assignment=assignment)


def test_submitting_twice_gives_one_result(ae):
    """The second submit returns the first result unchanged, even with different answers."""
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    first = submit_attempt(attempt=attempt, answers=right_answers(quiz))
    second = submit_attempt(attempt=attempt, answers=wrong_answers(quiz))
    assert first.created and not second.created
    assert second.attempt.score == first.attempt.score == Decimal("100.0")
    assert second.attempt.submitted_at == first.attempt.submitted_at


def test_double_submit_through_the_view_shows_the_same_result(ae_client, ae):
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    url = f"/quizzes/attempts/{attempt.pk}/submit/"
    first = ae_client.post(url, form_data(attempt, right_answers(quiz)))
    second = ae_client.post(url, form_data(attempt, wrong_answers(quiz)), follow=True)
    assert first.status_code == 302
    assert b"already submitted" in second.content
    assert b"100.0%" in second.content
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.0")


def test_no_answers_after_submission(ae_client, ae):
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    submit_attempt(attempt=attempt, answers=wrong_answers(quiz))
    with pytest.raises(AttemptClosed):
        save_answers(attempt=attempt, answers=right_answers(quiz))
    response = ae_client.post(
        f"/quizzes/attempts/{attempt.pk}/answer/", form_data(attempt, right_answers(quiz))
    )
    assert response.status_code == 409
    assert b"already submitted" in response.content
    assert not attempt.answers.filter(is_correct=True).exists()


def test_no_answers_past_the_time_limit(ae):
    """The server refuses answers once the time limit has passed."""
    quiz = build_quiz(time_limit_minutes=10)
    attempt = start_attempt(user=ae, quiz=quiz, now=timezone.now() - timedelta(minutes=11))
    with pytest.raises(AttemptClosed, match="Time is up"):
        save_answers(attempt=attempt, answers=right_answers(quiz))
    assert not attempt.answers.exists()


def test_submit_after_the_time_limit_scores_only_answers_saved_in_time(ae_client, ae):
    quiz = build_quiz(time_limit_minutes=10)
    attempt = start_attempt(user=ae, quiz=quiz, now=timezone.now() - timedelta(minutes=11))
    response = ae_client.post(
        f"/quizzes/attempts/{attempt.pk}/submit/",
        form_data(attempt, right_answers(quiz)),
        follow=True,
    )
    assert b"Time was up" in response.content
    attempt.refresh_from_db()
    assert attempt.score == Decimal("0.0")


def test_opening_an_expired_attempt_submits_what_was_saved(ae_client, ae):
    quiz = build_quiz(time_limit_minutes=10)
    attempt = start_attempt(user=ae, quiz=quiz, now=timezone.now() - timedelta(minutes=5))
    save_answers(attempt=attempt, answers=right_answers(quiz))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = ae_client.get(f"/quizzes/attempts/{attempt.pk}/")
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.0")


def test_a_failure_halfway_through_submitting_leaves_nothing_partial(ae, monkeypatch):
    """If scoring breaks after the answers were written, the attempt stays open and unchanged."""
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "score_percent", broken)
    with pytest.raises(RuntimeError):
        submit_attempt(attempt=attempt, answers=right_answers(quiz))
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.score is None
    assert not attempt.answers.exists()


def test_answers_save_as_the_ae_goes_with_htmx(ae_client, ae):
    """A change posts the form; the answer is stored, so a closed tab loses nothing."""
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    tier = quiz.questions.get(key="tier")
    response = ae_client.post(
        f"/quizzes/attempts/{attempt.pk}/answer/",
        {"question": [str(tier.pk)], f"tier{tier.pk}": "mid"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"Saved at" in response.content
    assert b"<html" not in response.content  # just the status partial
    # Reopening the attempt shows the saved pick.
    page = ae_client.get(f"/quizzes/attempts/{attempt.pk}/").content.decode()
    assert f'name="tier{tier.pk}" value="mid" checked' in page


def test_save_without_javascript_redirects_back_with_a_message(ae_client, ae):
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    response = ae_client.post(
        f"/quizzes/attempts/{attempt.pk}/answer/",
        form_data(attempt, right_answers(quiz)),
        follow=True,
    )
    assert b"Your answers are saved" in response.content
    assert attempt.answers.count() == 3


def test_clearing_every_box_clears_the_saved_answer(ae):
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    save_answers(attempt=attempt, answers=right_answers(quiz))
    multi = quiz.questions.get(key="multi")
    save_answers(attempt=attempt, answers={multi.pk: services.AnswerInput()})
    assert attempt.answers.get(question=multi).selected == []


def test_another_aes_attempt_is_404(client, ae):
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    client.force_login(AEFactory(username="nosy-ae"))
    assert client.get(f"/quizzes/attempts/{attempt.pk}/").status_code == 404
    assert client.post(f"/quizzes/attempts/{attempt.pk}/submit/", {}).status_code == 404
    submit_attempt(attempt=attempt)
    assert client.get(f"/quizzes/attempts/{attempt.pk}/result/").status_code == 404


def test_mutating_urls_refuse_get(ae_client, ae):
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    assert ae_client.get(f"/quizzes/attempts/{attempt.pk}/submit/").status_code == 405
    assert ae_client.get(f"/quizzes/attempts/{attempt.pk}/answer/").status_code == 405
    assert ae_client.get(f"/quizzes/{quiz.slug}/start/").status_code == 405


# --- Real concurrency (PostgreSQL) -------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks and concurrent transactions need PostgreSQL (SQLite serialises writers).",
)


def _run_together(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work()
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_gives_one_result_on_postgres():
    """Two threads submit the same attempt at once: exactly one scores it, both see one result."""
    ae = AEFactory(username="racer")
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    answers = right_answers(quiz)
    results = _run_together(
        2, lambda: submit_attempt(attempt=Attempt.objects.get(pk=attempt.pk), answers=answers)
    )
    assert sorted(r.created for r in results) == [False, True]
    assert {r.attempt.submitted_at for r in results} == {
        Attempt.objects.get(pk=attempt.pk).submitted_at
    }
    assert Attempt.objects.get(pk=attempt.pk).score == Decimal("100.0")
    assert attempt.answers.count() == 3


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_cannot_exceed_max_attempts_on_postgres():
    """Four simultaneous starts with one attempt allowed create exactly one attempt."""
    ae = AEFactory(username="starter")
    quiz = build_quiz(max_attempts=1)

    def start():
        try:
            return start_attempt(user=ae, quiz=quiz).pk
        except AttemptRefused:
            return None

    results = _run_together(4, start)
    assert Attempt.objects.filter(user=ae, quiz=quiz).count() == 1
    assert set(results) == {Attempt.objects.get(user=ae, quiz=quiz).pk}


def test_reveal_after_due_date_hides_the_key_until_the_due_date(ae_client, ae, team):
    """With reveal after the due date the AE sees the score but not the right answers or
    explanations until the assignment's due date has passed."""
    from quizzes.models import Assignment

    quiz = build_quiz(reveal="after_due_date")
    assignment = assign(quiz, team=team, due_in=timedelta(days=2))
    attempt = start_attempt(user=ae, quiz=quiz, assignment=assignment)
    submit_attempt(attempt=attempt, answers=wrong_answers(quiz))
    page = ae_client.get(f"/quizzes/attempts/{attempt.pk}/result/").content.decode()
    assert "0.0%" in page
    assert "Right answer" not in page and "Because the source says so." not in page
    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    page = ae_client.get(f"/quizzes/attempts/{attempt.pk}/result/").content.decode()
    assert "Right answer" in page and "Because the source says so." in page


def test_reveal_after_submission_shows_answer_and_explanation(ae_client, ae):
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    submit_attempt(attempt=attempt, answers=wrong_answers(quiz))
    page = ae_client.get(f"/quizzes/attempts/{attempt.pk}/result/").content.decode()
    assert "Frontier is priced for reasoning" in page  # the right single choice
    assert "Because the source says so." in page
    assert "Not passed" in page


def test_htmx_save_after_time_is_up_sends_the_browser_to_the_attempt(ae_client, ae):
    """An answer saved by htmx after the limit is refused (409) and the page is redirected,
    where the attempt is submitted with what was saved in time."""
    quiz = build_quiz(time_limit_minutes=1)
    attempt = start_attempt(user=ae, quiz=quiz, now=timezone.now() - timedelta(minutes=2))
    response = ae_client.post(
        f"/quizzes/attempts/{attempt.pk}/answer/",
        form_data(attempt, right_answers(quiz)),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert response["HX-Redirect"] == f"/quizzes/attempts/{attempt.pk}/"
    assert not attempt.answers.exists()
