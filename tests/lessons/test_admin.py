"""The enablement admin edits the course, the catalogue and the guide after loading."""

import pytest
from django.urls import reverse

from lessons.admin import LessonForm
from lessons.models import Lesson

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    "tierprofile",
    "lesson",
    "checkquestion",
    "cataloguemodel",
    "namingsignal",
    "fieldguideentry",
    "lessonprogress",
    "checkanswer",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_lists_and_edit_pages_open(content, admin_client, model):
    assert admin_client.get(reverse(f"admin:lessons_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:lessons_{model}_add")).status_code == 200


def test_admin_lesson_edit_page_opens_with_its_questions(content, admin_client):
    lesson = Lesson.objects.get(slug="small")
    response = admin_client.get(reverse("admin:lessons_lesson_change", args=[lesson.pk]))
    assert response.status_code == 200
    assert "Why can" in response.content.decode()


def form_data(**overrides) -> dict:
    data = {
        "slug": "new-lesson",
        "title": "New lesson",
        "order": 9,
        "summary": "",
        "minutes": 3,
        "tier": "",
        "visual": "",
        "body": "Mid-tier runs at [[mid.latency]].",
        "takeaways": "",
        "is_published": True,
    }
    return data | overrides


def test_the_lesson_form_accepts_known_figure_tokens(content):
    assert LessonForm(data=form_data()).is_valid()


def test_the_lesson_form_refuses_an_unknown_token(content):
    form = LessonForm(data=form_data(body="It costs [[mid.price]]."))
    assert not form.is_valid()
    assert "[[mid.price]]" in str(form.errors["body"])


def test_the_lesson_form_refuses_a_reserved_slug(content):
    form = LessonForm(data=form_data(slug="catalogue"))
    assert not form.is_valid()
    assert "slug" in form.errors
