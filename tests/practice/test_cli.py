"""`python manage.py score_roleplay --jsonl FILE` (DESIGN.md)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _content(db):
    """Prompts and the field guide, as `load_content` puts them in the database."""
    call_command("load_content", stdout=io.StringIO())


def run(*args, stdin: str | None = None, monkeypatch=None) -> list[dict]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("score_roleplay", *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_writes_one_json_object_per_input_line_in_order(tmp_path):
    lines = [
        {"text": "We just run GPT-4 on all of it."},
        {
            "text": "Costs are predictable once you've defined which tasks route to which tier.",
            "prompt": "cfo-forecast",
        },
        {"text": "It's really powerful and the team loves it."},
    ]
    path = tmp_path / "replies.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    results = run("--jsonl", str(path))
    assert [r["text"] for r in results] == [x["text"] for x in lines]
    for result in results:
        assert result["verdict"] in {"strong", "weak"}
        assert 0 <= result["score"] <= 100
    assert results[0]["verdict"] == "weak" and results[0]["dont_say"][0]["row"] == 1
    assert results[1]["verdict"] == "strong" and results[1]["prompt"] == "cfo-forecast"


def test_prompt_can_be_the_buyer_line(tmp_path):
    """ "prompt" may be the buyer line the reply answers, as DESIGN.md says."""
    line = (
        "How do I put a number in next year's budget when I don't know how much people will use it?"
    )
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"text": "Volume is the variable.", "prompt": line}) + "\n")
    assert run("--jsonl", str(path))[0]["prompt"] == "cfo-forecast"


def test_reads_stdin_with_dash(monkeypatch):
    results = run(
        "--jsonl", "-", stdin='{"text": "The AI is expensive."}\n', monkeypatch=monkeypatch
    )
    assert len(results) == 1 and results[0]["dont_say"][0]["row"] == 2


def test_bad_lines_get_an_error_object_and_keep_their_place(tmp_path):
    """The JSONL rule shared with `route --jsonl`: blank lines skipped, a bad line answered
    in place, and the command exits 1 after the last line."""
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        'not json\n{"nope": 1}\n\n' + json.dumps({"text": "x" * 2001}) + '\n{"text": "Route it."}\n'
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 line"):
        call_command("score_roleplay", "--jsonl", str(path), stdout=out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r.get("line") for r in results[:3]] == [1, 2, 4]
    assert all("error" in r for r in results[:3])
    assert results[3]["text"] == "Route it."


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("--jsonl", str(tmp_path / "absent.jsonl"))


def test_evaluate_prints_held_out_accuracy():
    out = io.StringIO()
    call_command("score_roleplay", "--evaluate", stdout=out)
    assert "Verdict accuracy (strong/weak):" in out.getvalue()


def test_help_lists_every_option(capsys):
    """`score_roleplay --help` prints (a stray % in a help string used to crash it)."""
    with pytest.raises(SystemExit):
        call_command("score_roleplay", "--help")
    out = capsys.readouterr().out
    assert "--evaluate" in out and "--cv" in out
