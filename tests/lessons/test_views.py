"""The lesson pages, the catalogue, the field guide and its flashcards."""

import pytest
from django.urls import reverse

from lessons.models import Lesson, TierProfile
from lessons.rendering import figures_from, render_body
from tests.factories import LessonFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_every_lesson_page_links_to_its_neighbours(content, ae_client):
    lessons = list(Lesson.objects.published())
    for index, lesson in enumerate(lessons):
        page = ae_client.get(lesson.get_absolute_url()).content.decode()
        if index > 0:
            assert f'rel="prev" href="{lessons[index - 1].get_absolute_url()}"' in page
        else:
            assert 'rel="prev"' not in page
        if index + 1 < len(lessons):
            assert f'rel="next" href="{lessons[index + 1].get_absolute_url()}"' in page
        else:
            assert 'rel="next"' not in page


def test_an_unknown_lesson_is_not_found(ae_client):
    assert ae_client.get(reverse("lessons:detail", args=["no-such-lesson"])).status_code == 404


def test_a_tier_lesson_shows_its_profile_and_catalogue_card(content, ae_client):
    page = ae_client.get(reverse("lessons:detail", args=["mid-tier"])).content.decode()
    assert "Efficient mid-tier at a glance" in page
    assert "Roughly 80% of production traffic" in page
    assert '<th scope="row">xAI</th><td>Grok-3 mini</td>' in page
    # Frontier models belong to the frontier lesson's card, not this one.
    assert "<td>Claude Opus 4</td>" not in page


def test_an_admin_catalogue_update_shows_in_the_tier_lesson(content, ae_client):
    """Labs ship new versions; the admin renames the row and the lesson card follows."""
    from lessons.models import CatalogueModel

    CatalogueModel.objects.filter(name="Claude Opus 4").update(name="Claude Opus 5")
    page = ae_client.get(reverse("lessons:detail", args=["frontier"])).content.decode()
    assert "<td>Claude Opus 5</td>" in page


def test_the_dimensions_lesson_has_the_tier_chart_with_a_text_alternative(content, ae_client):
    page = ae_client.get(reverse("lessons:detail", args=["routing-dimensions"])).content.decode()
    assert '<svg class="chart"' in page
    assert 'role="img" aria-labelledby="tier-chart-title tier-chart-desc"' in page
    assert "Frontier: latency 3–15s, longer for extended context" in page  # the <desc>
    assert '<th scope="row">Efficient mid-tier</th><td>500ms–2s</td>' in page  # the table
    assert page.count('<rect x="') == 3


def test_the_chart_follows_the_tier_profiles(content, ae_client):
    """A figure changed in the admin moves the chart and the prose together."""
    TierProfile.objects.filter(slug="mid").update(latency="400ms–1s", latency_ms_low=400)
    page = ae_client.get(reverse("lessons:detail", args=["routing-dimensions"])).content.decode()
    assert "Efficient mid-tier: latency 400ms–1s" in page
    assert "<strong>Mid-tier</strong>, on typical production workloads: 400ms–1s." in page


def test_lesson_bodies_are_sanitised(db):
    """Admins edit bodies; script and inline handlers never reach the page (strict CSP)."""
    html = render_body(
        "Hi <script>alert(1)</script> <a href='javascript:x' onclick='y'>a</a>"
        "\n\n| A | B |\n|---|---|\n| 1 | 2 |\n",
        {},
    )
    assert "<script" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert '<th scope="col">A</th>' in html


def test_an_unknown_token_stays_visible(db):
    profiles = [TierProfile(slug="mid", latency="500ms–2s")]
    html = render_body("Mid runs at [[mid.latency]]; [[mid.nonsense]].", figures_from(profiles))
    assert "Mid runs at 500ms–2s; [[mid.nonsense]]." in html


def test_the_course_page_links_the_catalogue_and_field_guide(content, ae_client):
    page = ae_client.get(reverse("lessons:index")).content.decode()
    assert f'href="{reverse("lessons:catalogue")}"' in page
    assert f'href="{reverse("lessons:field_guide")}"' in page


def test_a_lesson_cannot_shadow_the_catalogue(content, ae_client):
    """The catalogue is routed before the slug route, so even a stray lesson slug loses."""
    LessonFactory(slug="catalogue")
    response = ae_client.get("/lessons/catalogue/")
    assert response.templates[0].name == "lessons/catalogue.html"


# --- Field guide ---------------------------------------------------------------------------------


def test_the_field_guide_filters_by_text(content, ae_client):
    response = ae_client.get(reverse("lessons:field_guide"), {"q": "PROCUREMENT"})
    page = response.content.decode()
    assert "1 of 10 lines match" in page
    assert "AI costs are unpredictable" in page
    assert "We&#x27;re using Claude" not in page


def test_the_htmx_filter_returns_only_the_rows(content, ae_client):
    response = ae_client.get(reverse("lessons:field_guide"), {"q": "claude"}, **HTMX)
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="guide-rows"')
    assert "We&#x27;re using Claude" in page
    assert "The AI is expensive" not in page


def test_a_filter_that_matches_nothing_says_so(content, ae_client):
    page = ae_client.get(reverse("lessons:field_guide"), {"q": "blockchain"}).content.decode()
    assert "No line matches “blockchain”." in page


def test_an_overlong_filter_is_refused_with_a_message(content, ae_client):
    response = ae_client.get(reverse("lessons:field_guide"), {"q": "x" * 101})
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()


def test_the_field_guide_has_a_print_stylesheet(content, ae_client):
    page = ae_client.get(reverse("lessons:field_guide")).content.decode()
    assert 'href="/static/css/lessons-print.css" media="print"' in page


def test_flashcards_show_dont_say_first_and_hide_do_say_until_revealed(content, ae_client):
    page = ae_client.get(reverse("lessons:field_guide"), {"mode": "cards"}).content.decode()
    assert "Card 1 of 10" in page
    assert '<p class="dont-line">"We&#x27;re using GPT-4 for everything"</p>' in page
    # The Do say line sits inside a closed <details>: revealed by the reader, no script.
    assert '<details class="reveal">' in page
    assert page.index("<summary>Reveal the Do say line</summary>") < page.index(
        "We&#x27;re running frontier models"
    )
    assert '<label for="own-phrasing">Your phrasing</label>' in page


def test_flashcards_step_through_the_guide(content, ae_client):
    page = ae_client.get(reverse("lessons:field_guide"), {"mode": "cards", "card": 10}).content
    assert "Card 10 of 10" in page.decode()
    assert "The model isn&#x27;t accurate enough" in page.decode()
    assert "Next card" not in page.decode()
    partial = ae_client.get(reverse("lessons:field_guide"), {"mode": "cards", "card": 2}, **HTMX)
    assert partial.content.decode().lstrip().startswith('<section id="flashcard"')


@pytest.mark.parametrize("card", ["0", "11", "abc"])
def test_a_card_that_does_not_exist_is_a_clear_404(content, ae_client, card):
    response = ae_client.get(reverse("lessons:field_guide"), {"mode": "cards", "card": card})
    assert response.status_code == 404
    assert "Choose a card from 1 to 10." in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/lessons/", "/lessons/frontier/", "/lessons/catalogue/", "/field-guide/"]
)
def test_every_role_can_read(content, client, ae, manager, admin_user, url):
    for user in (ae, manager, admin_user):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_pages_carry_no_inline_script_or_style(content, ae_client):
    for url in [
        "/lessons/",
        "/lessons/routing-dimensions/",
        "/field-guide/",
        "/lessons/catalogue/",
    ]:
        page = ae_client.get(url).content.decode()
        assert "<script>" not in page
        assert " style=" not in page
        assert " hx-on" not in page
        assert " onclick" not in page
