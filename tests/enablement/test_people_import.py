"""People and teams in bulk: the admin's CSV import previews, applies, changes nothing when
applied again, refuses a bad line with its number, and never deletes anyone."""

from __future__ import annotations

import pytest
import tablib
from django.urls import reverse

from enablement.models import Role, Team, User
from enablement.people import PersonResource
from tests.factories import AEFactory

pytestmark = pytest.mark.django_db

CSV = """username,email,first_name,last_name,role,team,manager
maria.lopez,maria.lopez@acme.example,Maria,Lopez,manager,EMEA Enterprise,
tom.nguyen,tom.nguyen@acme.example,Tom,Nguyen,ae,EMEA Enterprise,maria.lopez
ana.silva,ana.silva@acme.example,Ana,Silva,Account executive,EMEA Enterprise,
kofi.boateng,kofi.boateng@acme.example,Kofi,Boateng,ae,,
"""


def run(text: str, *, dry_run: bool):
    dataset = tablib.Dataset().load(text, format="csv")
    return PersonResource().import_data(dataset, dry_run=dry_run, raise_errors=False)


def test_preview_shows_what_will_be_created_and_changes_nothing():
    result = run(CSV, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 4
    assert not User.objects.filter(username="tom.nguyen").exists()


def test_apply_creates_people_and_links_managers_to_their_teams():
    run(CSV, dry_run=False)
    team = Team.objects.get(name="EMEA Enterprise")
    assert team.manager.username == "maria.lopez"
    assert set(team.members.values_list("username", flat=True)) == {"tom.nguyen", "ana.silva"}
    kofi = User.objects.get(username="kofi.boateng")
    assert kofi.role == Role.AE and kofi.team is None and not kofi.has_usable_password()


def test_re_importing_the_same_file_changes_nothing():
    run(CSV, dry_run=False)
    before = list(User.objects.order_by("pk").values())
    again = run(CSV, dry_run=False)
    assert again.totals["skip"] == 4 and again.totals["new"] == 0 and again.totals["update"] == 0
    assert list(User.objects.order_by("pk").values()) == before


def test_a_change_is_an_update_and_nobody_is_deleted():
    AEFactory(username="not-in-the-file")
    run(CSV, dry_run=False)
    changed = CSV.replace("Tom,Nguyen", "Thomas,Nguyen")
    result = run(changed.replace("kofi.boateng,", "# gone\nzz,").split("\nzz,")[0], dry_run=False)
    assert result.totals["update"] == 1
    assert User.objects.get(username="tom.nguyen").first_name == "Thomas"
    assert User.objects.filter(username__in=["not-in-the-file", "kofi.boateng"]).count() == 2


def test_a_bad_line_is_refused_with_its_number_and_reason():
    bad = CSV + "lee.chen,lee.chen@acme.example,Lee,Chen,ae,APAC Growth,\n"
    bad += "sam.ito,not-an-email,Sam,Ito,wizard,,\n"
    result = run(bad, dry_run=True)
    problems = {row.number: str(row.error.messages) for row in result.invalid_rows}
    assert set(problems) == {5, 6}
    assert "APAC Growth" in problems[5] and "manager" in problems[5]
    assert "wizard" in problems[6]


def test_the_admin_import_page_previews_then_applies(admin_client):
    url = reverse("admin:enablement_user_import")
    page = admin_client.get(url)
    assert page.status_code == 200
    upload = tablib.Dataset().load(CSV, format="csv").export("csv").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = admin_client.post(
        url,
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("people.csv", upload, content_type="text/csv"),
        },
    )
    html = preview.content.decode()
    assert preview.status_code == 200 and "tom.nguyen" in html and "New" in html
    assert not User.objects.filter(username="tom.nguyen").exists()
