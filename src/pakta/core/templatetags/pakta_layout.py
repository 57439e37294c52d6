"""``{% main_menu %}``: the main menu of ``base.html``, written once per process and kept.

The menu shows the same links to every user who holds the same permissions in the same Pemda,
in one language: its HTML depends on nothing else (the Pemda's slug, the ``perms_in_pemda`` of
the context processor, whether the user is signed in and a superadmin, the language, the URL
prefix). Each process keeps it under exactly those values, so nothing needs to be forgotten when
data change: a user given a new role gets another entry. Writing its 20 to 30 links anew
(``{% url %}`` and ``{% translate %}`` each) cost about a fifth of a staff page
(docs/scale.md, "Serving").
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import SafeString

register = template.Library()

MENU_TEMPLATE = "core/_main_menu.html"
MAX_KEPT = 2048
_kept: dict[tuple[Any, ...], SafeString] = {}


def _menu_key(context: template.Context) -> tuple[Any, ...] | None:
    perms = context.get("perms_in_pemda") or {}
    if not isinstance(perms, dict):
        return None
    pemda = context.get("pemda")
    user = context.get("user")
    return (
        translation.get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        str(pemda.slug) if pemda else None,
        bool(getattr(user, "is_authenticated", False)),
        bool(getattr(user, "is_superuser", False)),
        tuple(sorted((name, bool(value)) for name, value in perms.items())),
    )


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> SafeString:
    key = None if settings.DEBUG else _menu_key(context)  # DEBUG: a changed template shows
    if key is not None and (html := _kept.get(key)) is not None:
        return html
    html = context.template.engine.get_template(MENU_TEMPLATE).render(context)
    if key is not None:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = html
    return html


def forget_menus() -> None:
    """For tests that change the URLs or the templates."""
    _kept.clear()
