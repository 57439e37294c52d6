"""Reads of discipline cases, scoped by Pemda and by who asks (cases are confidential)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from pakta.discipline.models import DisciplineCase, Provision, Sanction
from pakta.discipline.permissions import can_see_all, can_view_case
from pakta.discipline.rules import Level
from pakta.org.models import Official, Pemda


def provision_list() -> QuerySet[Provision]:
    return Provision.objects.filter(is_active=True)


def _base(pemda: Pemda) -> QuerySet[DisciplineCase]:
    return DisciplineCase.objects.filter(pemda=pemda).select_related(
        "official", "unit", "position", "superior", "pact__template", "sanction", "pemda"
    )


def case_list_for(
    *, user: Any, pemda: Pemda, stage: str = "", year: int | None = None, late: bool = False
) -> QuerySet[DisciplineCase]:
    """Every case for the Inspektorat and HR; otherwise the cases the user's official acts in
    (superior, examiner, team member, the official who may decide), or their own once summoned."""
    cases = _base(pemda)
    if not can_see_all(user, pemda):
        official_id = getattr(user, "official_id", None)
        if not official_id:
            return cases.none()
        from pakta.discipline.services import authority_officials

        mine = Q(superior_id=official_id) | Q(examiner_id=official_id) | Q(team__id=official_id)
        mine |= Q(official_id=official_id) & ~Q(stage=DisciplineCase.Stage.OPENED)
        candidates = [
            c.pk
            for c in cases.filter(is_open=True).exclude(mine)
            if any(o is not None and o.pk == official_id for o in authority_officials(c).values())
        ]
        cases = cases.filter(mine | Q(pk__in=candidates)).distinct()
    if stage:
        cases = cases.filter(stage=stage)
    if year:
        cases = cases.filter(year=year)
    if late:
        cases = cases.filter(is_open=True, stage_due__lt=timezone.localdate())
    return cases


def case_get_for(*, user: Any, pemda: Pemda, pk: int) -> DisciplineCase:
    case = _base(pemda).filter(pk=pk).first()
    if case is None or not can_view_case(user, case):
        raise Http404
    return case


def cases_for_pact(*, pact: Any) -> QuerySet[DisciplineCase]:
    """The cases tied to a clause of ``pact`` (for the pact page, to the roles who may see it)."""
    return DisciplineCase.objects.filter(pact=pact).order_by("pact_clause", "-opened_on")


def sanctions_in_force(*, on: dt.date | None = None) -> QuerySet[Sanction]:
    on = on or timezone.localdate()
    return (
        Sanction.objects.exclude(status=Sanction.Status.ANNULLED)
        .filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    )


def official_under_heavy_sanction(official: Official | int, on: dt.date | None = None) -> bool:
    """Whether ``official`` serves a heavy (berat) sanction on ``on`` (today by default): shown
    on pact and agreement pages; the Pokja assignment of the procurement app calls it to exclude
    the official (docs/discipline.md)."""
    official_id = official if isinstance(official, int) else official.pk
    return (
        sanctions_in_force(on=on).filter(level=Level.BERAT, case__official_id=official_id).exists()
    )


def heavy_sanction_of(official: Official, on: dt.date | None = None) -> Sanction | None:
    return (
        sanctions_in_force(on=on)
        .filter(level=Level.BERAT, case__official_id=official.pk)
        .order_by("-start_date")
        .first()
    )


def sanction_list_for(*, pemda: Pemda, year: int | None = None) -> QuerySet[Sanction]:
    sanctions = (
        Sanction.objects.filter(pemda=pemda)
        .select_related("case__official", "case__unit", "case__position", "decided_by", "document")
        .prefetch_related("case__provisions")
    )
    if year:
        sanctions = sanctions.filter(decision_date__year=year)
    return sanctions
