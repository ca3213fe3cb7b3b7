"""The routing simulator page: live (htmx) and plain-form routing, guess-first, 'I disagree'."""

from html import escape

import pytest
from django.urls import reverse

from routing.models import Disagreement, SimulatorPreference, TierGuess
from tests.factories import tier_profiles

pytestmark = pytest.mark.django_db

SMALL_TASK = "Tag every inbound support ticket with its product area so it lands in the right queue"
FRONTIER_TASK = (
    "Decide whether the supplier's revised indemnity clauses expose us to liability, "
    "and what we should push back on"
)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def profiles(db):
    return tier_profiles()


def test_page_has_a_live_textarea_and_a_plain_submit(ae_client):
    """The textarea routes as you type or paste (debounced htmx; a paste from the context
    menu sends no key events) and a real form posts without JS."""
    response = ae_client.get(reverse("routing:simulator"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-trigger="input changed delay:400ms, paste delay:400ms"' in html
    assert f'action="{reverse("routing:simulator_route")}"' in html
    assert 'method="post"' in html
    assert "Route it" in html
    assert '<label for="task-text">' in html


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("routing:simulator"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_htmx_routing_returns_only_the_result_partial(ae_client, profiles):
    response = ae_client.post(reverse("routing:simulator_route"), {"text": SMALL_TASK}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="result"' in html
    assert 'data-tier="small"' in html
    assert "<progress" in html  # confidence bar
    for title in ("Reasoning requirement", "Latency tolerance", "Cost sensitivity", "Failure mode"):
        assert title in html
    assert "“tag every”" in html or "“tag”" in html  # the phrases that drove it
    assert "sub-100ms" in html  # latency from the tier profile
    assert "the cost floor" in html  # relative cost from the tier profile
    assert "1,000,000 requests a month" in html


def test_plain_form_post_renders_the_whole_page_with_the_result(ae_client, profiles):
    """Without JavaScript the 'Route it' button posts the form and gets the full page."""
    response = ae_client.post(reverse("routing:simulator_route"), {"text": FRONTIER_TASK})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "Routing simulator" in html
    assert 'data-tier="frontier"' in html
    assert escape(FRONTIER_TASK) in html  # the typed text is kept in the textarea


def test_frontier_comparison_uses_the_tier_profiles_and_the_assumed_price(ae_client, profiles):
    """Small at 1M requests: 0.002 x (0.1..0.2) x 1M = 200..400; frontier 20,000..40,000."""
    response = ae_client.post(reverse("routing:simulator_route"), {"text": SMALL_TASK}, **HTMX)
    html = response.content.decode()
    assert "USD 20,000–40,000 instead of 200–400" in html
    assert "19,800–39,600 more a month" in html
    assert "Illustrative assumption" in html


def test_task_over_the_limit_gets_422_and_a_message(ae_client, profiles):
    response = ae_client.post(reverse("routing:simulator_route"), {"text": "x" * 1001}, **HTMX)
    assert response.status_code == 422
    assert "1,001 characters" in response.content.decode()
    assert "at most 1,000" in response.content.decode()


def test_task_at_the_limit_is_routed(ae_client, profiles):
    text = ("Tag each ticket by product. " * 40)[:1000]
    response = ae_client.post(reverse("routing:simulator_route"), {"text": text}, **HTMX)
    assert response.status_code == 200
    assert "data-tier=" in response.content.decode()


def test_empty_text_shows_the_prompt_again(ae_client):
    response = ae_client.post(reverse("routing:simulator_route"), {"text": "  "}, **HTMX)
    assert response.status_code == 200
    assert "Start typing" in response.content.decode()


def test_page_works_without_tier_profiles(ae_client):
    """Before content is loaded the tier still shows; the money explains why it is missing."""
    response = ae_client.post(reverse("routing:simulator_route"), {"text": SMALL_TASK}, **HTMX)
    assert response.status_code == 200
    assert "Tier figures are not loaded yet" in response.content.decode()


def test_mutating_endpoints_refuse_get(ae_client):
    for name in ("simulator_route", "simulator_guess", "simulator_mode", "simulator_disagree"):
        assert ae_client.get(reverse(f"routing:{name}")).status_code == 405


# --- guess first ------------------------------------------------------------------------------


def test_guess_first_mode_is_remembered_per_ae(ae_client, ae, other_ae):
    response = ae_client.post(reverse("routing:simulator_mode"), {"guess_first": "on"})
    assert response.status_code == 302
    assert SimulatorPreference.objects.get(user=ae).guess_first
    assert not SimulatorPreference.objects.filter(user=other_ae).exists()
    page = ae_client.get(reverse("routing:simulator")).content.decode()
    assert "Your guess: which tier?" in page
    assert "input changed" not in page  # no live reveal before the guess
    ae_client.post(reverse("routing:simulator_mode"), {})
    assert not SimulatorPreference.objects.get(user=ae).guess_first


def test_a_wrong_guess_is_stored_and_feedback_names_the_deciding_dimension(ae_client, ae, profiles):
    response = ae_client.post(
        reverse("routing:simulator_guess"), {"text": FRONTIER_TASK, "guess": "small"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not quite." in html
    assert "You picked small; the router sends it to frontier" in html
    assert "What decides it:" in html
    guess = TierGuess.objects.get(user=ae)
    assert guess.guessed_tier == "small" and guess.routed_tier == "frontier"
    assert not guess.is_correct
    assert guess.deciding_dimension in {"reasoning", "latency", "volume", "stakes"}
    # The AE's running record shows on the page in guess-first mode.
    ae_client.post(reverse("routing:simulator_mode"), {"guess_first": "on"})
    page = ae_client.get(reverse("routing:simulator")).content.decode()
    assert "Your record so far: 0 of 1 right." in page


def test_a_right_guess_is_confirmed(ae_client, ae, profiles):
    response = ae_client.post(
        reverse("routing:simulator_guess"), {"text": SMALL_TASK, "guess": "small"}, **HTMX
    )
    assert "Correct." in response.content.decode()
    assert TierGuess.objects.get(user=ae).is_correct


def test_guess_without_a_tier_is_refused_with_a_message(ae_client, ae):
    response = ae_client.post(reverse("routing:simulator_guess"), {"text": SMALL_TASK}, **HTMX)
    assert response.status_code == 422
    assert "Pick a tier" in response.content.decode()
    assert not TierGuess.objects.exists()


# --- I disagree -------------------------------------------------------------------------------


def test_disagreement_is_stored_for_admin_review(ae_client, ae, profiles):
    response = ae_client.post(
        reverse("routing:simulator_disagree"),
        {"text": SMALL_TASK, "suggested_tier": "mid", "reason": "They want a reply drafted too."},
        **HTMX,
    )
    assert response.status_code == 200
    assert "stored for an admin to review" in response.content.decode()
    stored = Disagreement.objects.get(user=ae)
    assert stored.suggested_tier == "mid"
    assert stored.routed_tier in {"small", "mid"}
    assert stored.status == Disagreement.Status.PENDING
    assert stored.latency and stored.volume and stored.stakes  # pre-filled from the readings


def test_disagreement_without_javascript_renders_the_page(ae_client, ae, profiles):
    response = ae_client.post(
        reverse("routing:simulator_disagree"), {"text": SMALL_TASK, "suggested_tier": "frontier"}
    )
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert Disagreement.objects.filter(user=ae, suggested_tier="frontier").exists()


def test_disagreement_with_an_overlong_reason_is_refused(ae_client, ae, profiles):
    response = ae_client.post(
        reverse("routing:simulator_disagree"),
        {"text": SMALL_TASK, "suggested_tier": "mid", "reason": "r" * 501},
        **HTMX,
    )
    assert response.status_code == 422
    assert "the limit is 500" in response.content.decode()
    assert not Disagreement.objects.exists()


def test_simulator_posts_are_rate_limited(ae_client, settings, frozen_clock):
    """120 posts a minute from one AE, then 429 (the clock is stopped: all in one window)."""
    settings.RATELIMIT_ENABLE = True
    url = reverse("routing:simulator_route")
    statuses = [ae_client.post(url, {"text": ""}, **HTMX).status_code for _ in range(122)]
    assert statuses == [200] * 120 + [429, 429]
    # The next minute the AE routes again.
    frozen_clock.shift(60)
    assert ae_client.post(url, {"text": ""}, **HTMX).status_code == 200
