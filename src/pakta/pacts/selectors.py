"""Reads of pacts and events, scoped to a Pemda (and a unit subtree for Kepala OPD)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pakta.org.models import Pemda, Unit
from pakta.pacts.models import ComplianceCount, Pact, PactTemplate, SigningEvent


def template_list_for(*, pemda: Pemda) -> QuerySet[PactTemplate]:
    return PactTemplate.objects.filter(pemda=pemda).order_by("-version")


def template_get_for(*, pemda: Pemda, pk: int) -> PactTemplate:
    return get_object_or_404(template_list_for(pemda=pemda), pk=pk)


def event_list_for(*, pemda: Pemda) -> QuerySet[SigningEvent]:
    return (
        SigningEvent.objects.filter(pemda=pemda)
        .select_related("template", "leader")
        .order_by("-date", "-pk")
    )


def event_get_for(*, pemda: Pemda, pk: int) -> SigningEvent:
    return get_object_or_404(event_list_for(pemda=pemda), pk=pk)


def pact_list_for(
    *,
    pemda: Pemda,
    scope: Sequence[Unit] | None = None,
    year: int | None = None,
    status: str = "",
    event: SigningEvent | None = None,
) -> QuerySet[Pact]:
    qs = Pact.objects.filter(pemda=pemda)
    if scope is not None:
        qs = qs.filter(unit__in=[u.pk for u in scope])
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if event is not None:
        qs = qs.filter(event=event)
    return qs.select_related(
        "official", "position", "unit", "witness", "document", "event"
    ).order_by("unit__name", "official__name")


def pact_get_for(*, pemda: Pemda, pk: int, scope: Sequence[Unit] | None = None) -> Pact:
    return get_object_or_404(pact_list_for(pemda=pemda, scope=scope), pk=pk)


def pacts_to_sign_for(*, user: Any) -> QuerySet[Pact]:
    """The user's own pacts waiting for their signature (their inbox)."""
    if not getattr(user, "official_id", None):
        return Pact.objects.none()
    return (
        Pact.objects.filter(official_id=user.official_id, status=Pact.Status.PENDING)
        .select_related("pemda", "event", "position")
        .order_by("due_date")
    )


def pacts_to_witness_for(*, user: Any) -> QuerySet[Pact]:
    """Signed pacts the user witnesses and has not countersigned yet."""
    if not getattr(user, "official_id", None):
        return Pact.objects.none()
    return (
        Pact.objects.filter(witness_id=user.official_id, status=Pact.Status.SIGNED)
        .exclude(
            document__signatures__role="witness", document__signatures__official_id=user.official_id
        )
        .select_related("pemda", "official", "position")
        .order_by("signed_at")
    )


def overdue_pacts_for(*, pemda: Pemda, scope: Sequence[Unit] | None = None) -> QuerySet[Pact]:
    return pact_list_for(pemda=pemda, scope=scope, status=Pact.Status.PENDING).filter(
        due_date__lt=timezone.localdate()
    )


def compliance_by_unit(*, pemda: Pemda, year: int) -> QuerySet[ComplianceCount]:
    """Signed, pending and excused per unit, read from the counters the services keep."""
    return (
        ComplianceCount.objects.filter(pemda=pemda, year=year)
        .select_related("unit")
        .order_by("unit__name")
    )


def compliance_total(*, pemda: Pemda, year: int) -> dict[str, int]:
    totals = ComplianceCount.objects.filter(pemda=pemda, year=year).aggregate(
        signed=Sum("signed"), pending=Sum("pending"), excused=Sum("excused")
    )
    return {key: value or 0 for key, value in totals.items()}


def compliance_by_pemda(*, year: int) -> QuerySet[Any]:
    """Per Pemda totals for a year (national view), from the counters."""
    return (
        ComplianceCount.objects.filter(year=year)
        .values("pemda_id", "pemda__name")
        .annotate(signed=Sum("signed"), pending=Sum("pending"), excused=Sum("excused"))
        .order_by("pemda__name")
    )
