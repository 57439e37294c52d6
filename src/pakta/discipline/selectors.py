"""Reads of discipline cases, scoped by Pemda and by who asks (cases are confidential)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from pakta.discipline.models import CaseStep, DisciplineCase, Provision, Sanction
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
        mine = Q(superior_id=official_id) | Q(examiner_id=official_id) | Q(team__id=official_id)
        mine |= Q(official_id=official_id) & ~Q(stage=DisciplineCase.Stage.OPENED)
        mine |= _as_authority(pemda, official_id)
        cases = cases.filter(mine).distinct()
    if stage:
        cases = cases.filter(stage=stage)
    if year:
        cases = cases.filter(year=year)
    if late:
        cases = cases.filter(is_open=True, stage_due__lt=timezone.localdate())
    return cases


def case_step_list_for(*, user: Any, pemda: Pemda) -> QuerySet[CaseStep]:
    """The steps of the cases ``user`` may see."""
    return CaseStep.objects.filter(
        pemda=pemda, case__in=case_list_for(user=user, pemda=pemda).values("pk")
    ).order_by("case_id", "date", "pk")


def _as_authority(pemda: Pemda, official_id: int) -> Q:
    """The open cases ``official_id`` may decide as head of the OPD or as regional head (the
    direct superior is matched by ``superior_id``), without a query per case."""
    from pakta.discipline.rules import Authority, Level, authorities_for
    from pakta.org.models import Assignment
    from pakta.org.selectors import regional_head

    def levels(authority: str) -> list[str]:
        return [level for level in Level.values if authority in authorities_for(level)]

    found = Q(pk__in=[])
    head = regional_head(pemda)
    if head is not None and head[0].pk == official_id:
        found |= Q(is_open=True, level__in=levels(Authority.REGIONAL_HEAD))
    units = Assignment.objects.filter(
        official_id=official_id, end_date__isnull=True, position__is_unit_head=True
    ).values("position__unit_id")
    found |= Q(is_open=True, unit_id__in=units, level__in=levels(Authority.HEAD_OF_OPD))
    return found & ~Q(official_id=official_id)


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


def sanction_find_for(*, pemda: Pemda, pk: int) -> Sanction | None:
    """A sanction of the Pemda, or None (its case decides who may read it)."""
    return Sanction.objects.filter(pemda=pemda, pk=pk).first()


def sanction_list_for(*, pemda: Pemda, year: int | None = None) -> QuerySet[Sanction]:
    sanctions = (
        Sanction.objects.filter(pemda=pemda)
        .select_related("case__official", "case__unit", "case__position", "decided_by", "document")
        .prefetch_related("case__provisions")
    )
    if year:
        sanctions = sanctions.filter(decision_date__year=year)
    return sanctions
