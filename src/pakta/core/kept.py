"""HTML fragments written once per process: those that depend on their key and nothing else.

A fragment kept here is never forgotten because data changed: its key holds every value its HTML
depends on (the language, the URL prefix, a Pemda's slug, a set of permissions), so a change of
any of them asks for another entry. Fit for page furniture (the main menu, an empty filter form),
never for anything read from the database. The store is a ``core.pagecache.PageCache`` (bounded,
an hour per entry); under ``DEBUG`` nothing is kept, so an edited template shows at once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from pakta.core.pagecache import PageCache

_kept = PageCache(ttl=3600, max_entries=4096)


def kept_html(key: tuple[Hashable, ...], render: Callable[[], str]) -> SafeString:
    """The fragment ``render()`` writes, kept under ``key`` with the language and URLs added.

    ``render`` must write safe HTML (a template's output) that depends on nothing but ``key``."""
    if settings.DEBUG:
        return mark_safe(render())  # noqa: S308 - a template's output
    full = (
        translation.get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        *key,
    )
    html = _kept.get(full)
    if html is None:
        html = render()
        _kept.set(full, html)
    return mark_safe(html)  # noqa: S308 - a template's output


def forget_kept_html() -> None:
    """For tests that change templates or URLs."""
    _kept.clear()
