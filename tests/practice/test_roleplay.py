"""Role-play pages: prompts, the reply form, feedback, history, limits."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from practice.models import RoleplayAttempt
from tests.factories import PersonaFactory, RoleplayPromptFactory

pytestmark = pytest.mark.django_db

DONT_SAY_2 = "Honestly, the AI is expensive and there's not much anyone can do about that."
STRONG = (
    "Frontier inference is priced for complex reasoning, and that's where the expensive "
    "quotes come from. Most production traffic routes to mid-tier at roughly 10-20% of "
    "that cost, so the routing logic is what keeps your budget predictable."
)


@pytest.fixture(autouse=True)
def _guide(field_guide):
    """The scorer coaches from the field guide rows in the database."""


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def prompt(db):
    return RoleplayPromptFactory(
        slug="cfo-ai-expensive", persona=PersonaFactory(slug="cost-cfo", name="Dana Whitfield")
    )


def reply_url(prompt):
    return reverse("practice:roleplay_reply", args=[prompt.slug])


def prompt_url(prompt):
    return reverse("practice:roleplay_prompt", args=[prompt.slug])


def test_index_lists_personas_and_their_prompts(ae_client, prompt):
    html = ae_client.get(reverse("practice:roleplay")).content.decode()
    assert "Dana Whitfield" in html
    assert reverse("practice:roleplay_prompt", args=[prompt.slug]) in html
    assert "Not tried yet." in html


def test_prompt_page_has_a_labelled_reply_form_with_a_fallback(ae_client, prompt):
    html = ae_client.get(reverse("practice:roleplay_prompt", args=[prompt.slug])).content.decode()
    assert prompt.line in html
    assert '<label for="reply-text">' in html
    assert 'maxlength="2000"' in html
    assert f'action="{reply_url(prompt)}"' in html


def test_a_dont_say_reply_is_flagged_with_the_guide_line_and_why(ae_client, ae, prompt):
    response = ae_client.post(reply_url(prompt), {"text": DONT_SAY_2}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    attempt = RoleplayAttempt.objects.get(user=ae)
    assert response.status_code == 200
    assert attempt.verdict == "weak" and attempt.dont_say_rows[0] == 2
    assert "Row 2: “The AI is expensive”" in html
    assert f'Score <strong class="score">{attempt.score}/100</strong>' in html
    assert "Weak" in html
    assert "Frontier inference is priced for complex reasoning; most production traffic" in html
    assert "Separates cost from capability, opens the routing conversation" in html
    assert "<html" not in html  # the htmx partial only


def test_a_strong_reply_scores_strong_and_lists_its_ideas(ae_client, ae, prompt):
    response = ae_client.post(reply_url(prompt), {"text": STRONG})
    attempt = RoleplayAttempt.objects.get(user=ae)
    assert response.status_code == 302  # plain form: redirect to the feedback
    assert response["Location"].endswith(f"?attempt={attempt.pk}")
    html = ae_client.get(response["Location"]).content.decode()
    assert attempt.verdict == "strong" and attempt.score >= 50
    assert "✓ Strong" in html
    assert "Most traffic (about 80%) on mid-tier at 10–20% of frontier cost" in html
    assert "None: your reply avoids the ten Don't-say framings." in html


def test_history_shows_every_attempt_on_the_prompt(ae_client, ae, prompt):
    """The AE sees their attempts on this prompt so they can see improvement."""
    ae_client.post(reply_url(prompt), {"text": DONT_SAY_2})
    ae_client.post(reply_url(prompt), {"text": STRONG})
    other_prompt = RoleplayPromptFactory(slug="other", persona=prompt.persona)
    ae_client.post(reply_url(other_prompt), {"text": "Something else entirely."})
    html = ae_client.get(reverse("practice:roleplay_prompt", args=[prompt.slug])).content.decode()
    scores = list(
        RoleplayAttempt.objects.filter(user=ae, prompt=prompt).values_list("score", flat=True)
    )
    assert len(scores) == 2
    assert html.count("?attempt=") == 2
    first, latest = scores[1], scores[0]  # newest first
    assert f"First score {first}, latest {latest}, best {max(scores)} over 2 attempts." in html
    assert "Something else entirely." not in html
    index = ae_client.get(reverse("practice:roleplay")).content.decode()
    assert f"Your best: {max(scores)}/100 over 2 attempts." in index


def test_a_reply_over_2000_characters_is_refused_and_kept(ae_client, ae, prompt):
    """Replies are limited to 2,000 characters on the server; the draft stays in the form."""
    text = "Route it. " * 201
    for htmx in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = ae_client.post(reply_url(prompt), {"text": text}, **htmx)
        html = response.content.decode()
        assert response.status_code == 413
        assert "limited to 2,000 characters" in html
        assert "Route it. Route it." in html
    assert not RoleplayAttempt.objects.exists()


def test_exactly_2000_characters_is_accepted(ae_client, ae, prompt):
    ae_client.post(reply_url(prompt), {"text": "a" * 2000})
    assert RoleplayAttempt.objects.filter(user=ae).count() == 1


def test_an_empty_reply_gets_a_message_and_422(ae_client, prompt):
    response = ae_client.post(reply_url(prompt), {"text": "   "})
    assert response.status_code == 422
    assert b"Type a reply to the buyer first." in response.content
    assert not RoleplayAttempt.objects.exists()


def test_replies_are_rate_limited_per_user(ae_client, ae, prompt, frozen_clock):
    """60 replies a minute, then 429 with a clear message; saved attempts are kept."""
    for n in range(60):
        response = ae_client.post(reply_url(prompt), {"text": f"Route it, take {n}."})
        assert response.status_code == 302
    response = ae_client.post(reply_url(prompt), {"text": "One more."})
    assert response.status_code == 429
    assert "faster than we allow" in response.content.decode()
    assert "One more." in response.content.decode()
    assert RoleplayAttempt.objects.filter(user=ae).count() == 60


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_the_same_reply_sent_twice_is_stored_once(ae_client, ae, prompt, htmx, frozen_clock):
    """A double click or a resubmit sends the same text again: one attempt in the history, and
    both answers show it. Other text, or the same text to another prompt, is a new attempt."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    first = ae_client.post(reply_url(prompt), {"text": STRONG}, **headers)
    again = ae_client.post(reply_url(prompt), {"text": f"  {STRONG}\n"}, **headers)
    attempt = RoleplayAttempt.objects.get(user=ae, prompt=prompt)
    assert first.status_code == again.status_code
    if htmx:
        for response in (first, again):
            assert response.content.decode().count("?attempt=") == 1  # one row in the history
            assert f"?attempt={attempt.pk}" in response.content.decode()
    else:
        assert (
            first["Location"] == again["Location"] == f"{prompt_url(prompt)}?attempt={attempt.pk}"
        )
    ae_client.post(reply_url(prompt), {"text": DONT_SAY_2})
    other_prompt = RoleplayPromptFactory(slug="other", persona=prompt.persona)
    ae_client.post(reply_url(other_prompt), {"text": STRONG})
    assert RoleplayAttempt.objects.filter(user=ae).count() == 3


def test_the_same_reply_later_is_a_new_attempt(ae_client, ae, prompt, frozen_clock):
    ae_client.post(reply_url(prompt), {"text": STRONG})
    frozen_clock.shift(600)
    ae_client.post(reply_url(prompt), {"text": STRONG})
    assert RoleplayAttempt.objects.filter(user=ae, prompt=prompt).count() == 2


def test_another_aes_attempt_is_404(client, ae_client, other_ae, prompt):
    ae_client.post(reply_url(prompt), {"text": DONT_SAY_2})
    attempt = RoleplayAttempt.objects.get()
    client.force_login(other_ae)
    url = reverse("practice:roleplay_prompt", args=[prompt.slug]) + f"?attempt={attempt.pk}"
    assert client.get(url).status_code == 404
    html = client.get(reverse("practice:roleplay_prompt", args=[prompt.slug])).content.decode()
    assert DONT_SAY_2 not in html


def test_reply_url_refuses_get_and_unknown_prompts_are_404(ae_client, prompt):
    assert ae_client.get(reply_url(prompt)).status_code == 405
    missing = reverse("practice:roleplay_reply", args=["no-such-prompt"])
    assert ae_client.post(missing, {"text": "hi"}).status_code == 404
