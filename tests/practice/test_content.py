"""The practice banks and their loader (practice.content.load, in load_content)."""

import io

import pytest
from django.core.management import call_command

from enablement.management.commands.load_content import LOADERS
from practice.content import ContentError, load, load_scenarios
from practice.models import DrillAnswer, Persona, RoleplayPrompt, Scenario
from practice.scorer.model import load_replies
from tests.factories import DrillAnswerFactory

pytestmark = pytest.mark.django_db


def test_load_content_runs_the_practice_loader():
    assert "practice.content.load" in LOADERS
    out = io.StringIO()
    call_command("load_content", stdout=out)
    assert "practice.content.load:" in out.getvalue()


def test_banks_meet_their_sizes():
    """At least 80 scenarios spread over the three tiers, 20 role-play prompts, 300 replies."""
    load()
    assert Scenario.objects.filter(is_active=True).count() >= 80
    for tier in ("small", "mid", "frontier"):
        assert Scenario.objects.filter(correct_tier=tier).count() >= 20
    assert Scenario.objects.exclude(near_miss_of=None).count() >= 10
    assert RoleplayPrompt.objects.filter(is_active=True).count() >= 20
    assert Persona.objects.count() >= 4
    assert len(load_replies()) >= 300


def test_every_scenario_explains_both_wrong_tiers():
    load()
    for scenario in Scenario.objects.all():
        wrong = {"small", "mid", "frontier"} - {scenario.correct_tier}
        assert set(scenario.wrong_picks) == wrong, scenario.slug
        assert all(scenario.wrong_picks[t].strip() for t in wrong)


def test_loading_twice_changes_nothing_and_keeps_answers(ae):
    load()
    scenario = Scenario.objects.first()
    DrillAnswerFactory(user=ae, scenario=scenario)
    counts = (Scenario.objects.count(), Persona.objects.count(), RoleplayPrompt.objects.count())
    summary = load()
    assert "(0 new)" in summary
    assert counts == (
        Scenario.objects.count(),
        Persona.objects.count(),
        RoleplayPrompt.objects.count(),
    )
    assert DrillAnswer.objects.filter(user=ae, scenario=scenario).exists()


def test_a_malformed_scenario_is_refused_with_where(tmp_path):
    path = tmp_path / "scenarios.yaml"
    path.write_text(
        "- slug: broken\n  title: Broken\n  task: t\n  correct_tier: huge\n"
        "  explanation: e\n  wrong_picks: {mid: x, small: y}\n"
    )
    with pytest.raises(ContentError, match="broken"):
        load_scenarios(path)
