"""An AE answers a drill and sees feedback appear; replies to a buyer and sees the score."""

import re

import pytest

from tests.factories import (
    PASSWORD,
    AEFactory,
    PersonaFactory,
    RoleplayPromptFactory,
    ScenarioFactory,
    tier_profiles,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_answer_a_drill_and_see_the_feedback(page, live_server, login):
    AEFactory(username="drill-ae")
    tier_profiles()
    scenario = ScenarioFactory(slug="ticket-language", title="Detect the ticket language")
    login("drill-ae", PASSWORD)

    page.goto(f"{live_server.url}/drills/")
    page.get_by_label("Number of scenarios").fill("1")
    page.get_by_role("button", name="Start drill").click()
    page.get_by_role("heading", name=scenario.title).wait_for()
    session_url = page.url

    # Pick the wrong tier: the feedback replaces the question in place (htmx).
    page.get_by_label("Frontier").check()
    page.get_by_label("Guessing").check()
    page.get_by_role("button", name="Check my answer").click()
    feedback = page.locator("#drill-feedback")
    feedback.wait_for()
    assert "✗ Wrong" in feedback.inner_text()
    assert "Failure mode of your pick: Reasoning failure" in feedback.inner_text()
    assert "What the router says" in feedback.inner_text()
    assert page.url == session_url
    assert page.get_by_role("heading", name=re.compile("the answer is Small")).is_visible()


def test_submit_a_roleplay_reply_and_see_the_score(page, live_server, login):
    AEFactory(username="roleplay-ae")
    prompt = RoleplayPromptFactory(slug="cfo-expensive", persona=PersonaFactory(slug="cfo"))
    login("roleplay-ae", PASSWORD)

    page.goto(f"{live_server.url}/roleplay/")
    page.get_by_role("link", name=prompt.line).click()
    page.get_by_label("What do you say to").fill(
        "Frontier inference is priced for complex reasoning; most production traffic routes "
        "to mid-tier at roughly 10–20% of that cost."
    )
    page.get_by_role("button", name="Score my reply").click()
    score = page.locator("#roleplay-feedback .score")
    score.wait_for(timeout=60_000)  # the scorer trains on first use
    assert re.fullmatch(r"\d{1,3}/100", score.inner_text())
    assert "Strong" in page.locator("#roleplay-feedback").inner_text()
    assert page.get_by_role("heading", name="Your attempts on this prompt").is_visible()


def test_an_over_long_reply_shows_the_limit_message_in_place(page, live_server, login):
    """The server refuses replies over 2,000 characters; the message and the draft stay."""
    AEFactory(username="long-ae")
    prompt = RoleplayPromptFactory(slug="cfo-long", persona=PersonaFactory(slug="cfo-long"))
    login("long-ae", PASSWORD)
    page.goto(f"{live_server.url}/roleplay/{prompt.slug}/")
    # Get past the browser's own maxlength, as a script or an old browser could.
    page.locator("#reply-text").evaluate("el => el.removeAttribute('maxlength')")
    page.get_by_label("What do you say to").fill("Volume is the variable. " * 100)
    page.get_by_role("button", name="Score my reply").click()
    error = page.locator("#reply-error")
    error.wait_for()
    assert "limited to 2,000 characters" in error.inner_text()
    assert page.locator("#reply-text").input_value().startswith("Volume is the variable.")
