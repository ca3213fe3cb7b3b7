"""Role-play conversations: scripts validated on load (file and line in the error), the
buyer's next line chosen by the scorer's reading, resume, idempotent replies, limits, and the
manager's review with its history and scoping."""

from __future__ import annotations

import textwrap
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from enablement.content import ContentError
from practice import conversation as engine
from practice.models import (
    CheckKind,
    Conversation,
    ConversationStatus,
    ConversationTurn,
    Review,
    Rubric,
    RubricCheck,
    Script,
)
from tests.factories import AEFactory, PersonaFactory

pytestmark = pytest.mark.django_db

SCRIPT = textwrap.dedent(
    """\
    slug: test-cfo
    persona: cost-cfo
    title: Budget call
    start: opening
    turns:
      opening:
        buyer: "Every quote I have seen says the AI is expensive."
        ideas: [midtier_cost_share]
        guide_rows: [2, 8]
        next:
          dont_say: {2: pushback, any: pushback}
          missing: {midtier_cost_share: ask-volume}
          strong: accuracy
          weak: ask-volume
      pushback:
        buyer: "So you're telling me it IS expensive?"
        ideas: [midtier_cost_share]
        next: {strong: accuracy, weak: ask-volume}
      ask-volume:
        buyer: "What does that cost at our volume?"
        ideas: [midtier_cost_share]
        next: {strong: accuracy, weak: last-chance}
      accuracy:
        buyer: "And will the cheaper model be accurate enough?"
        ideas: [accuracy_at_tier]
        next: {strong: next-steps, weak: last-chance}
      next-steps:
        buyer: "What would you need from my team to start?"
        next: {strong: close-agree, weak: close-decline}
      last-chance:
        buyer: "Give me one reason to keep talking."
        next: {strong: close-agree, weak: close-decline}
      close-agree:
        buyer: "Send me a routing plan."
        close: agree
      close-decline:
        buyer: "Let's revisit next quarter."
        close: decline
    """
)
DONT_SAY = "Honestly the AI is expensive, that's just how it is."
STRONG = (
    "Let's separate cost from capability: most production traffic, roughly 80%, routes to "
    "mid-tier at 10-20% of frontier cost, so you pay frontier prices only where judgment is needed."
)


@pytest.fixture
def script(tmp_path, field_guide):
    PersonaFactory(slug="cost-cfo")
    (tmp_path / "test-cfo.yaml").write_text(SCRIPT, "utf-8")
    engine.load_scripts(tmp_path)
    return Script.objects.get(slug="test-cfo")


def broken(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(SCRIPT.replace(old, new), "utf-8")
    return tmp_path


def test_a_target_that_is_not_a_turn_is_refused_with_file_and_line(tmp_path):
    PersonaFactory(slug="cost-cfo")
    bad = broken(
        tmp_path, "next: {strong: close-agree, weak: close-decline}", "next: {weak: nowhere}"
    )
    with pytest.raises(ContentError, match=r"broken.yaml, line 27: goes to 'nowhere'"):
        engine.load_scripts(bad)


def test_a_loop_an_unreachable_turn_and_a_missing_fallback_are_refused(tmp_path):
    PersonaFactory(slug="cost-cfo")
    with pytest.raises(ContentError, match="can loop"):
        engine.load_scripts(broken(tmp_path, "weak: close-decline", "weak: opening"))
    with pytest.raises(ContentError, match="needs next.weak"):
        engine.load_scripts(
            broken(
                tmp_path, "next: {strong: accuracy, weak: ask-volume}", "next: {strong: accuracy}"
            )
        )
    with pytest.raises(ContentError, match=r"line \d+: no path from the start reaches"):
        engine.load_scripts(
            broken(
                tmp_path,
                "  close-decline:",
                "  orphan:\n    buyer: hi\n    close: agree\n  close-decline:",
            )
        )


def test_a_too_short_path_is_refused(tmp_path):
    PersonaFactory(slug="cost-cfo")
    short = broken(
        tmp_path,
        "strong: accuracy\n      weak: ask-volume",
        "strong: last-chance\n      weak: ask-volume",
    )
    with pytest.raises(ContentError, match="after 2 replies"):
        engine.load_scripts(short)


@pytest.mark.parametrize(
    ("rows", "ideas", "verdict", "target"),
    [
        ([2], [], "weak", "pushback"),  # a Don't-say framing: its pushback
        ([5], [], "weak", "pushback"),  # any other row
        ([], [], "weak", "ask-volume"),  # the expected idea missing: the buyer asks for it
        ([], ["midtier_cost_share"], "strong", "accuracy"),  # strong: the next objection
        ([], ["midtier_cost_share"], "weak", "ask-volume"),  # otherwise: the fallback
    ],
)
def test_the_branch_follows_the_scorers_reading(rows, ideas, verdict, target):
    import yaml

    turn = yaml.safe_load(SCRIPT)["turns"]["opening"]
    assert (
        engine.choose_next(turn, dont_say_rows=rows, ideas=ideas, verdict=verdict).target == target
    )


def test_a_dont_say_reply_gets_that_framings_pushback_and_a_full_conversation_ends(ae, script):
    conversation = engine.start(user=ae, script=script)
    first = engine.reply(conversation=conversation, number=1, text=DONT_SAY)
    assert 2 in first.dont_say_rows
    conversation.refresh_from_db()
    assert conversation.node == "pushback"
    for number in range(2, 7):
        if conversation.status != ConversationStatus.OPEN:
            break
        engine.reply(conversation=conversation, number=number, text=STRONG)
        conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.FINISHED
    assert conversation.outcome in ("agree", "decline") and conversation.score is not None


def test_an_open_conversation_is_resumed_not_restarted(ae, script):
    first = engine.start(user=ae, script=script)
    engine.reply(conversation=first, number=1, text=STRONG)
    again = engine.start(user=ae, script=script)
    assert again == first and again.turns.count() == 1


def test_posting_the_same_turn_twice_stores_one_turn(ae_client, ae, script):
    conversation = engine.start(user=ae, script=script)
    url = reverse("practice:conversation_reply", args=[conversation.pk])
    ae_client.post(url, {"turn": "1", "text": STRONG})
    ae_client.post(url, {"turn": "1", "text": STRONG})
    assert conversation.turns.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
def test_two_concurrent_posts_of_one_turn_store_one_turn(script):
    ae = AEFactory(username="racer")
    conversation = engine.start(user=ae, script=script)
    barrier = threading.Barrier(2)
    statuses = []

    def post() -> None:
        client = Client()
        client.force_login(ae)
        try:
            barrier.wait(timeout=30)
            url = reverse("practice:conversation_reply", args=[conversation.pk])
            statuses.append(client.post(url, {"turn": "1", "text": STRONG}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 302]
    assert ConversationTurn.objects.filter(conversation=conversation).count() == 1


def test_reply_length_is_limited_on_the_server_and_the_draft_is_kept(ae_client, ae, script):
    conversation = engine.start(user=ae, script=script)
    url = reverse("practice:conversation_reply", args=[conversation.pk])
    long = "x" * (ConversationTurn.MAX_CHARS + 1)
    response = ae_client.post(url, {"turn": "1", "text": long})
    assert (
        response.status_code == 413 and "limited to 2,000 characters" in response.content.decode()
    )
    assert ae_client.post(url, {"turn": "1", "text": "  "}).status_code == 422
    assert ae_client.post(url, {"turn": "x", "text": STRONG}).status_code == 422
    assert conversation.turns.count() == 0


def finished(ae, script) -> Conversation:
    conversation = engine.start(user=ae, script=script)
    for number in range(1, 7):
        conversation.refresh_from_db()
        if conversation.status != ConversationStatus.OPEN:
            break
        engine.reply(conversation=conversation, number=number, text=STRONG)
    conversation.refresh_from_db()
    return conversation


def test_review_scoping_across_roles(client, ae, other_ae, manager, script, admin_user):
    """Only the AE's own manager and admins may review; the AE and others may not."""
    conversation = finished(ae, script)
    url = reverse("practice:conversation_review", args=[conversation.pk])
    other_manager = other_ae.team.manager
    teammate = AEFactory(team=ae.team)
    expected = {
        None: 302,  # anonymous: to log in
        ae: 404,
        teammate: 404,
        other_ae: 404,
        other_manager: 404,
        manager: 200,
        admin_user: 200,
    }
    for who, status in expected.items():
        viewer = Client()
        if who is not None:
            viewer.force_login(who)
        assert viewer.get(url).status_code == status, who
        assert viewer.post(url, {"verdict": "weak"}).status_code in (status, 302), who
    assert Review.objects.filter(reviewer__in=[ae, teammate, other_ae, other_manager]).count() == 0


def test_an_override_is_kept_with_who_and_when_and_the_ae_sees_it(manager, ae, script):
    manager_client, ae_client = Client(), Client()
    manager_client.force_login(manager)
    ae_client.force_login(ae)
    conversation = finished(ae, script)
    rubric = Rubric.objects.create(script=script, pass_mark=50, created_by=manager)
    check = RubricCheck.objects.create(
        rubric=rubric,
        order=1,
        label="Puts 80% of traffic on mid-tier",
        kind=CheckKind.IDEA,
        idea="midtier_cost_share",
        weight=2,
    )
    url = reverse("practice:conversation_review", args=[conversation.pk])
    page = manager_client.get(url).content.decode()
    assert "The scorer suggests <strong>yes</strong>" in page, page[page.find("<main") :][:3000]
    turn = conversation.turns.first()
    manager_client.post(
        url,
        {
            "verdict": "weak",
            f"check-{check.pk}": "no",
            "comment": "Quote their volume.",
            f"comment-{turn.pk}": "Good opener.",
        },
    )
    manager_client.post(url, {"verdict": "strong", f"check-{check.pk}": "yes"})
    reviews = list(conversation.reviews.order_by("created_at", "pk"))
    assert [r.verdict for r in reviews] == ["weak", "strong"]
    first = reviews[0]
    assert (
        first.reviewer == manager
        and first.checks.get().value is False
        and first.checks.get().suggested is True
    )
    html = ae_client.get(reverse("practice:conversation", args=[conversation.pk])).content.decode()
    assert "Your manager&#x27;s review" in html or "Your manager's review" in html
    assert "Strong" in html


def test_the_review_queue_on_the_team_page_filters(manager_client, ae, script):
    conversation = finished(ae, script)
    html = manager_client.get(reverse("quizzes:team")).content.decode()
    assert script.title in html
    html = manager_client.get(reverse("quizzes:team"), {"reviewed": "yes"}).content.decode()
    assert reverse("practice:conversation_review", args=[conversation.pk]) not in html


def test_the_shipped_scripts_load_with_at_least_three_branch_points_each(field_guide):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_content", stdout=StringIO())
    scripts = list(Script.objects.all())
    assert len(scripts) >= 8
    for script in scripts:
        branch_points = sum(len(set(engine.targets(t))) >= 2 for t in script.turns.values())
        assert branch_points >= 3, script.slug


def test_reviewed_conversations_export_as_labelled_replies(tmp_path, manager, ae, script):
    from io import StringIO

    from django.core.management import call_command

    from practice import review as review_service
    from practice.scorer.model import load_replies

    conversation = finished(ae, script)
    review_service.save_review(
        conversation=conversation, reviewer=manager, verdict="weak", answers={}
    )
    out = tmp_path / "reviews.csv"
    call_command("score_roleplay", "--export-reviews", str(out), stdout=StringIO())
    rows = load_replies(out)
    assert len(rows) == conversation.turns.count()
    assert {row.label for row in rows} == {"weak"}  # the manager's verdict, not the scorer's


def test_a_manager_writes_a_rubric_and_an_ae_cannot(manager, ae, script):
    url = reverse("practice:rubric", args=[script.slug])
    aes_client, managers_client = Client(), Client()
    aes_client.force_login(ae)
    managers_client.force_login(manager)
    assert aes_client.get(url).status_code == 403
    data = {
        "pass_mark": "60",
        "checks-TOTAL_FORMS": "2",
        "checks-INITIAL_FORMS": "0",
        "checks-MIN_NUM_FORMS": "0",
        "checks-MAX_NUM_FORMS": "10",
        "checks-0-label": "Puts most traffic on mid-tier",
        "checks-0-kind": "idea",
        "checks-0-idea": "midtier_cost_share",
        "checks-0-weight": "2",
        "checks-1-label": "Never says the AI is expensive",
        "checks-1-kind": "avoid",
        "checks-1-dont_say_row": "11",
        "checks-1-weight": "1",
    }
    refused = managers_client.post(url, data)
    assert refused.status_code == 422 and "1 to 10" in refused.content.decode()
    data["checks-1-dont_say_row"] = "2"
    managers_client.post(url, data)
    rubric = Rubric.objects.get(script=script)
    assert rubric.pass_mark == 60 and rubric.created_by == manager
    assert [c.kind for c in rubric.checks.all()] == ["idea", "avoid"]
