"""Whole rendered pages kept in each web process, keyed by everything they depend on.

For public pages that many people read and that change rarely (the verification page of a
signed document): the view computes a key from the rows the page shows (their ``updated_at``,
counts, ...) with one cheap query, and the page is rendered again only when the key changes or
the entry is older than ``ttl`` seconds. Because the key names the state, each process may keep
its own copy: no process ever serves a page for a state that has changed, and no invalidation
has to reach the other processes. The language, the time zone and the address are part of
every key.

Only the CSRF token differs between two visitors of the same page: the page is rendered with a
placeholder in its place, and each response gets the visitor's own token.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation

# Random per process: no text typed into a document can be mistaken for it.
CSRF_PLACEHOLDER = "csrf-placeholder-" + secrets.token_hex(16)


class PageCache:
    """At most ``max_entries`` pages for ``ttl`` seconds each (all dropped when full)."""

    def __init__(self, *, ttl: float, max_entries: int = 2048) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._pages: dict[Hashable, tuple[str, float]] = {}

    def get(self, key: Hashable) -> str | None:
        found = self._pages.get(key)
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]

    def set(self, key: Hashable, html: str) -> None:
        if len(self._pages) >= self.max_entries:
            self._pages.clear()
        self._pages[key] = (html, time.monotonic() + self.ttl)

    def clear(self) -> None:
        self._pages.clear()


def render_cached(
    request: HttpRequest,
    pages: PageCache,
    key: Hashable,
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """``render(request, template, context())``, from ``pages`` when the same ``key`` was
    rendered before in this language, time zone and address."""
    full_key = (
        key,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        request.path,
    )
    html = pages.get(full_key)
    if html is None:
        html = render_to_string(
            template, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request=request
        )
        pages.set(full_key, html)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(html)
