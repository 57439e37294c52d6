"""``{% main_menu %}``: the main menu of ``base.html``, written once per process and kept.

The menu shows the same links to every user who holds the same permissions in the same Pemda,
in one language: its HTML depends on nothing else (the Pemda's slug, the ``perms_in_pemda`` of
the context processor, whether the user is signed in and a superadmin; the language and the URL
prefix are added by ``core.kept``). Nothing needs forgetting when data change: a user given a new
role asks for another entry. Writing its 20 to 30 links anew (a ``{% url %}`` and a
``{% translate %}`` each) cost about a fifth of a staff page (docs/scale.md, "Serving").
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from pakta.core.kept import kept_html

register = template.Library()

MENU_TEMPLATE = "core/_main_menu.html"


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> SafeString:
    def render() -> str:
        assert context.template is not None  # a tag renders within a template
        return context.template.engine.get_template(MENU_TEMPLATE).render(context)

    perms = context.get("perms_in_pemda") or {}
    if not isinstance(perms, dict):
        return SafeString(render())
    pemda = context.get("pemda")
    user = context.get("user")
    key = (
        "core.main_menu",
        str(pemda.slug) if pemda else None,
        bool(getattr(user, "is_authenticated", False)),
        bool(getattr(user, "is_superuser", False)),
        tuple(sorted((name, bool(value)) for name, value in perms.items())),
    )
    return kept_html(key, render)
