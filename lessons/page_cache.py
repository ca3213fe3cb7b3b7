"""Whole lesson pages, cached per viewer (the "pages" cache).

A lesson page shows content (the same for everyone: cached per content version) and the
viewer's own part: their name and role in the header, their progress, their knowledge-check
answers, dates in their time zone, and CSRF tokens in every form. The whole page is kept under
a key built from everything it depends on, each read from the database on every request, so
no worker ever serves a page older than the data it shows, whatever other workers wrote:

- the content version (ContentVersion, bumped by every content edit and reload);
- the viewer's `learning_record_version` (on the user row, which every request reads
  anyway), bumped whenever a completion or a check answer of theirs changes (see
  lessons.signals): the only parts of their learning record a lesson page shows;
- the viewer's id, name, username, role, staff flags and time zone;
- the lesson's slug.

What is never cached: CSRF tokens (the page is stored with a placeholder and each response
gets a fresh masked token of the viewer's own), and pages shown with flash messages (those
are rendered live, so a message shows exactly once). The "last viewed" visit is not part of
the page: it is recorded on every request, hit or miss, throttled by what the user row says
was touched last (lessons.services.record_lesson_visit), so a cached view costs no query
beyond the session, the user and the content version.

Why not Django's cache_page: it keys on the Cookie header and expires only by time, so a
completed lesson would show as unfinished until the entry ran out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

PAGE_CACHE_SECONDS = 10 * 60
# Rendered in place of the CSRF token; letters and dashes only, so escaping leaves it intact.
CSRF_PLACEHOLDER = "tierwise-csrf-token-placeholder"


def _pages():
    return caches["pages"]


def page_key(request: HttpRequest, slug: str, content_version: int) -> str:
    user = request.user
    viewer = (
        user.pk,
        user.learning_record_version,
        user.get_username(),
        user.get_full_name(),
        user.role,
        user.is_staff,
        user.is_superuser,
        user.time_zone,
    )
    digest = hashlib.sha256(repr((viewer, content_version, slug)).encode()).hexdigest()
    return f"lessons:page:{user.pk}:{digest}"


def shows_messages(request: HttpRequest) -> bool:
    """Whether flash messages wait to be shown (asking does not consume them)."""
    return len(get_messages(request)) > 0


@dataclass(frozen=True)
class CachedPage:
    lesson_id: int
    html: str


def get(key: str) -> CachedPage | None:
    return _pages().get(key)


def put(key: str, lesson_id: int, html: str) -> None:
    """Keep a page rendered with CSRF_PLACEHOLDER in place of its tokens."""
    _pages().set(key, CachedPage(lesson_id=lesson_id, html=html), PAGE_CACHE_SECONDS)


def response(request: HttpRequest, html: str) -> HttpResponse:
    """The page with this viewer's own, freshly masked, CSRF token in every place."""
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
