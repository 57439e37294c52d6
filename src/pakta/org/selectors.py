"""Reads of the organisation, scoped to one Pemda (and to a unit subtree for Kepala OPD)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from pakta.org.models import Assignment, ImportJob, Official, Pemda, Position, Unit


def _subtree_q(units: Sequence[Unit] | None, prefix: str) -> Q:
    if units is None:
        return Q()
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(**{f"{prefix}path__startswith": unit.path})
    return q


def unit_list_for(
    *, pemda: Pemda, scope: Sequence[Unit] | None = None, search: str = ""
) -> QuerySet[Unit]:
    qs = Unit.objects.filter(pemda=pemda).filter(_subtree_q(scope, ""))
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("path")


def unit_get_for(*, pemda: Pemda, pk: int, scope: Sequence[Unit] | None = None) -> Unit:
    return get_object_or_404(unit_list_for(pemda=pemda, scope=scope), pk=pk)


def position_list_for(
    *, pemda: Pemda, scope: Sequence[Unit] | None = None, unit: Unit | None = None
) -> QuerySet[Position]:
    qs = (
        Position.objects.filter(pemda=pemda)
        .filter(_subtree_q(scope, "unit__"))
        .select_related("unit")
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("unit__path", "level", "title")


def position_get_for(*, pemda: Pemda, pk: int, scope: Sequence[Unit] | None = None) -> Position:
    return get_object_or_404(position_list_for(pemda=pemda, scope=scope), pk=pk)


def current_assignments() -> Prefetch[Any]:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(end_date__isnull=True).select_related("position__unit"),
        to_attr="current_assignments",
    )


def official_list_for(
    *,
    pemda: Pemda,
    scope: Sequence[Unit] | None = None,
    search: str = "",
    unit: Unit | None = None,
    level: str = "",
) -> QuerySet[Official]:
    """Officials of a Pemda; with a unit scope or filter, those currently assigned within it."""
    qs = Official.objects.filter(pemda=pemda)
    if scope is not None:
        qs = qs.filter(
            pk__in=Assignment.objects.filter(pemda=pemda, end_date__isnull=True)
            .filter(_subtree_q(scope, "position__unit__"))
            .values("official_id")
        )
    if unit is not None:
        qs = qs.filter(
            pk__in=Assignment.objects.filter(
                end_date__isnull=True, position__unit__path__startswith=unit.path, pemda=pemda
            ).values("official_id")
        )
    if level:
        qs = qs.filter(
            pk__in=Assignment.objects.filter(
                pemda=pemda, end_date__isnull=True, position__level=level
            ).values("official_id")
        )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(nip__startswith=search))
    return qs.order_by("name", "pk")


def official_get_for(*, pemda: Pemda, pk: int, scope: Sequence[Unit] | None = None) -> Official:
    return get_object_or_404(official_list_for(pemda=pemda, scope=scope), pk=pk)


def assignment_history(*, official: Official) -> QuerySet[Assignment]:
    return official.assignments.select_related("position__unit").order_by("-start_date", "-pk")


def import_job_list_for(*, pemda: Pemda) -> QuerySet[ImportJob]:
    return (
        ImportJob.objects.filter(pemda=pemda).select_related("created_by").order_by("-created_at")
    )


def import_job_get_for(*, pemda: Pemda, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.filter(pemda=pemda), pk=pk)


def pemda_counts(*, pemda: Pemda) -> dict[str, int]:
    return {
        "units": Unit.objects.filter(pemda=pemda).count(),
        "positions": Position.objects.filter(pemda=pemda).count(),
        "officials": Official.objects.filter(pemda=pemda).count(),
    }


def personal_data_list_for(*, user: Any, pemda: Pemda) -> QuerySet[Official]:
    """The officials whose personal data ``user`` may see (need-to-know, docs/permissions.md).

    Holders of ``org.personal_data`` see those within their scope (a Kepala OPD: the officials
    currently assigned in their unit subtree); everyone sees their own.
    """
    from pakta.core.permissions import has_permission, unit_scope

    own = Official.objects.filter(pemda=pemda, pk=getattr(user, "official_id", None) or 0)
    if not has_permission(user, pemda, "org.personal_data"):
        return own
    scope = unit_scope(user, pemda, "org.personal_data")
    if scope is None:
        return Official.objects.filter(pemda=pemda)
    return official_list_for(pemda=pemda, scope=scope) | own


def personal_data_visible(*, user: Any, pemda: Pemda, officials: Sequence[Official]) -> set[int]:
    """The ids among ``officials`` whose personal data ``user`` may see."""
    ids = [o.pk for o in officials]
    if not ids:
        return set()
    visible = personal_data_list_for(user=user, pemda=pemda).filter(pk__in=ids)
    return set(visible.values_list("pk", flat=True))
