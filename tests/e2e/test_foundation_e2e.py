"""An AE logs in through the real browser and lands on their dashboard."""

import pytest

from tests.factories import PASSWORD, AEFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_ae_logs_in_and_sees_next_steps(page, live_server, login):
    AEFactory(username="browser-ae")
    login("browser-ae", PASSWORD)
    assert page.title() == "Home · Tierwise"
    assert page.get_by_role("heading", name="Your next steps").is_visible()
    # The skip link is the first thing keyboard users reach.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
