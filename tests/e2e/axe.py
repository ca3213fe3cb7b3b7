"""axe-core accessibility checks for the browser tests.

axe-core comes from the npm registry (`make axe`, or `npm install --no-save --prefix build/axe
axe-core@4`); AXE_CORE_JS points elsewhere if needed. It is injected as a Playwright init
script, which runs outside the page's Content-Security-Policy, so the app's CSP stays strict.
Locally a missing axe-core skips with a reason; with E2E_REQUIRE_BROWSER=1 (CI) it fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_AXE = ROOT / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_source() -> str:
    path = Path(os.environ.get("AXE_CORE_JS", DEFAULT_AXE))
    if not path.is_file():
        message = f"axe-core is not installed at {path} (run `make axe`)"
        if os.environ.get("E2E_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return path.read_text(encoding="utf-8")


def serious_violations(page) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line each."""
    results = page.evaluate(
        """async () => await window.axe.run(document, {
            resultTypes: ["violations"],
            runOnly: {
                type: "tag",
                values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            },
        })"""
    )
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}")
    return lines


class AccessibilityChecker:
    """Injects axe into every page of a browser context and checks pages on demand.

    It also records Content-Security-Policy violations reported by the browser, so a page
    that needs an inline script or eval fails here even though the server tests passed.
    """

    def __init__(self, page) -> None:
        self.page = page
        self.csp_errors: list[str] = []
        page.context.add_init_script(script=axe_source())
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def __call__(self, label: str = "") -> None:
        where = label or self.page.url
        assert self.page.evaluate("typeof window.axe") == "object", f"axe not loaded on {where}"
        violations = serious_violations(self.page)
        assert violations == [], f"accessibility violations on {where}:\n" + "\n".join(violations)
        assert self.csp_errors == [], f"CSP violations on {where}: {self.csp_errors}"
