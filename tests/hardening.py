"""Helpers for the security tests: header checks, template scanning and the URL inventory."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"


# --- Response headers -------------------------------------------------------------------------


def assert_security_headers(response) -> None:
    """The headers every HTML answer carries: strict CSP, no sniffing, no framing."""
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp, f"no Content-Security-Policy on {response.status_code} answer"
    directives = {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in csp.split(";")) if part
    }
    assert directives["default-src"] == ["'self'"], csp
    assert directives["script-src"] == ["'self'"], csp
    assert directives["style-src"] == ["'self'"], csp
    assert directives["frame-ancestors"] == ["'none'"], csp
    assert directives["object-src"] == ["'none'"], csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "same-origin"
    assert response.headers.get("X-Frame-Options") == "DENY"


# --- Templates held to the CSP ------------------------------------------------------------------

TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
FORBIDDEN_ATTRIBUTE = re.compile(r"(?:^|[\s\"'])((?:data-)?hx-on[\w:.-]*|on[a-z]+|style)\s*=", re.I)
SCRIPT_URL = re.compile(r"""=\s*["']\s*(?:javascript|js):""", re.I)
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def csp_violations(text: str) -> list[str]:
    """What in one template the strict CSP would block (or needs 'unsafe-*' to allow)."""
    problems: list[str] = []
    for attrs, body in SCRIPT.findall(text):
        type_ = re.search(r"""type\s*=\s*["']([^"']+)["']""", attrs)
        if type_ and type_.group(1).lower() in DATA_SCRIPT_TYPES:
            continue
        if body.strip():
            problems.append(f"inline <script> body: {body.strip()[:60]!r}")
        elif "src=" not in attrs:
            problems.append("<script> without src")
    if re.search(r"<style\b", text, re.I):
        problems.append("<style> element")
    for name, attrs in TAG.findall(text):
        for match in FORBIDDEN_ATTRIBUTE.finditer(attrs):
            problems.append(f"<{name}> has {match.group(1)}= attribute")
        if SCRIPT_URL.search(attrs):
            problems.append(f"<{name}> has a javascript:/js: value")
    return problems


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".svg", ".txt"})


# --- URL inventory ------------------------------------------------------------------------------

OWN_NAMESPACES = {"lessons", "quizzes"}
OWN_ROOT_NAMES = {"home", "healthz", "password_reset"}


@dataclass(frozen=True)
class Route:
    pattern: str  # e.g. "lessons/<slug:slug>/"
    name: str  # e.g. "lessons:detail"
    callback: object

    @property
    def methods(self) -> frozenset[str] | None:
        return allowed_methods(self.callback)


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            full = f"{namespace}:{name}" if namespace else name
            yield Route(prefix + str(entry.pattern), full, entry.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def own_routes() -> list[Route]:
    """Our apps' URLs (not Django admin's or contrib.auth's own views)."""
    routes = []
    for route in all_routes():
        namespace = route.name.split(":")[0] if ":" in route.name else None
        if namespace in OWN_NAMESPACES or route.name in OWN_ROOT_NAMES:
            routes.append(route)
    return routes


def allowed_methods(view) -> frozenset[str] | None:
    """The HTTP methods a view accepts, read from @require_http_methods (and its shortcuts)
    or a class-based view's handlers; None when the view does not declare them."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return frozenset(
            m.upper() for m in view_class.http_method_names if hasattr(view_class, m)
        ) - {"OPTIONS"}
    seen = 0
    while view is not None and seen < 20:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = view.__closure__[code.co_freevars.index("request_method_list")]
            methods = frozenset(m.upper() for m in cell.cell_contents)
            return methods - {"HEAD"} if "GET" in methods else methods
        view = getattr(view, "__wrapped__", None)
        seen += 1
    return None


SAMPLE_VALUES = {"slug": "no-such-slug", "int": "999999", "str": "x", "uuid": None, "path": "x"}


def sample_path(pattern: str, values: dict[str, str] | None = None) -> str:
    """A concrete path for a route pattern, with placeholder (or given) converter values."""

    def fill(match: re.Match) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if values and name in values:
            return str(values[name])
        if converter == "uuid":
            return "00000000-0000-0000-0000-000000000000"
        return SAMPLE_VALUES.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, pattern)


# --- Free text for property-based tests ---------------------------------------------------------

SCRIPT_MARKER = '<script>alert("tierwise-xss")</script>'


def any_text(limit: int):
    """Any text a person or a script could send: unicode, control characters, empty, a script
    marker, and text over the field's `limit`. (Lone surrogates cannot be sent as UTF-8.)"""
    from hypothesis import strategies as st

    chars = st.characters(blacklist_categories=("Cs",))
    controls = st.sampled_from(["\x00", "\x07", "\x1b", "\r\n", "\u202e", "\ufeff", "\t"])
    return st.one_of(
        st.just(""),
        st.text(chars, max_size=200),
        st.lists(st.one_of(chars, controls), max_size=60).map("".join),
        st.text(chars, max_size=40).map(lambda t: f"{t}{SCRIPT_MARKER}{t}"),
        st.integers(min_value=limit + 1, max_value=limit * 3).map(lambda n: "é" * n),
    )


def assert_escaped(response) -> None:
    """The script marker never comes back as live markup."""
    assert SCRIPT_MARKER.encode() not in response.content
