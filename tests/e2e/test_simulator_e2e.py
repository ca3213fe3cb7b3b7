"""In a real browser, the simulator shows the tier as the AE types, without a page reload."""

import pytest

from tests.factories import PASSWORD, AEFactory, tier_profiles

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_a_task_shows_the_tier_without_a_reload(page, live_server, login):
    AEFactory(username="sim-ae")
    tier_profiles()
    login("sim-ae", PASSWORD)
    page.goto(f"{live_server.url}/simulator/")
    assert page.title() == "Routing simulator · Tierwise"
    # Mark this page load; a full reload would wipe the marker.
    page.evaluate("window.__sameDocument = true")

    page.get_by_label("Task description").type(
        "Tag every inbound support ticket with its product area", delay=15
    )
    badge = page.locator("#result [data-tier]")
    badge.wait_for()
    assert badge.get_attribute("data-tier") == "small"
    assert page.get_by_role("heading", name="The four dimensions").is_visible()
    assert page.locator("#confidence-bar").is_visible()
    assert page.evaluate("window.__sameDocument") is True

    # Keep typing: the reading updates in place, still without a reload.
    page.get_by_label("Task description").fill(
        "Decide whether the revised indemnity clauses in this supplier contract expose us "
        "to liability and what to push back on"
    )
    page.get_by_label("Task description").press("End")
    page.locator('#result [data-tier="frontier"]').wait_for()
    assert page.evaluate("window.__sameDocument") is True


def test_too_long_task_shows_the_message_in_place(page, live_server, login):
    AEFactory(username="sim-ae2")
    login("sim-ae2", PASSWORD)
    page.goto(f"{live_server.url}/simulator/")
    # The textarea's maxlength stops typing past 1,000; remove it to reach the server check.
    page.evaluate("document.getElementById('task-text').removeAttribute('maxlength')")
    page.get_by_label("Task description").fill("x" * 1001)
    page.get_by_label("Task description").press("End")
    page.get_by_role("alert").filter(has_text="at most 1,000").wait_for()


TASK = "Tag every inbound support ticket with its product area"


@pytest.mark.parametrize("how", ["insert-text", "paste-event"])
def test_a_pasted_task_shows_the_tier_without_a_key_press(page, live_server, login, how):
    """A pasted task routes like a typed one. Pasting from the context menu or a clipboard
    manager sends no key events: "insert-text" puts the text in as the browser does for a
    paste (an input event, no keys); "paste-event" is a paste event with the text already in
    the box (what a browser's paste looks like to a listener that only hears paste)."""
    AEFactory(username=f"sim-paste-{how}")
    tier_profiles()
    login(f"sim-paste-{how}", PASSWORD)
    page.goto(f"{live_server.url}/simulator/")
    box = page.get_by_label("Task description")
    box.focus()
    if how == "insert-text":
        page.keyboard.insert_text(TASK)
    else:
        box.evaluate(
            """(box, text) => {
                box.value = text;
                box.dispatchEvent(new ClipboardEvent("paste", {bubbles: true}));
            }""",
            TASK,
        )
    badge = page.locator("#result [data-tier]")
    badge.wait_for()
    assert badge.get_attribute("data-tier") == "small"
