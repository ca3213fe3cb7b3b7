"""The drill bank's answer keys agree with the router's rubric: each scenario names the rubric
rule that decides its tier (`rubric_rule`, read off the task by a labeller who did not see the
key), and that rule's tier is the key."""

from pathlib import Path

import yaml

BANK = Path(__file__).resolve().parents[2] / "practice" / "content" / "scenarios.yaml"

# RUBRIC.md section 2: the tier each deciding rule gives.
RULE_TIER = {
    "T2-fixed-rule-label": "small",
    "T3-unstructured-extraction": "mid",
    "T4-output-decides": "small",
    "T5-frontier-judgement": "frontier",
    "T6-structured-copy": "small",
    "T7-generated-output": "mid",
    "T8-evidence-or-report": "mid",
    "T9-uncovered-yes-no": "frontier",
}


def test_every_scenario_key_is_the_tier_its_rubric_rule_gives():
    bank = yaml.safe_load(BANK.read_text("utf-8"))
    unruled = [s["slug"] for s in bank if s.get("rubric_rule") not in RULE_TIER]
    assert unruled == []
    wrong = [
        (s["slug"], s["correct_tier"], s["rubric_rule"])
        for s in bank
        if RULE_TIER[s["rubric_rule"]] != s["correct_tier"]
    ]
    assert wrong == []
