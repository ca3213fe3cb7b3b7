"""Scenario drill pages: starting a session, answering, feedback (htmx and plain)."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from practice.models import DrillAnswer, DrillSession
from practice.router_view import RouterView
from tests.factories import DrillSessionFactory, ScenarioFactory, tier_profiles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def profiles(db):
    """The tier profiles hold each tier's failure mode; drill feedback reads it there."""
    return tier_profiles()


@pytest.fixture
def scenario(db):
    return ScenarioFactory(
        slug="contract-exposure",
        title="Does this amendment create exposure?",
        correct_tier="frontier",
        explanation="Judgment under ambiguity with legal implications: no deterministic rubric.",
        wrong_picks={
            "mid": "Mid-tier writes a tidy summary that misses the indemnity shift.",
            "small": "A small model tags it as an amendment and the risk goes unreviewed.",
        },
    )


@pytest.fixture
def session(ae, scenario):
    return DrillSessionFactory(user=ae, scenario_ids=[scenario.pk])


def answer_url(session):
    return reverse("practice:drill_answer", args=[session.pk])


def test_starting_a_drill_defaults_to_ten_scenarios(ae_client, ae):
    for i in range(12):
        ScenarioFactory(slug=f"bank-{i}")
    response = ae_client.post(reverse("practice:drill_start"))
    session = DrillSession.objects.get(user=ae)
    assert response.status_code == 302
    assert response["Location"] == reverse("practice:drill_session", args=[session.pk])
    assert session.size == 10


def test_starting_a_drill_accepts_size_in_the_query_string(ae_client, ae):
    """A manager's assigned drill set links to /drills/start/?size=N."""
    for i in range(6):
        ScenarioFactory(slug=f"bank-{i}")
    ae_client.post(reverse("practice:drill_start") + "?size=4")
    assert DrillSession.objects.get(user=ae).size == 4
    # The start form on /drills/?size=N is prefilled with N.
    html = ae_client.get(reverse("practice:drills") + "?size=4").content.decode()
    assert 'name="size" min="1" max="50" value="4"' in html


@pytest.mark.parametrize("size", ["0", "500", "ten"])
def test_a_bad_size_is_refused_with_a_message(ae_client, ae, size):
    ScenarioFactory()
    response = ae_client.post(reverse("practice:drill_start"), {"size": size})
    assert response.status_code == 422
    assert b'role="alert"' in response.content
    assert not DrillSession.objects.filter(user=ae).exists()


def test_the_session_page_shows_the_task_and_the_pick_form(ae_client, session, scenario):
    html = ae_client.get(reverse("practice:drill_session", args=[session.pk])).content.decode()
    assert scenario.title in html
    assert scenario.task in html
    assert 'name="tier" value="frontier"' in html
    assert 'name="confidence" value="guessing"' in html
    assert f'action="{answer_url(session)}"' in html  # the plain-form fallback


def test_a_right_pick_says_right_and_why(ae_client, session, scenario):
    response = ae_client.post(
        answer_url(session),
        {"scenario": scenario.pk, "tier": "frontier", "confidence": "sure"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Right: Frontier" in html
    assert scenario.explanation in html
    assert "Failure mode of your pick" not in html
    assert "<html" not in html  # only the card, for htmx


@pytest.mark.parametrize(
    ("picked", "failure_mode"),
    [("mid", "Task-fit failure"), ("small", "Classification failure")],
)
def test_a_wrong_pick_shows_the_failure_mode_of_the_picked_tier(
    ae_client, session, scenario, picked, failure_mode
):
    """The failure mode shown is the source's failure mode of the tier the AE picked, with
    the scenario's text for that wrong pick."""
    response = ae_client.post(
        answer_url(session),
        {"scenario": scenario.pk, "tier": picked, "confidence": "think_so"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Not quite: the answer is Frontier" in html
    assert f"Failure mode of your pick: {failure_mode}" in html
    assert scenario.wrong_picks[picked] in html
    other = {"mid", "small"} - {picked}
    assert scenario.wrong_picks[other.pop()] not in html


def test_frontier_picked_for_a_small_task_is_a_reasoning_failure(ae_client, ae):
    small = ScenarioFactory(slug="language-detect", correct_tier="small")
    session = DrillSessionFactory(user=ae, scenario_ids=[small.pk])
    html = ae_client.post(
        answer_url(session),
        {"scenario": small.pk, "tier": "frontier", "confidence": "sure"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Failure mode of your pick: Reasoning failure" in html
    assert small.wrong_picks["frontier"] in html


def test_plain_form_answer_redirects_to_the_same_feedback(ae_client, session, scenario):
    """Without JavaScript the form posts, redirects, and the page shows the feedback."""
    response = ae_client.post(
        answer_url(session), {"scenario": scenario.pk, "tier": "mid", "confidence": "sure"}
    )
    answer = DrillAnswer.objects.get(session=session)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?answer={answer.pk}")
    page = ae_client.get(response["Location"])
    html = page.content.decode()
    assert "<html" in html
    assert "Failure mode of your pick: Task-fit failure" in html
    assert "Drill finished" in html  # it was the only scenario


def test_feedback_shows_what_the_router_says(ae_client, session, scenario, monkeypatch):
    """The router's pick and its reasons appear, and whether it agrees with the answer."""

    class Reading:
        name, label, reason = "reasoning", "judge", "legal implications need judgment"

    view = RouterView(
        tier="mid",
        model_tier="mid",
        confidence=0.61,
        agrees=False,
        dimensions=[Reading()],
        phrases=["contract amendment"],
    )
    monkeypatch.setattr("practice.views.router_view", lambda text, tier: view)
    html = ae_client.post(
        answer_url(session),
        {"scenario": scenario.pk, "tier": "frontier", "confidence": "sure"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "What the router says" in html
    assert re.search(r"sends this task to\s*<strong[^>]*>Efficient mid-tier</strong>", html)
    assert "not the answer here" in html
    assert "legal implications need judgment" in html
    assert "contract amendment" in html


@pytest.mark.parametrize(
    "data",
    [{"tier": "huge", "confidence": "sure"}, {"tier": "mid", "confidence": "maybe"}, {"tier": ""}],
)
def test_bad_picks_get_a_message_and_422(ae_client, session, scenario, data):
    for htmx in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = ae_client.post(answer_url(session), {"scenario": scenario.pk, **data}, **htmx)
        assert response.status_code == 422
        assert b'role="alert"' in response.content
    assert not DrillAnswer.objects.exists()


def test_another_aes_session_is_404(client, other_ae, session, scenario):
    client.force_login(other_ae)
    assert client.get(reverse("practice:drill_session", args=[session.pk])).status_code == 404
    response = client.post(
        answer_url(session), {"scenario": scenario.pk, "tier": "mid", "confidence": "sure"}
    )
    assert response.status_code == 404
    assert not DrillAnswer.objects.exists()


def test_mutating_urls_refuse_get(ae_client, session):
    assert ae_client.get(reverse("practice:drill_start")).status_code == 405
    assert ae_client.get(answer_url(session)).status_code == 405


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("practice:drills"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_feedback_uses_the_real_router(ae_client, ae):
    """With the router installed, feedback shows its tier and its reasons for this task."""
    from routing.classifier import route

    task = "Detect which language each incoming support ticket is written in, 50,000 a day."
    small = ScenarioFactory(slug="detect-language", correct_tier="small", task=task)
    session = DrillSessionFactory(user=ae, scenario_ids=[small.pk])
    html = ae_client.post(
        answer_url(session),
        {"scenario": small.pk, "tier": "small", "confidence": "sure"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    decision = route(task)
    assert "The router sends this task to" in html
    assert escape(decision.dimensions[0].reason.split(".")[0]) in html
