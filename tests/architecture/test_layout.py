"""The codebase's shape: one app per product area, imports in one direction, one vocabulary.

Each app may import only the apps above it in this order (DESIGN.md): enablement, lessons,
routing, practice, quizzes. The home dashboard (enablement/views.py) and the root urls.py may
import every app; nothing else imports upward."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["enablement", "lessons", "routing", "practice", "quizzes"]
# The project's front page and URL map may import every app.
MAY_IMPORT_ALL = {ROOT / "enablement" / "views.py", ROOT / "enablement" / "urls.py"}
TIER_KEYS = {"small", "mid", "frontier"}
VOCABULARY = ROOT / "enablement" / "vocabulary.py"


def python_files(app: str) -> list[Path]:
    return [
        path
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    ]


def imported_apps(path: Path) -> set[str]:
    """The first package of every absolute import in `path` that is one of our apps."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(APPS)
    return found


def upward_imports() -> list[str]:
    problems = []
    for rank, app in enumerate(APPS):
        allowed = set(APPS[: rank + 1])
        for path in python_files(app):
            if path in MAY_IMPORT_ALL:
                continue
            for other in sorted(imported_apps(path) - allowed):
                problems.append(f"{path.relative_to(ROOT)} imports {other}")
    return problems


def test_apps_import_only_the_apps_above_them():
    assert upward_imports() == []


def test_the_import_check_catches_an_upward_import(tmp_path, monkeypatch):
    """The walk sees `from quizzes...` inside lessons (and would fail the test above)."""
    module = tmp_path / "lessons" / "bad.py"
    module.parent.mkdir()
    module.write_text("from quizzes.models import Quiz\n", "utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    for app in APPS:
        (tmp_path / app).mkdir(exist_ok=True)
    assert upward_imports() == ["lessons/bad.py imports quizzes"]


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_its_templates_and_tests_folder(app):
    if app != "enablement":
        assert (ROOT / "templates" / app).is_dir()
    assert (ROOT / "tests" / app).is_dir()


# --- One vocabulary -------------------------------------------------------------------------


def spelled_out_tier_lists(path: Path) -> list[int]:
    """Lines where a list, tuple, set or dict's keys name all three tiers by hand."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [key for key in node.keys if key is not None]
        else:
            continue
        values = {item.value for item in items if isinstance(item, ast.Constant)}
        if values >= TIER_KEYS:
            lines.append(node.lineno)
    return lines


def test_no_module_spells_the_tier_list_out_again():
    """Tier keys, order and labels come from enablement/vocabulary.py only."""
    found = {
        str(path.relative_to(ROOT)): lines
        for app in APPS
        for path in python_files(app)
        if path != VOCABULARY and (lines := spelled_out_tier_lists(path))
    }
    assert found == {}


def test_no_template_spells_the_tiers_out_again():
    """Templates get tiers from context: no template lists the three tier keys or labels."""
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text("utf-8")
        for spelled in ('"small"', "'small'", ">Small<", "Mid-tier<"):
            if spelled in text and ("frontier" in text.lower()):
                offenders.append(f"{path.relative_to(ROOT)}: {spelled}")
    assert offenders == []


def test_the_vocabulary_check_catches_a_spelled_out_list(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        'ORDER = ("small", "mid", "frontier")\nX = {"small": 1, "mid": 2, "frontier": 3}\n'
    )
    assert spelled_out_tier_lists(module) == [1, 2]


def test_the_mid_tier_is_named_one_way():
    from enablement.vocabulary import Tier, tier_label

    assert tier_label("mid") == Tier.MID.label == "Efficient mid-tier"
