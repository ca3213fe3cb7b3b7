"""Admins review 'I disagree' corrections and export accepted ones as corpus rows."""

import csv
import io

import pytest
from django.urls import reverse

from routing.classifier.corpus import FIELDS, LABELS
from routing.models import Disagreement
from tests.factories import DisagreementFactory

pytestmark = pytest.mark.django_db


def test_admin_accepts_corrections_and_exports_only_accepted_rows(client, admin_user):
    accepted = DisagreementFactory(suggested_tier="frontier", domain="legal")
    pending = DisagreementFactory()
    client.force_login(admin_user)
    url = reverse("admin:routing_disagreement_changelist")

    # Accept one correction.
    response = client.post(url, {"action": "accept", "_selected_action": [accepted.pk]})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == Disagreement.Status.ACCEPTED
    assert accepted.reviewed_by == admin_user and accepted.reviewed_at

    # Export both selected: only the accepted one becomes a corpus row.
    response = client.post(
        url, {"action": "export_corpus_rows", "_selected_action": [accepted.pk, pending.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == FIELDS
    assert rows[1:] == [
        [accepted.text, "frontier", "judge", "tolerant", "high", "recoverable", "legal"]
    ]
    for head, value in zip(FIELDS[1:6], rows[1][1:6], strict=True):
        assert value in LABELS[head]


def test_admin_can_reject_and_list_filters_by_status(client, admin_user):
    disagreement = DisagreementFactory()
    client.force_login(admin_user)
    url = reverse("admin:routing_disagreement_changelist")
    client.post(url, {"action": "reject", "_selected_action": [disagreement.pk]})
    disagreement.refresh_from_db()
    assert disagreement.status == Disagreement.Status.REJECTED
    assert client.get(url + "?status__exact=rejected").status_code == 200


def test_an_ae_cannot_open_the_admin(ae_client):
    response = ae_client.get(reverse("admin:routing_disagreement_changelist"))
    assert response.status_code == 302
