"""A role-play conversation in a real browser: the AE falls into a Don't-say framing, gets
that framing's pushback, recovers, and finishes; the manager reviews it, overrides a check and
comments; the AE sees the review."""

from io import StringIO

import pytest
from django.core.management import call_command

from practice.models import CheckKind, Conversation, Rubric, RubricCheck, Script
from tests.factories import PASSWORD, AEFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)

DONT_SAY = "Honestly we just run GPT-4 on all of it too, it's the simplest way."
RECOVERY = (
    "Fair challenge. Route by task: small models tag and triage every shipment update inline, "
    "mid-tier handles the structured bulk, roughly 80% of traffic at 10-20% of frontier cost, "
    "and frontier is reserved for the exceptions that need judgment."
)


def test_a_conversation_with_a_cto_and_its_review(browser, page, live_server, login):
    call_command("load_content", stdout=StringIO())
    team = TeamFactory(name="Chat Team")
    team.manager.username = "chat-manager"
    team.manager.save()
    AEFactory(team=team, username="chat-ae", first_name="Alex", last_name="Kim")
    script = Script.objects.get(slug="cto-one-model-everything")
    rubric = Rubric.objects.create(script=script, pass_mark=50)
    RubricCheck.objects.create(
        rubric=rubric,
        order=1,
        label="Names the tier for each task",
        kind=CheckKind.IDEA,
        idea="tier_named",
    )
    url = live_server.url

    login("chat-ae", PASSWORD)
    page.goto(f"{url}/roleplay/")
    page.locator("li", has_text=script.title).get_by_role("button", name="Start").click()
    chat = page.locator("#chat")
    chat.get_by_text("We run GPT-4 for everything").wait_for()

    # A Don't-say framing: the CTO pushes back on exactly that (htmx, no reload).
    page.get_by_label("Your reply").fill(DONT_SAY)
    page.get_by_role("button", name="Send reply").click()
    chat.get_by_text("you just said it like that's fine").wait_for()

    # Recover until the buyer closes.
    for _ in range(6):
        if page.get_by_role("heading", name="Scorecard").count():
            break
        page.get_by_label("Your reply").fill(RECOVERY)
        page.get_by_role("button", name="Send reply").click()
        page.wait_for_timeout(300)
    page.get_by_role("heading", name="Scorecard").wait_for()
    assert "Don't-say rows hit: 1" in page.locator(".scorecard").inner_text()
    conversation = Conversation.objects.get(user__username="chat-ae")

    # The manager reviews it from the queue on /team/, overriding the check.
    page.context.clear_cookies()
    login("chat-manager", PASSWORD)
    page.goto(f"{url}/team/")
    page.get_by_role("link", name="Review").first.click()
    page.get_by_label("No").first.check()
    page.get_by_label("Weak").check()
    page.get_by_label("Overall comment").fill("Lead with the routing, not with agreement.")
    page.get_by_role("button", name="Save review").click()
    page.get_by_text("Review saved").wait_for()
    review = conversation.reviews.get()
    assert review.checks.get().value is False

    # The AE sees it.
    page.context.clear_cookies()
    login("chat-ae", PASSWORD)
    page.goto(f"{url}/roleplay/conversations/{conversation.pk}/")
    assert page.get_by_text("Lead with the routing, not with agreement.").is_visible()
    assert page.get_by_text("overridden").first.is_visible()
