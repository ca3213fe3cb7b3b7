"""The AE's home page shows their record in the routing simulator: guess-first calls against
the router, the last one, and where their "I disagree" reports stand. Only their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from routing.models import Disagreement
from tests.factories import DisagreementFactory, TierGuessFactory

pytestmark = pytest.mark.django_db

HEADING = "Your routing calls"


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_ae_who_has_not_used_the_simulator_sees_no_record(ae_client):
    page = home(ae_client)
    assert HEADING not in page
    assert "Try the routing simulator" in page


def test_the_guess_first_record_and_the_last_call_show(ae_client, ae):
    TierGuessFactory(user=ae, guessed_tier="small", routed_tier="small", text="Tag tickets")
    TierGuessFactory(user=ae, guessed_tier="mid", routed_tier="mid", text="Summarise calls")
    TierGuessFactory(
        user=ae,
        guessed_tier="mid",
        routed_tier="frontier",
        text="Negotiate a multi-year renewal with legal risk",
    )
    page = home(ae_client)
    assert HEADING in page
    assert "you matched the router on <strong>2 of 3</strong> tasks" in page
    assert (
        "Last: “Negotiate a multi-year renewal with legal risk”: you said Efficient mid-tier, "
        "the router said Frontier." in page
    )


def test_disagreement_reports_show_where_they_stand(ae_client, ae):
    DisagreementFactory(user=ae)
    DisagreementFactory(user=ae, status=Disagreement.Status.ACCEPTED)
    DisagreementFactory(user=ae, status=Disagreement.Status.ACCEPTED)
    DisagreementFactory(user=ae, status=Disagreement.Status.REJECTED)
    page = home(ae_client)
    assert HEADING in page
    assert (
        "1 waiting for review, 2 accepted into the router's training data, 1 not accepted" in page
    )
    assert "In guess-first mode" not in page  # no guesses yet


def test_another_aes_calls_never_show(ae_client, other_ae):
    TierGuessFactory(user=other_ae, text="Someone else's private task")
    DisagreementFactory(user=other_ae)
    page = home(ae_client)
    assert HEADING not in page
    assert "Someone else" not in page


def test_a_manager_home_has_no_simulator_record(manager_client, ae):
    TierGuessFactory(user=ae)
    assert HEADING not in home(manager_client)


def test_the_task_text_is_escaped(ae_client, ae):
    TierGuessFactory(user=ae, text="<script>alert(1)</script> route this")
    page = home(ae_client)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; route this" in page


def test_the_home_query_count_does_not_grow_with_the_history(ae_client, ae):
    TierGuessFactory(user=ae)
    DisagreementFactory(user=ae)
    with CaptureQueriesContext(connection) as few:
        home(ae_client)
    for _ in range(10):
        TierGuessFactory(user=ae)
        DisagreementFactory(user=ae, status=Disagreement.Status.ACCEPTED)
    with CaptureQueriesContext(connection) as many:
        home(ae_client)
    assert len(many) == len(few)
