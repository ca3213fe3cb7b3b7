"""Whole lesson pages are cached per viewer (lessons.page_cache). A repeat view is served
without rendering, yet nobody ever sees a page older than what it shows: a completion, an
answer, a content edit, a change to their name, role or time zone shows on the very next
view, by whatever path it was written. Each response carries the viewer's own CSRF token,
and a flash message shows exactly once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enablement.models import Role
from lessons.models import CheckAnswer, Lesson, LessonProgress
from lessons.page_cache import CSRF_PLACEHOLDER
from lessons.services import answer_check, bump_content_version, mark_lesson_complete
from tests.factories import AEFactory, CheckQuestionFactory, LessonFactory

pytestmark = pytest.mark.django_db

TOKEN_FIELD = 'name="csrfmiddlewaretoken" value="'


def view(client, slug: str = "cached"):
    response = client.get(reverse("lessons:detail", args=[slug]))
    assert response.status_code == 200
    return response


def body(client, slug: str = "cached") -> str:
    return view(client, slug).content.decode()


def tokens(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split(TOKEN_FIELD)[1:]]


def without_tokens(html: str) -> str:
    for token in tokens(html):
        html = html.replace(token, "")
    return html.replace(html.split('"X-CSRFToken": "')[1].split('"')[0], "")


@pytest.fixture
def question():
    return CheckQuestionFactory(lesson=LessonFactory(slug="cached", title="The cached lesson"))


def test_a_repeat_view_is_the_same_page_served_without_rendering(ae_client, question):
    first = view(ae_client)
    second = view(ae_client)

    assert [t.name for t in first.templates][:1] == ["lessons/detail.html"]
    assert second.templates == []  # nothing rendered: straight from the page cache
    assert without_tokens(second.content.decode()) == without_tokens(first.content.decode())
    assert "The cached lesson" in second.content.decode()


def test_every_response_carries_a_fresh_working_token_of_the_viewers_own(ae, question):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ae)
    first, second = body(client), body(client)

    assert CSRF_PLACEHOLDER not in first + second
    assert tokens(first) and tokens(second)
    assert tokens(first)[0] != tokens(second)[0]  # masked afresh for each response
    wrong = question.choices.get(text="Frontier")
    for html in (first, second):
        response = client.post(
            reverse("lessons:check", args=["cached", question.pk]),
            {"choice": wrong.pk, "csrfmiddlewaretoken": tokens(html)[0]},
        )
        assert response.status_code == 302  # the cached page's token is accepted


def test_a_completion_written_elsewhere_shows_on_the_next_view(ae_client, ae, question):
    """As if another worker (or another tab) completed it: nothing touches this process's
    cache, only the database, and the page still changes."""
    assert "Mark this lesson complete" in body(ae_client)

    mark_lesson_complete(user=ae, lesson=question.lesson)

    html = body(ae_client)
    assert "You completed this lesson on" in html
    assert "Mark this lesson complete" not in html


def test_a_second_answer_shows_on_the_next_view(ae_client, ae, question):
    """The second answer is stored with QuerySet.update(), which sends no signal."""
    answer_check(user=ae, question=question, choice=question.choices.get(text="Frontier"))
    assert "You chose: Frontier" in body(ae_client)

    answer_check(user=ae, question=question, choice=question.choices.get(text="Small"))

    html = body(ae_client)
    assert "Correct." in html
    assert "You chose: Frontier" not in html


def test_an_admin_edit_or_delete_of_the_learning_record_shows(ae_client, ae, question):
    mark_lesson_complete(user=ae, lesson=question.lesson)
    answer_check(user=ae, question=question, choice=question.choices.get(text="Frontier"))
    assert "You completed this lesson on" in body(ae_client)

    progress = LessonProgress.objects.get(user=ae)
    progress.completed_at = None
    progress.save()  # as the admin's change form saves it
    CheckAnswer.objects.filter(user=ae).delete()

    html = body(ae_client)
    assert "Mark this lesson complete" in html
    assert "You chose" not in html


def test_a_content_edit_shows_on_the_next_view(ae_client, question):
    assert "The cached lesson" in body(ae_client)

    Lesson.objects.filter(slug="cached").update(title="A retitled lesson")
    bump_content_version()  # as the admin and the loader do after every content write

    assert "A retitled lesson" in body(ae_client)


def test_an_unpublished_lesson_is_gone_at_once(ae_client, question):
    body(ae_client)
    Lesson.objects.filter(slug="cached").update(is_published=False)
    bump_content_version()

    assert ae_client.get(reverse("lessons:detail", args=["cached"])).status_code == 404


def test_a_change_of_name_role_or_time_zone_shows_on_the_next_view(ae_client, ae, question):
    progress = mark_lesson_complete(user=ae, lesson=question.lesson)
    LessonProgress.objects.filter(pk=progress.pk).update(
        completed_at=datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    )
    assert "Ada Example" not in body(ae_client)

    ae.first_name, ae.last_name, ae.time_zone = "Ada", "Example", "Asia/Tokyo"
    ae.save()
    html = body(ae_client)
    assert "Ada Example" in html
    assert "28 Nov 2026, 08:30" in html  # 23:30 UTC in Tokyo

    ae.role = Role.MANAGER
    ae.team = None
    ae.save()
    html = body(ae_client)
    assert "Manager" in html
    assert reverse("quizzes:team") in html  # a manager's navigation
    assert "Mark this lesson complete" not in html  # managers have no progress


def test_saving_a_stale_copy_of_the_user_does_not_bring_an_old_page_back(ae_client, ae, question):
    """An admin opens the AE's account, the AE completes the lesson, the admin saves an
    unrelated change: the version must not go back to the one the old page is cached under."""
    stale_copy = type(ae).objects.get(pk=ae.pk)
    assert "Mark this lesson complete" in body(ae_client)
    mark_lesson_complete(user=ae, lesson=question.lesson)

    stale_copy.email = "ae-one@example.com"
    stale_copy.save()

    assert "You completed this lesson on" in body(ae_client)


def test_a_flash_message_shows_once_and_is_never_cached(ae_client, question):
    body(ae_client)  # a cached page without a message
    response = ae_client.post(reverse("lessons:complete", args=["cached"]))
    assert response.status_code == 302

    with_message = view(ae_client)
    assert "is marked complete" in with_message.content.decode()

    after = body(ae_client)
    assert "is marked complete" not in after
    assert "You completed this lesson on" in after


def test_another_viewer_never_gets_a_page_cached_for_someone_else(client, ae, question):
    mark_lesson_complete(user=ae, lesson=question.lesson)
    client.force_login(ae)
    assert "You completed this lesson on" in body(client)

    other = AEFactory(team=ae.team, username="ae-two", first_name="Bo", last_name="Other")
    client.force_login(other)
    html = body(client)
    assert "Bo Other" in html
    assert "You completed this lesson on" not in html
    assert "Mark this lesson complete" in html


def test_a_cached_view_still_records_the_visit(ae_client, ae, question, monkeypatch):
    """The visit is not part of the page: a cached view records it as a rendered one does
    (at most once a minute while the AE stays on the same lesson; test_caching.py)."""
    LessonFactory(slug="another")
    body(ae_client)
    body(ae_client, "another")
    opened_another = LessonProgress.objects.get(user=ae, lesson__slug="another").last_viewed_at
    later = opened_another + timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = view(ae_client)  # back to the first lesson, five seconds later

    assert response.templates == []  # served from the cache...
    progress = LessonProgress.objects.get(user=ae, lesson=question.lesson)
    assert progress.last_viewed_at == later  # ...and the visit recorded
    assert Lesson.objects.progress_for(ae).continue_lesson == question.lesson
