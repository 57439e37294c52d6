"""``{% discipline_flag official pact=pact %}``: on pact and agreement pages, the flag of a heavy
sanction in force, and (for the roles who see every case) the link to the cases tied to the
pact's clauses."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("discipline/_flag.html", takes_context=True)
def discipline_flag(context: Any, official: Any, pact: Any = None) -> dict[str, Any]:
    from pakta.core.permissions import has_permission
    from pakta.discipline.selectors import cases_for_pact, heavy_sanction_of

    result: dict[str, Any] = {"heavy": None, "cases_link": "", "cases_count": 0}
    if official is None:
        return result
    result["heavy"] = heavy_sanction_of(official)
    request = context.get("request")
    user = getattr(request, "user", None)
    if (
        pact is not None
        and user is not None
        and has_permission(user, pact.pemda, "discipline.view")
    ):
        count = cases_for_pact(pact=pact).count()
        if count:
            result["cases_count"] = count
            result["cases_link"] = reverse(
                "discipline:pact_cases", kwargs={"pemda": pact.pemda.slug, "pk": pact.pk}
            )
    return result


@register.inclusion_tag("discipline/_open_button.html", takes_context=True)
def discipline_open_button(context: Any, origin: Any) -> dict[str, Any]:
    """``{% discipline_open_button obj %}`` on a gratification report, a conflict finding or a
    procurement case page: the button to the case form with the origin pre-selected, for the
    roles who open cases, when that record may open one."""
    from pakta.core.permissions import has_permission
    from pakta.discipline import origins
    from pakta.discipline.models import DisciplineCase

    request = context.get("request")
    user = getattr(request, "user", None)
    kind = origins.kind_of(origin)
    if kind is None or user is None or not has_permission(user, origin.pemda, "discipline.manage"):
        return {"url": ""}
    cases = list(
        DisciplineCase.objects.filter(pemda=origin.pemda, origin=kind, origin_ref=origin.pk)
    )
    if origins.ineligible_reason(kind, origin):
        return {"url": "", "cases": cases}
    url = reverse("discipline:case_create", kwargs={"pemda": origin.pemda.slug})
    return {"url": f"{url}?origin={kind}&ref={origin.pk}", "cases": cases}
