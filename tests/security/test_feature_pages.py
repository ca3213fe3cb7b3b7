"""Every feature page and htmx partial carries the security headers, renders no markup the
CSP would block (lesson bodies come from Markdown), and the rate-limited endpoints answer 429
with a message."""

from __future__ import annotations

import pytest

from tests.hardening import assert_security_headers, csp_violations

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _pages(w) -> list[tuple[str, str]]:
    return [
        ("owner", "/"),
        ("owner", "/lessons/"),
        ("owner", f"/lessons/{w.lesson.slug}/"),
        ("owner", "/lessons/catalogue/"),
        ("owner", "/field-guide/"),
        ("owner", "/field-guide/?mode=cards"),
        ("owner", "/simulator/"),
        ("owner", "/simulator/plan/"),
        ("owner", f"/simulator/plan/{w.plan.pk}/"),
        ("owner", f"/simulator/plan/{w.plan.pk}/print/"),
        ("owner", "/drills/"),
        ("owner", f"/drills/{w.drill.pk}/"),
        ("owner", "/roleplay/"),
        ("owner", f"/roleplay/{w.prompt.slug}/"),
        ("owner", "/quizzes/"),
        ("owner", f"/quizzes/{w.quiz.slug}/"),
        ("owner", f"/quizzes/attempts/{w.open_attempt.pk}/"),
        ("owner", f"/quizzes/attempts/{w.submitted_attempt.pk}/result/"),
        ("manager", "/"),
        ("manager", "/team/"),
        ("manager", "/team/assign/"),
        ("admin", "/team/"),
    ]


def test_every_feature_page_is_csp_clean_with_the_headers(world):
    """With the real content loaded: every lesson (Markdown bodies), the guide, the catalogue."""
    from io import StringIO

    from django.core.management import call_command

    from lessons.models import Lesson

    call_command("load_content", stdout=StringIO())
    lessons = [("owner", lesson.get_absolute_url()) for lesson in Lesson.objects.published()]
    assert len(lessons) >= 8
    problems = {}
    for role, url in _pages(world) + lessons:
        response = world.client(role).get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        assert_security_headers(response)
        found = csp_violations(response.content.decode())
        if found:
            problems[url] = found
    assert problems == {}


def test_htmx_partials_carry_the_headers_and_are_csp_clean(world, settings):
    settings.RATELIMIT_ENABLE = False
    owner = world.client("owner")
    question = world.check_question
    attempt = world.open_attempt
    requests = [
        ("/simulator/route/", {"text": "Classify support tickets into five queues"}),
        ("/simulator/guess/", {"text": "Summarise call transcripts", "guess": "mid"}),
        ("/simulator/route/", {"text": "x" * 5000}),  # over the limit: 422 partial
        (f"/lessons/{world.lesson.slug}/check/{question.pk}/", {"choice": "0"}),
        (
            f"/drills/{world.drill.pk}/answer/",
            {"scenario": str(world.scenario.pk), "tier": "mid", "confidence": "sure"},
        ),
        (f"/roleplay/{world.prompt.slug}/reply/", {"text": "We route by task."}),
        (f"/quizzes/attempts/{attempt.pk}/answer/", {"question": [str(attempt.question_ids[0])]}),
    ]
    for url, data in requests:
        response = owner.post(url, data, **HTMX)
        assert response.status_code < 500, url
        assert_security_headers(response)
        assert csp_violations(response.content.decode()) == [], url
        assert "<html" not in response.content.decode(), f"{url} sent a whole page to htmx"


@pytest.mark.parametrize(
    ("url", "data", "limit"),
    [
        ("/simulator/route/", {"text": ""}, 120),
        ("/simulator/plan/", {"workloads": ""}, 120),
        ("/roleplay/{prompt}/reply/", {"text": ""}, 60),
    ],
)
def test_simulator_plan_and_roleplay_are_rate_limited_with_a_message(
    world, url, data, limit, frozen_clock
):
    """Past the limit the answer is 429 and says what to do; other AEs are not slowed."""
    url = url.format(prompt=world.prompt.slug)
    owner = world.client("owner")
    statuses = [owner.post(url, data).status_code for _ in range(limit)]
    assert 429 not in statuses
    response = owner.post(url, data)
    assert response.status_code == 429
    assert "minute" in response.content.decode()
    htmx = owner.post(url, data, **HTMX)
    assert htmx.status_code == 429
    assert "<html" not in htmx.content.decode()
    assert world.client("teammate").post(url, data).status_code != 429
