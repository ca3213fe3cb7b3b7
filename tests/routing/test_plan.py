"""The routing plan: workloads in, tiers and money out, bad lines named, limits enforced."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from routing.models import CostAssumption, RoutingPlan
from routing.planning import parse_pasted, parse_volume, summarise
from tests.factories import tier_figures, tier_profiles

pytestmark = pytest.mark.django_db

SMALL = "Tag every inbound support ticket with its product area"
MID = "Summarise each customer call transcript into five bullet points for the account manager"
FRONTIER = "Decide whether our supplier's new indemnity clauses expose us to liability"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def profiles(db):
    return tier_profiles()


def test_volumes_accept_plain_separated_and_suffixed_numbers():
    assert parse_volume("250000") == 250_000
    assert parse_volume("250_000") == 250_000
    assert parse_volume("250k") == 250_000
    assert parse_volume("1.5M") == 1_500_000
    assert parse_volume("lots") is None
    assert parse_volume("1.5") is None


def test_an_absurdly_long_volume_is_refused_before_any_arithmetic():
    """Converting a huge number is quadratic (900,000 digits took a worker 20 s): anything
    longer than a volume in range can be is refused as out of range, unparsed."""
    assert parse_volume("1" + "0" * 30) is None
    assert parse_volume("1 000 000 000 000") == 10**12  # separators don't count
    workloads, errors = parse_pasted(f"{'9' * 100_000}, {SMALL}\n2000, {MID}\n")
    assert [(w.line, w.volume) for w in workloads] == [(2, 2000)]
    assert [(e.line, e.message) for e in errors] == [
        (1, "the monthly volume must be between 1 and 1,000,000,000,000")
    ]


def test_mixed_lines_name_each_bad_line_and_still_route_the_good_ones():
    workloads, errors = parse_pasted(
        f"1000000, {SMALL}\n\nlots, {MID}\n50000\n0, {FRONTIER}\n2000, {FRONTIER}\n"
    )
    assert [(w.line, w.volume) for w in workloads] == [(1, 1_000_000), (6, 2000)]
    assert [e.line for e in errors] == [3, 4, 5]
    assert "not a whole number" in errors[0].message
    assert "no description" in errors[1].message
    assert "between 1 and" in errors[2].message


def test_descriptions_with_commas_are_kept_whole():
    workloads, errors = parse_pasted("500, Read the invoice, then tag it by cost centre")
    assert not errors
    assert workloads[0].text == "Read the invoice, then tag it by cost centre"


def test_totals_are_computed_from_the_tier_profiles(profiles):
    """Routed = sum(volume x price x tier index); all-frontier = sum(volume x price x 10..20)."""
    assumption = CostAssumption.current()
    price = assumption.mid_request_price
    figures = tier_figures()
    rows = [
        {
            "line": 1,
            "volume": 1_000_000,
            "text": SMALL,
            "tier": "small",
            "model_tier": "small",
            "confidence": 0.9,
            "stepped_up": False,
        },
        {
            "line": 2,
            "volume": 10_000,
            "text": MID,
            "tier": "mid",
            "model_tier": "mid",
            "confidence": 0.8,
            "stepped_up": False,
        },
        {
            "line": 3,
            "volume": 500,
            "text": FRONTIER,
            "tier": "frontier",
            "model_tier": "frontier",
            "confidence": 0.95,
            "stepped_up": False,
        },
    ]
    summary = summarise(rows, profiles, assumption)

    def expected(end: str) -> tuple[Decimal, Decimal]:
        key = f"cost_index_{end}"
        routed = price * (
            1_000_000 * figures["small"][key]
            + 10_000 * figures["mid"][key]
            + 500 * figures["frontier"][key]
        )
        frontier = price * 1_010_500 * figures["frontier"][key]
        return routed, frontier

    low_routed, low_frontier = expected("low")
    high_routed, high_frontier = expected("high")
    assert summary.routed.low == low_routed and summary.routed.high == high_routed
    assert summary.frontier.low == low_frontier and summary.frontier.high == high_frontier
    assert summary.savings.low == low_frontier - low_routed
    assert summary.volume == 1_010_500
    assert [t.workloads for t in summary.by_tier] == [1, 1, 1]
    assert summary.savings_percent_low > 90


def test_plan_post_routes_prices_and_shows_line_errors(ae_client, ae, profiles):
    response = ae_client.post(
        reverse("routing:plan"),
        {
            "title": "Acme design review",
            "workloads": f"1000000, {SMALL}\nbad line\n2000, {FRONTIER}",
        },
    )
    assert response.status_code == 302
    plan = RoutingPlan.objects.get(owner=ae)
    assert [row["tier"] for row in plan.rows] == ["small", "frontier"]
    page = ae_client.get(response["Location"]).content.decode()
    assert "Acme design review" in page
    assert "Line 2:" in page
    assert "The other lines were still routed" in page
    assert "Everything on frontier" in page and "Savings" in page
    assert "<svg" in page and '<title id="chart-title">' in page and "<desc" in page
    assert "Printable view" in page


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_the_same_plan_posted_twice_is_stored_once(ae_client, ae, profiles, htmx, frozen_clock):
    """A double click or a resubmit of the same workloads: one plan, and both answers show it.
    Other workloads, or another title, make a new plan."""
    headers = HTMX if htmx else {}
    data = {"title": "Acme", "workloads": f"1000000, {SMALL}\n2000, {FRONTIER}"}
    first = ae_client.post(reverse("routing:plan"), data, **headers)
    again = ae_client.post(reverse("routing:plan"), data, **headers)
    plan = RoutingPlan.objects.get(owner=ae)
    if htmx:
        assert first.status_code == again.status_code == 200
        assert f"/simulator/plan/{plan.pk}/print/" in again.content.decode()
    else:
        assert first["Location"] == again["Location"] == f"/simulator/plan/{plan.pk}/"
    ae_client.post(reverse("routing:plan"), {**data, "title": "Acme, take two"})
    ae_client.post(reverse("routing:plan"), {**data, "workloads": f"300k, {MID}"})
    assert RoutingPlan.objects.filter(owner=ae).count() == 3


def test_the_same_plan_posted_later_is_a_new_plan(ae_client, ae, profiles, frozen_clock):
    data = {"title": "Acme", "workloads": f"1000000, {SMALL}"}
    ae_client.post(reverse("routing:plan"), data)
    frozen_clock.shift(600)
    ae_client.post(reverse("routing:plan"), data)
    assert RoutingPlan.objects.filter(owner=ae).count() == 2


def test_plan_with_htmx_returns_the_result_partial(ae_client, profiles):
    response = ae_client.post(reverse("routing:plan"), {"workloads": f"300k, {MID}"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="plan-result"' in html
    assert "300,000" in html


def test_csv_upload_with_a_header_row(ae_client, ae, profiles):
    data = f'monthly volume,description\n1000000,"{SMALL}"\n5000,"{MID}"\n'.encode()
    upload = SimpleUploadedFile("plan.csv", data, content_type="text/csv")
    response = ae_client.post(reverse("routing:plan"), {"upload": upload})
    assert response.status_code == 302
    plan = RoutingPlan.objects.get(owner=ae)
    assert [row["line"] for row in plan.rows] == [2, 3]
    assert plan.errors == []


def test_more_than_200_workloads_is_refused_with_422(ae_client, ae):
    lines = "\n".join(f"{n + 1}, {SMALL} {n}" for n in range(201))
    response = ae_client.post(reverse("routing:plan"), {"workloads": lines})
    assert response.status_code == 422
    assert "at most 200 workloads" in response.content.decode()
    assert not RoutingPlan.objects.exists()


def test_200_workloads_are_accepted(ae_client, ae, profiles):
    lines = "\n".join(f"{n + 1}, {SMALL} {n}" for n in range(200))
    response = ae_client.post(reverse("routing:plan"), {"workloads": lines})
    assert response.status_code == 302
    assert len(RoutingPlan.objects.get(owner=ae).rows) == 200


def test_upload_over_1_mb_is_refused_with_413(ae_client, ae):
    upload = SimpleUploadedFile("big.csv", b"1, x\n" * 220_000, content_type="text/csv")
    response = ae_client.post(reverse("routing:plan"), {"upload": upload}, **HTMX)
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not RoutingPlan.objects.exists()


def test_pasted_text_over_1_mb_is_refused_with_413(ae_client, ae):
    lines = f"1000, {SMALL}\n" * 20_000  # about 1.2 MB
    response = ae_client.post(reverse("routing:plan"), {"workloads": lines})
    assert response.status_code == 413
    assert "The pasted text is larger than 1 MB" in response.content.decode()
    assert not RoutingPlan.objects.exists()


def test_a_pasted_line_too_long_for_csv_is_refused_with_400_naming_it(ae_client, ae):
    lines = f"1000, {SMALL}\n2000, {'x' * 140_000}\n"
    response = ae_client.post(reverse("routing:plan"), {"workloads": lines})
    assert response.status_code == 400
    assert "Line 2 could not be read" in response.content.decode()
    assert not RoutingPlan.objects.exists()


def test_binary_upload_is_refused_with_400(ae_client):
    upload = SimpleUploadedFile("plan.csv", b"\xff\xfe\x00\x01binary", content_type="text/csv")
    response = ae_client.post(reverse("routing:plan"), {"upload": upload})
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()


def test_empty_plan_is_refused_with_a_message(ae_client):
    response = ae_client.post(reverse("routing:plan"), {"workloads": "  "})
    assert response.status_code == 400
    assert "Paste at least one line" in response.content.decode()


def test_overlong_description_is_a_line_error(ae_client, ae, profiles):
    response = ae_client.post(
        reverse("routing:plan"), {"workloads": f"10, {'x' * 1001}\n10, {SMALL}"}
    )
    assert response.status_code == 302
    plan = RoutingPlan.objects.get(owner=ae)
    assert len(plan.rows) == 1
    assert plan.errors[0]["line"] == 1 and "limit is 1,000" in plan.errors[0]["message"]


def test_printable_view_has_the_plan_without_the_form(ae_client, ae, profiles):
    ae_client.post(reverse("routing:plan"), {"title": "For print", "workloads": f"10, {MID}"})
    plan = RoutingPlan.objects.get(owner=ae)
    response = ae_client.get(reverse("routing:plan_print", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "For print" in html and "Build the plan" not in html
    assert "Everything on frontier" in html


def test_other_peoples_plans_answer_404(client, ae, other_ae, manager):
    plan = RoutingPlan.objects.create(owner=other_ae, title="Theirs", rows=[], errors=[])
    client.force_login(ae)
    assert client.get(reverse("routing:plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("routing:plan_print", args=[plan.pk])).status_code == 404
    # A manager sees their own team's plans only.
    client.force_login(manager)
    assert client.get(reverse("routing:plan_detail", args=[plan.pk])).status_code == 404
    mine = RoutingPlan.objects.create(owner=ae, title="Team plan", rows=[], errors=[])
    assert client.get(reverse("routing:plan_detail", args=[mine.pk])).status_code == 200
