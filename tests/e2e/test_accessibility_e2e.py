"""axe-core in a real browser on the public and home pages: no serious or critical
accessibility violations, and the strict CSP holds (the browser reports no blocked inline
script, style or eval). The journeys (test_journeys_e2e.py) check every feature page."""

import pytest

from tests.factories import PASSWORD, AEFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible(page, live_server, check_accessible):
    page.goto(f"{live_server.url}/accounts/login/")
    check_accessible("login page")
    # A failed log-in shows its error accessibly too.
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("alert").wait_for()
    check_accessible("login page with an error")


def test_password_reset_page_is_accessible(page, live_server, check_accessible):
    page.goto(f"{live_server.url}/accounts/password_reset/")
    check_accessible("password reset page")


def test_home_page_is_accessible_for_an_ae(page, live_server, login, check_accessible):
    AEFactory(username="a11y-ae")
    login("a11y-ae", PASSWORD)
    check_accessible("AE home page")


def test_home_page_is_accessible_for_a_manager(page, live_server, login, check_accessible):
    team = TeamFactory(name="A11y Team")
    AEFactory(team=team, username="a11y-member")
    login(team.manager.username, PASSWORD)
    check_accessible("manager home page")


def test_not_found_page_is_accessible(page, live_server, login, check_accessible):
    AEFactory(username="a11y-404")
    login("a11y-404", PASSWORD)
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    check_accessible("404 page")
