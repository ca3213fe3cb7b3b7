"""The lesson page caches its content-only parts (body, tier card, chart, field guide,
takeaways, the questions) per content version; the viewer's own parts (progress, answers,
CSRF tokens) are always live. An edit in the admin or a content reload shows on the next
view; nobody ever sees another person's progress; the page costs a constant, small number of
queries; and a reload within a minute does not rewrite the visit."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lessons.models import (
    CatalogueModel,
    CheckAnswer,
    ContentVersion,
    FieldGuideEntry,
    Lesson,
    LessonProgress,
)
from lessons.services import record_lesson_visit
from tests.factories import AEFactory, CheckQuestionFactory, LessonFactory

pytestmark = pytest.mark.django_db


def page(client, slug: str) -> str:
    response = client.get(reverse("lessons:detail", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def lesson_admin_data(lesson: Lesson, **overrides) -> dict:
    data = {
        "slug": lesson.slug,
        "title": lesson.title,
        "order": lesson.order,
        "summary": lesson.summary,
        "minutes": lesson.minutes,
        "tier": lesson.tier,
        "visual": lesson.visual,
        "body": lesson.body,
        "takeaways": lesson.takeaways,
        "is_published": "on",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


def test_an_admin_edit_of_a_lesson_body_shows_on_the_next_view(client, ae, admin_user):
    lesson = LessonFactory(slug="caching", body="The old wording.")
    client.force_login(ae)
    assert "The old wording." in page(client, "caching")  # now cached

    client.force_login(admin_user)
    response = client.post(
        reverse("admin:lessons_lesson_change", args=[lesson.pk]),
        lesson_admin_data(lesson, body="The **new** wording."),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    client.force_login(ae)
    body = page(client, "caching")
    assert "The <strong>new</strong> wording." in body
    assert "The old wording." not in body


def test_an_admin_edit_of_a_field_guide_row_shows_in_the_field_language_lesson(
    content, client, ae, admin_user
):
    client.force_login(ae)
    # The "why" column: the admin's "changed successfully" message quotes the "Don't say".
    assert "Buyers hear a budget risk" not in page(client, "field-language")
    row = FieldGuideEntry.objects.get(order=1)

    client.force_login(admin_user)
    response = client.post(
        reverse("admin:lessons_fieldguideentry_change", args=[row.pk]),
        {
            "order": 1,
            "dont_say": row.dont_say,
            "do_say": row.do_say,
            "why": "Buyers hear a budget risk",
        },
    )
    assert response.status_code == 302

    client.force_login(ae)
    assert "Buyers hear a budget risk" in page(client, "field-language")


def test_an_admin_delete_of_a_catalogue_model_drops_it_from_the_tier_card(
    content, client, ae, admin_user
):
    client.force_login(ae)
    assert "<td>Claude Opus 4</td>" in page(client, "frontier")
    model = CatalogueModel.objects.get(name="Claude Opus 4")

    client.force_login(admin_user)
    response = client.post(
        reverse("admin:lessons_cataloguemodel_delete", args=[model.pk]), {"post": "yes"}
    )
    assert response.status_code == 302

    client.force_login(ae)
    assert "<td>Claude Opus 4</td>" not in page(client, "frontier")


def test_reloading_the_content_moves_the_content_version(content):
    """`load_content` bumps the version, so every worker drops its cached fragments."""
    before = ContentVersion.objects.current()
    call_command("load_content", stdout=StringIO())
    assert ContentVersion.objects.current() > before


def test_marking_a_lesson_complete_shows_on_the_cached_page(ae_client):
    LessonFactory(slug="caching")
    assert "Mark this lesson complete" in page(ae_client, "caching")

    ae_client.post(reverse("lessons:complete", args=["caching"]))

    body = page(ae_client, "caching")
    assert "You completed this lesson on" in body
    assert "Mark this lesson complete" not in body
    assert "1 of 1 lessons complete" in body


def test_an_answer_shows_on_the_next_view(ae_client):
    question = CheckQuestionFactory(lesson=LessonFactory(slug="caching"))
    assert "Check answer" in page(ae_client, "caching")
    wrong = question.choices.get(text="Frontier")

    ae_client.post(reverse("lessons:check", args=["caching", question.pk]), {"choice": wrong.pk})

    body = page(ae_client, "caching")
    assert "You chose: Frontier" in body
    assert "Check again" in body


def test_another_ae_never_sees_someone_elses_progress_or_answers(client, ae):
    question = CheckQuestionFactory(lesson=LessonFactory(slug="caching"))
    client.force_login(ae)
    client.post(reverse("lessons:complete", args=["caching"]))
    client.post(
        reverse("lessons:check", args=["caching", question.pk]),
        {"choice": question.choices.get(text="Frontier").pk},
    )
    assert "You chose: Frontier" in page(client, "caching")

    client.force_login(AEFactory(team=ae.team, username="ae-two"))
    body = page(client, "caching")
    assert "You chose" not in body
    assert "Completed" not in body and "You completed this lesson" not in body
    assert "Mark this lesson complete" in body
    assert "0 of 1 lessons complete" in body


def test_each_page_carries_the_viewers_own_csrf_token(client, ae):
    """Forms sit outside the cached fragment: each viewer's token is their own."""
    CheckQuestionFactory(lesson=LessonFactory(slug="caching"))
    tokens = []
    for user in (ae, AEFactory(team=ae.team, username="ae-two")):
        client.logout()
        client.force_login(user)
        body = page(client, "caching")
        tokens.append(body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
        post = client.post(reverse("lessons:complete", args=["caching"]))
        assert post.status_code == 302
    assert tokens[0] != tokens[1]


def test_the_lesson_page_costs_a_constant_number_of_queries(ae_client, ae):
    """The same few queries, however many questions, answers and completed lessons there
    are (and the content parts come from the cached fragment on a repeat view)."""
    small = LessonFactory(slug="small-one")
    CheckQuestionFactory(lesson=small)
    big = LessonFactory(slug="big-one")
    questions = [CheckQuestionFactory(lesson=big) for _ in range(5)]
    for question in questions:
        choice = question.choices.first()
        CheckAnswer.objects.create(
            user=ae,
            question=question,
            choice=choice,
            choice_text=choice.text,
            is_correct=choice.is_correct,
            answered_at=timezone.now(),
        )
    LessonProgress.objects.create(user=ae, lesson=small, completed_at=timezone.now())
    counts = []
    for slug in ("small-one", "big-one"):
        page(ae_client, slug)  # the first view fills the fragment cache and records the visit
        with CaptureQueriesContext(connection) as queries:
            page(ae_client, slug)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8, counts


def test_a_reload_within_a_minute_does_not_rewrite_the_visit(ae_client, ae, frozen_clock):
    LessonFactory(slug="caching")
    page(ae_client, "caching")
    first = LessonProgress.objects.get(user=ae).last_viewed_at

    frozen_clock.shift(timedelta(seconds=59))
    page(ae_client, "caching")
    assert LessonProgress.objects.get(user=ae).last_viewed_at == first

    # A minute and a second after the first visit (the clock moves; nothing else does):
    frozen_clock.shift(timedelta(seconds=2))
    page(ae_client, "caching")
    assert LessonProgress.objects.get(user=ae).last_viewed_at == first + timedelta(seconds=61)


def test_continue_where_you_left_off_follows_the_last_lesson_opened(ae_client, ae, frozen_clock):
    """Opening A, then B, then A again within a minute: the course continues at A, so the
    throttle must not skip A's second visit (B was touched after it)."""
    LessonFactory(slug="a", title="Lesson A", order=1)
    LessonFactory(slug="b", title="Lesson B", order=2)
    page(ae_client, "a")
    page(ae_client, "b")
    # Make the recorded times unambiguous without sleeping: A 20 s ago, B 10 s ago.
    now = timezone.now()
    LessonProgress.objects.filter(lesson__slug="a").update(
        last_viewed_at=now - timedelta(seconds=20)
    )
    LessonProgress.objects.filter(lesson__slug="b").update(
        last_viewed_at=now - timedelta(seconds=10)
    )

    page(ae_client, "a")

    course = Lesson.objects.progress_for(ae)
    assert course.continue_lesson.slug == "a"


def test_the_visit_service_writes_once_a_minute_for_the_same_lesson(ae, frozen_clock):
    """Called directly, the service applies the same throttle (from the progress rows)."""
    lesson, other = LessonFactory(slug="caching"), LessonFactory(slug="other")

    def visit(target) -> bool:
        frozen_clock.shift(timedelta(seconds=1))  # a second between visits, all within a minute
        return record_lesson_visit(user=ae, course=Lesson.objects.progress_for(ae), lesson=target)

    assert visit(lesson) is True
    first = LessonProgress.objects.get(user=ae, lesson=lesson).last_viewed_at
    assert visit(lesson) is False
    assert visit(other) is True
    assert visit(lesson) is True  # another lesson came between
    assert LessonProgress.objects.get(user=ae, lesson=lesson).last_viewed_at > first
