"""The two journeys in a real browser, with axe-core and the CSP checked on every page:
an AE's first day (log in, first lesson, knowledge check, field guide, simulator, a drill, a
role-play reply, a quiz) and a manager's week (assign, the AE takes it, results, CSV)."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from lessons.models import Lesson
from practice.models import RoleplayPrompt
from quizzes.models import QuestionKind, Quiz
from tests.factories import PASSWORD, AEFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content(db):
    from practice.scorer import get_scorer

    call_command("load_content", stdout=StringIO())
    get_scorer()  # trained once per process (seconds); gunicorn.conf.py warms it at start-up


@pytest.fixture
def demo_team(db):
    team = TeamFactory(name="Journey Team")
    team.manager.username = "journey-manager"
    team.manager.save()
    AEFactory(team=team, username="journey-ae", first_name="Jordan", last_name="Lee")
    return team


def test_an_aes_first_day(page, live_server, login, check_accessible, content, demo_team):
    url = live_server.url
    login("journey-ae", PASSWORD)
    check_accessible("AE home")

    # The first lesson, and its knowledge check answered in place.
    first = Lesson.objects.published().order_by("order").first()
    page.goto(f"{url}/lessons/")
    check_accessible("lesson index")
    page.goto(f"{url}/lessons/{first.slug}/")
    assert page.get_by_role("heading", level=1, name=first.title).is_visible()
    check_accessible("first lesson")
    check = page.locator(".check").first
    if check.count():
        check.locator("input[type=radio]").first.check()
        check.get_by_role("button").click()
        page.locator(".check").first.locator(".feedback").wait_for()
        check_accessible("lesson with check feedback")

    # The field guide.
    page.goto(f"{url}/field-guide/")
    check_accessible("field guide")

    # The simulator routes a task.
    page.goto(f"{url}/simulator/")
    check_accessible("simulator")
    page.get_by_label("Task description").fill(
        "Classify each incoming support ticket into one of five queues, inline"
    )
    page.get_by_role("button", name="Route it").click()
    page.get_by_role("heading", name="Routed to").wait_for()
    check_accessible("simulator with a result")

    # A drill: start, pick a tier, see the verdict.
    page.goto(f"{url}/drills/")
    check_accessible("drills")
    page.get_by_role("button", name="Start drill").click()
    page.wait_for_url("**/drills/*/")
    check_accessible("drill scenario")
    page.locator('input[name="tier"]').first.check()
    page.get_by_role("button", name="Check my answer").click()
    page.locator("#drill-card-heading").filter(has_text="answer is").or_(
        page.locator("#drill-card-heading").filter(has_text="Right:")
    ).wait_for()
    check_accessible("drill feedback")

    # A role-play reply gets a score.
    prompt = RoleplayPrompt.objects.filter(is_active=True).first()
    page.goto(f"{url}/roleplay/")
    check_accessible("role-play")
    page.goto(f"{url}/roleplay/{prompt.slug}/")
    page.locator("#reply-text").fill(
        "We route each task to the tier that fits it: small models triage inline, mid-tier "
        "handles most of the traffic at a fraction of the cost, and frontier only where "
        "judgment is needed."
    )
    page.get_by_role("button", name="Score my reply").click()
    page.get_by_role("heading", name="Feedback").wait_for()
    check_accessible("role-play feedback")

    # A self-paced quiz.
    page.goto(f"{url}/quizzes/")
    check_accessible("quizzes")
    page.locator("main h3 a").first.click()
    page.get_by_role("button", name="Start a self-paced attempt").click()
    page.wait_for_url("**/quizzes/attempts/*/")
    check_accessible("quiz in progress")
    page.get_by_role("button", name="Submit quiz").click()
    page.wait_for_url("**/result/")
    check_accessible("quiz result")


def test_a_managers_week(page, live_server, login, check_accessible, content, demo_team):
    url = live_server.url

    # Monday: the manager assigns a quiz to the team.
    login("journey-manager", PASSWORD)
    check_accessible("manager home")
    page.goto(f"{url}/team/")
    check_accessible("team before")
    page.get_by_role("link", name="Assign a quiz or drill set").click()
    check_accessible("assignment form")
    page.get_by_label("Quiz", exact=True).select_option(label="Tier fundamentals")
    due = timezone.localtime() + timedelta(days=4)
    page.get_by_label("Due", exact=True).fill(due.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Assign and email the AEs").click()
    page.get_by_text("Assigned Tier fundamentals to 1 AE.").wait_for()
    check_accessible("team after assigning")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")

    # Wednesday: the AE takes it from the home page.
    login("journey-ae", PASSWORD)
    page.get_by_role("region", name="Assigned to me").get_by_role(
        "link", name="Tier fundamentals"
    ).click()
    page.get_by_role("button", name="Start for your assignment").click()
    page.wait_for_url("**/quizzes/attempts/*/")
    quiz = Quiz.objects.get(slug="tier-fundamentals")
    for question in quiz.questions.filter(is_active=True).prefetch_related("choices"):
        if question.kind == QuestionKind.TIER:
            page.locator(f'input[name="tier{question.pk}"][value="{question.answer_tier}"]').check()
        for choice in question.choices.all():
            if choice.is_correct:
                page.locator(f'input[name="q{question.pk}"][value="{choice.pk}"]').check()
    page.get_by_role("button", name="Submit quiz").click()
    page.wait_for_url("**/result/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")

    # Friday: the manager sees who has done it and exports the results.
    login("journey-manager", PASSWORD)
    page.goto(f"{url}/team/")
    assert page.get_by_text("1 of 1 done").is_visible()
    assert page.get_by_role("row", name="Jordan Lee").get_by_text("Passed").is_visible()
    check_accessible("team with results")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download results (CSV)").click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Jordan Lee (journey-ae),Tier fundamentals," in csv_text
