"""The manager assigns a quiz, the AE takes and passes it, the manager sees it and exports it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import content as quiz_content
from quizzes.models import QuestionKind, Quiz
from tests.factories import PASSWORD, AEFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")


def test_manager_assigns_ae_passes_manager_sees_result_and_csv(page, live_server, login):
    quiz_content.load()
    quiz = Quiz.objects.get(slug="tier-fundamentals")
    team = TeamFactory(name="Demo West")
    team.manager.username = "e2e-manager"
    team.manager.save()
    AEFactory(team=team, username="e2e-ae", first_name="Avery", last_name="Chen")
    csp_errors = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    # The manager assigns Tier fundamentals to the whole team, due in three days.
    login("e2e-manager", PASSWORD)
    page.goto(f"{live_server.url}/team/")
    page.get_by_role("link", name="Assign a quiz or drill set").click()
    page.get_by_label("Quiz", exact=True).select_option(label="Tier fundamentals")
    due = timezone.localtime() + timedelta(days=3)
    page.get_by_label("Due", exact=True).fill(due.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Note to the AEs").fill("Before the Acme design review")
    # While the form is on its way the button is disabled, so a second click sends nothing
    # (and the server would take a second copy for the same assignment anyway). The post is
    # held back here until the button has been checked.
    held = []
    page.route(
        "**/team/assign/",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    button = page.get_by_role("button", name="Assign and email the AEs")
    button.click()
    expect(button).to_be_disabled()
    button.click(force=True)
    assert len(held) == 1
    held[0].continue_()
    page.get_by_text("Assigned Tier fundamentals to 1 AE.").wait_for()
    page.wait_for_url(f"{live_server.url}/team/")
    assert len(held) == 1
    assert [m.to for m in mail.outbox] == [["e2e-ae@example.com"]]
    _log_out(page)

    # The AE sees it on the home page, takes the quiz and passes.
    login("e2e-ae", PASSWORD)
    assigned = page.get_by_role("region", name="Assigned to me")
    assert assigned.get_by_text("Not started").is_visible()
    assigned.get_by_role("link", name="Tier fundamentals").click()
    page.get_by_role("button", name="Start for your assignment").click()
    page.wait_for_url("**/quizzes/attempts/**")
    for question in quiz.questions.filter(is_active=True).prefetch_related("choices"):
        if question.kind == QuestionKind.TIER:
            page.locator(f'input[name="tier{question.pk}"][value="{question.answer_tier}"]').check()
        else:
            for choice in question.choices.all():
                if choice.is_correct:
                    page.locator(f'input[name="q{question.pk}"][value="{choice.pk}"]').check()
    # Answers were saved as the AE went (htmx), before any submit.
    page.get_by_text("Saved at").wait_for()
    page.get_by_role("button", name="Submit quiz").click()
    page.wait_for_url("**/result/")
    assert page.get_by_role("heading", name="Your score: 100.0%").is_visible()
    assert page.get_by_text("Passed", exact=True).is_visible()
    _log_out(page)

    # The manager sees the result on /team/ and downloads the CSV.
    login("e2e-manager", PASSWORD)
    page.goto(f"{live_server.url}/team/")
    assert page.get_by_text("1 of 1 done").is_visible()
    assert page.get_by_role("row", name="Avery Chen").get_by_text("Passed").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download results (CSV)").click()
    csv_text = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Avery Chen (e2e-ae),Tier fundamentals," in csv_text
    assert ",Passed,100.0,1," in csv_text
    assert csp_errors == []
