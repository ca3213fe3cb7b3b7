"""Progress: an AE marks lessons complete (htmx or a plain form), the bar on /lessons/ and
the home page moves, and nobody else's progress changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.models import Lesson, LessonProgress
from tests.factories import AEFactory, LessonFactory, LessonProgressFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def bar(response) -> tuple[int, int]:
    """(value, max) of the course progress bar on the page."""
    match = re.search(
        r'<progress id="course-progress-bar" max="(\d+)" value="(\d+)"', response.content.decode()
    )
    assert match, "no progress bar on the page"
    return int(match.group(2)), int(match.group(1))


@pytest.fixture
def course(db):
    return [LessonFactory(slug=f"l{n}", title=f"Lesson {n}", order=n) for n in range(1, 5)]


def test_marking_a_lesson_complete_moves_the_bar(ae_client, ae, course):
    assert bar(ae_client.get(reverse("lessons:index"))) == (0, 4)

    response = ae_client.post(reverse("lessons:complete", args=["l2"]))

    # Without JavaScript the form posts and lands back on the lesson with a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("lessons:detail", args=["l2"])
    index = ae_client.get(reverse("lessons:index"))
    assert bar(index) == (1, 4)
    assert "1 of 4 lessons complete (25%)" in index.content.decode()
    assert bar(ae_client.get(reverse("home"))) == (1, 4)


def test_htmx_completion_swaps_the_button_and_updates_the_bar_in_place(ae_client, ae, course):
    response = ae_client.post(reverse("lessons:complete", args=["l1"]), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "You completed this lesson on" in body
    assert "Go on to lesson 2: Lesson 2" in body
    # The bar comes out of band, so the one on the page moves without a reload.
    assert 'id="course-progress" hx-swap-oob="true"' in body
    assert bar(response) == (1, 4)
    assert "<html" not in body


def test_completion_is_recorded_with_a_timestamp_that_a_second_click_keeps(ae_client, ae, course):
    ae_client.post(reverse("lessons:complete", args=["l3"]))
    first = LessonProgress.objects.get(user=ae, lesson__slug="l3").completed_at
    assert first is not None
    ae_client.post(reverse("lessons:complete", args=["l3"]))
    assert LessonProgress.objects.get(user=ae, lesson__slug="l3").completed_at == first
    page = ae_client.get(reverse("lessons:index")).content.decode()
    assert f'datetime="{first.isoformat()}"' in page


def test_another_aes_progress_is_unaffected(ae_client, ae, other_ae, course):
    LessonProgressFactory(user=other_ae, lesson=course[0], completed_at="2026-01-01T00:00Z")
    ae_client.post(reverse("lessons:complete", args=["l2"]))
    ae_client.post(reverse("lessons:complete", args=["l3"]))

    assert set(
        LessonProgress.objects.filter(user=other_ae, completed_at__isnull=False).values_list(
            "lesson__slug", flat=True
        )
    ) == {"l1"}
    # And the AE's own bar counts only their own completions.
    assert bar(ae_client.get(reverse("lessons:index"))) == (2, 4)


def test_marking_complete_refuses_get(ae_client, course):
    response = ae_client.get(reverse("lessons:complete", args=["l1"]))
    assert response.status_code == 405
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_managers_read_lessons_but_have_no_progress(manager_client, course):
    page = manager_client.get(reverse("lessons:detail", args=["l1"])).content.decode()
    assert "Mark this lesson complete" not in page
    index = manager_client.get(reverse("lessons:index")).content.decode()
    assert "Progress is tracked for account executives" in index
    assert 'id="course-progress-bar"' not in index
    response = manager_client.post(reverse("lessons:complete", args=["l1"]))
    assert response.status_code == 403
    assert not LessonProgress.objects.exists()


def test_continue_where_you_left_off_points_at_the_last_opened_unfinished_lesson(
    ae_client, ae, course
):
    index = ae_client.get(reverse("lessons:index")).content.decode()
    assert "Start the course: Lesson 1" in index

    ae_client.get(reverse("lessons:detail", args=["l3"]))
    ae_client.get(reverse("lessons:detail", args=["l2"]))
    index = ae_client.get(reverse("lessons:index")).content.decode()
    assert "Continue where you left off: Lesson 2" in index

    # Completing it moves "continue" on to the next unfinished lesson after it.
    ae_client.post(reverse("lessons:complete", args=["l2"]))
    home = ae_client.get(reverse("home")).content.decode()
    assert "Continue where you left off: Lesson 3" in home
    ae_client.post(reverse("lessons:complete", args=["l4"]))
    ae_client.post(reverse("lessons:complete", args=["l3"]))
    index = ae_client.get(reverse("lessons:index")).content.decode()
    assert "Continue where you left off: Lesson 1" in index  # wraps round to the gap


def test_finishing_every_lesson_says_so(ae_client, course):
    for lesson in course:
        ae_client.post(reverse("lessons:complete", args=[lesson.slug]))
    index = ae_client.get(reverse("lessons:index"))
    assert bar(index) == (4, 4)
    assert "You've completed every lesson." in index.content.decode()


def test_unpublished_lessons_are_not_counted_or_shown(ae_client, course):
    Lesson.objects.filter(slug="l4").update(is_published=False)
    assert bar(ae_client.get(reverse("lessons:index"))) == (0, 3)
    assert ae_client.get(reverse("lessons:detail", args=["l4"])).status_code == 404


def test_index_query_count_does_not_grow_with_lessons_completed(ae_client, ae, course):
    """The course and the learner's progress come in one query, however much is complete."""
    with CaptureQueriesContext(connection) as none_done:
        ae_client.get(reverse("lessons:index"))
    for lesson in course:
        LessonProgressFactory(user=ae, lesson=lesson, completed_at="2026-01-01T00:00Z")
    more = [LessonFactory(order=10 + n) for n in range(5)]
    for lesson in more:
        LessonProgressFactory(user=ae, lesson=lesson, completed_at="2026-01-01T00:00Z")
    with CaptureQueriesContext(connection) as all_done:
        response = ae_client.get(reverse("lessons:index"))
    assert bar(response) == (9, 9)
    assert len(all_done) == len(none_done)


def test_home_page_query_count_does_not_grow_with_progress(ae_client, ae, course):
    with CaptureQueriesContext(connection) as before:
        ae_client.get(reverse("home"))
    for lesson in course:
        LessonProgressFactory(user=ae, lesson=lesson, completed_at="2026-01-01T00:00Z")
    with CaptureQueriesContext(connection) as after:
        ae_client.get(reverse("home"))
    assert len(after) == len(before)


def test_a_new_ae_sees_an_empty_bar(client, course):
    newcomer = AEFactory(username="newcomer")
    client.force_login(newcomer)
    assert bar(client.get(reverse("home"))) == (0, 4)
