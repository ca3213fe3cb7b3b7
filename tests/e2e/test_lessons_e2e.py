"""An AE works through a lesson in a real browser: opens it, answers the knowledge check,
marks it complete and sees the progress bar move; then practises with flashcards."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import PASSWORD, AEFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def course(db):
    call_command("load_content", stdout=StringIO())


def bar_value(page) -> str:
    return page.locator("#course-progress-bar").get_attribute("value")


def test_ae_answers_the_check_and_completes_a_lesson(page, live_server, login, course):
    AEFactory(username="browser-ae")
    login("browser-ae", PASSWORD)

    # The course page starts empty.
    page.goto(f"{live_server.url}/lessons/")
    assert page.get_by_text("0 of 8 lessons complete (0%)").is_visible()
    page.get_by_role("link", name="Small models").click()
    assert page.get_by_role("heading", level=1, name="Small models").is_visible()

    # A wrong answer is explained in place, without a page load.
    question = page.locator(".check").first
    question.get_by_label("Frontier models aren't capable of classification").check()
    question.get_by_role("button", name="Check answer").click()
    feedback = page.locator(".check").first.locator(".feedback")
    feedback.wait_for()
    assert "Not quite." in feedback.inner_text()
    assert "architectural constraint" in feedback.inner_text()

    # The right answer says so.
    question = page.locator(".check").first
    question.get_by_label("It's too slow to sit in the request path", exact=False).check()
    question.get_by_role("button", name="Check again").click()
    page.locator(".check").first.get_by_text("✓ Correct.").wait_for()

    # Marking complete swaps the button and moves the bar on the same page.
    assert bar_value(page) == "0"
    page.get_by_role("button", name="Mark this lesson complete").click()
    page.get_by_text("You completed this lesson on").wait_for()
    assert bar_value(page) == "1"
    assert page.get_by_text("1 of 8 lessons complete (12%)").is_visible()

    # The course page and the home page agree, and "continue" moves on.
    page.goto(f"{live_server.url}/lessons/")
    assert bar_value(page) == "1"
    assert page.get_by_text("✓ Completed").count() == 1
    assert page.get_by_role(
        "link", name="Continue where you left off: Four dimensions"
    ).is_visible()
    page.goto(f"{live_server.url}/")
    assert bar_value(page) == "1"


def test_flashcards_reveal_the_do_say_line(page, live_server, login, course):
    AEFactory(username="card-ae")
    login("card-ae", PASSWORD)
    page.goto(f"{live_server.url}/field-guide/?mode=cards")
    do_say = page.get_by_text(
        "We're running frontier models for complex reasoning tasks", exact=False
    )
    assert page.get_by_text('"We\'re using GPT-4 for everything"').is_visible()
    assert not do_say.is_visible()

    page.get_by_label("Your phrasing").fill("We route by task, not by vendor")
    page.get_by_text("Reveal the Do say line").click()
    assert do_say.is_visible()
    assert page.get_by_text("Names the architecture, not just the vendor").is_visible()

    # The next card comes in place (htmx) and starts hidden again.
    page.get_by_role("link", name="Next card →").click()
    page.get_by_role("heading", name="Card 2 of 10").wait_for()
    assert page.url.endswith("card=2")
    assert not page.get_by_text("Separates cost from capability", exact=False).is_visible()


def test_field_guide_filters_as_you_type(page, live_server, login, course):
    AEFactory(username="guide-ae")
    login("guide-ae", PASSWORD)
    page.goto(f"{live_server.url}/field-guide/")
    page.get_by_label("Filter the guide").fill("procurement")
    page.get_by_text("1 of 10 lines match", exact=False).wait_for()
    assert page.locator("table.guide tbody tr").count() == 1
