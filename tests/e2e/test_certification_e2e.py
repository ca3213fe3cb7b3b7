"""Certification in a real browser: an AE completes the last requirement and sees the
certificate; the public link verifies it signed out; the manager sees it on the team page."""

import pytest
from django.utils import timezone

from lessons.models import LessonProgress
from quizzes.models import Programme, Requirement
from tests.factories import PASSWORD, AEFactory, LessonFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_ae_earns_the_certificate_and_the_manager_sees_it(
    browser, page, live_server, login, check_accessible
):
    team = TeamFactory(name="Cert Team")
    team.manager.username = "cert-manager"
    team.manager.save()
    ae = AEFactory(team=team, username="cert-ae", first_name="Casey", last_name="Moreno")
    done = LessonFactory(slug="done-already", title="Done already", order=1)
    last = LessonFactory(slug="the-last-one", title="The last one", order=2)
    LessonProgress.objects.create(user=ae, lesson=done, completed_at=timezone.now())
    programme = Programme.objects.create(slug="trc", name="Tier routing certified")
    requirement = Requirement.objects.create(
        programme=programme, order=1, kind="lessons", title="Complete every lesson"
    )
    requirement.lessons.set([done, last])
    url = live_server.url

    # The AE sees one of two lessons done, and the link to the next one.
    login("cert-ae", PASSWORD)
    page.goto(f"{url}/certification/")
    check_accessible("certification page")
    assert page.get_by_text("1 of 2 lessons").is_visible()
    page.get_by_role("link", name="Next lesson: The last one").click()

    # Completing it (htmx) issues the certificate in that request.
    page.get_by_role("button", name="Mark this lesson complete").click()
    page.locator(".status.done").first.wait_for()
    page.goto(f"{url}/certification/")
    assert page.get_by_text("You are certified: Tier routing certified").is_visible()
    assert page.get_by_text("Valid", exact=True).first.is_visible()
    check_accessible("certification page, certified")
    verify = page.get_by_role("link", name="Public verify link").get_attribute("href")

    # Anyone with the link can verify it, signed out.
    other = browser.new_context()
    public = other.new_page()
    public.goto(f"{url}{verify}")
    assert public.get_by_role("heading", name="Tier routing certified").is_visible()
    assert public.get_by_text("Casey Moreno").is_visible()
    other.close()

    # The manager sees it on the team page.
    page.context.clear_cookies()
    login("cert-manager", PASSWORD)
    page.goto(f"{url}/team/")
    row = page.get_by_role("row").filter(has_text="Casey Moreno").first
    assert "Tier routing certified: Valid" in row.inner_text()
    check_accessible("team page with readiness")
