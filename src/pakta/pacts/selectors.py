"""Reads of pacts and events, scoped to a Pemda (and a unit subtree for Kepala OPD)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pakta.core.paging import block_key_page
from pakta.core.permissions import has_permission, unit_scope
from pakta.org.models import Assignment, Official, Pemda, Unit, full_name
from pakta.org.nip import normalize_nip
from pakta.org.selectors import unit_in_scope, unit_scope_q, unit_subtree
from pakta.pacts.models import ComplianceCount, EventWitness, Pact, PactTemplate, SigningEvent
from pakta.signing.models import Signature


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


def witness_get_for(*, pemda: Pemda, pk: int) -> EventWitness:
    """A witness of one of the Pemda's signing events (with its event); 404 otherwise."""
    return get_object_or_404(
        EventWitness.objects.select_related("event").filter(event__pemda=pemda), pk=pk
    )


def pact_list_for(
    *,
    pemda: Pemda,
    scope: Sequence[Unit] | None = None,
    year: int | None = None,
    status: str = "",
    event: SigningEvent | None = None,
    unit: Unit | None = None,
    overdue: bool = False,
) -> QuerySet[Pact]:
    qs = Pact.objects.filter(pemda=pemda).filter(unit_scope_q(scope, "unit__"))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if event is not None:
        qs = qs.filter(event=event)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if overdue:
        qs = qs.filter(status=Pact.Status.PENDING, due_date__lt=timezone.localdate())
    return qs.select_related(
        "official", "position", "unit", "witness", "document", "event"
    ).order_by("unit__name", "official__name", "pk")  # pk: namesakes keep their page


def pact_list_page(qs: QuerySet[Pact], *, number: Any, per_page: int = 50) -> Page:
    """A page of ``pact_list_for``: its order starts with the unit's name, so the page is read
    from the units it falls in (``core.paging.block_key_page``)."""
    return block_key_page(qs, per_page, number, block="unit", order="name")


class UnsignedPactRow(NamedTuple):
    official: str  # with titles
    nip: str
    position: str
    unit: str
    status: str
    due_date: dt.date
    excused_reason: str
    event: str


def unsigned_pact_rows(
    *,
    pemda: Pemda,
    year: int,
    event: SigningEvent | None = None,
    scope: Sequence[Unit] | None = None,
    chunk: int = 2000,
) -> Iterator[UnsignedPactRow]:
    """The pending and excused pacts in ``pact_list_for``'s order, as plain values (the
    compliance export: one query read ``chunk`` rows at a time, no model instances)."""
    rows = (
        pact_list_for(pemda=pemda, scope=scope, year=year, event=event)
        .exclude(status=Pact.Status.SIGNED)
        .values_list(
            "official__front_title",
            "official__name",
            "official__back_title",
            "official__nip",
            "position__title",
            "unit__name",
            "status",
            "due_date",
            "excused_reason",
            "event__title",
        )
        .iterator(chunk_size=chunk)
    )
    for front, name, back, nip, position, unit, status, due, reason, title in rows:
        yield UnsignedPactRow(
            full_name(front, name, back),
            nip,
            position or "",
            unit or "",
            status,
            due,
            reason,
            title or "",
        )


def pact_get_for(*, pemda: Pemda, pk: int, scope: Sequence[Unit] | None = None) -> Pact:
    return get_object_or_404(pact_list_for(pemda=pemda, scope=scope), pk=pk)


def pacts_to_sign_for(*, user: Any) -> QuerySet[Pact]:
    """The user's own pacts waiting for their signature (their inbox)."""
    if not getattr(user, "official_id", None):
        return Pact.objects.none()
    return (
        Pact.objects.filter(official_id=user.official_id, status=Pact.Status.PENDING)
        # A pact of an event being prepared or closed cannot be signed: not offered.
        .filter(Q(event__isnull=True) | Q(event__status=SigningEvent.Status.OPEN))
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


def records_to_sign_for(*, user: Any) -> QuerySet[SigningEvent]:
    """Closed events whose ceremony record waits for the user as leader or internal witness."""
    official_id = getattr(user, "official_id", None)
    if not official_id:
        return SigningEvent.objects.none()
    return (
        SigningEvent.objects.filter(record__isnull=False)
        .exclude(record__status="completed")
        .filter(
            Q(leader_id=official_id)
            | Q(witnesses__official_id=official_id, witnesses__is_external=False)
        )
        .exclude(record__signatures__official_id=official_id)
        .distinct()
        .order_by("date", "pk")
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


def compliance_by_pemda(*, year: int) -> list[dict[str, Any]]:
    """Per Pemda totals for a year (national view), from the counters, by Pemda name.

    The counters are summed per Pemda first and the names joined to the 546 sums after:
    sorting the ~22,000 counter rows by name before grouping them took most of the time.
    """
    sums = {
        row["pemda_id"]: row
        for row in ComplianceCount.objects.filter(year=year)
        .values("pemda_id")
        .annotate(signed=Sum("signed"), pending=Sum("pending"), excused=Sum("excused"))
        .order_by()
    }
    return [
        {**sums[pk], "pemda__name": name, "pemda__slug": slug}
        for pk, name, slug in Pemda.objects.filter(pk__in=list(sums))
        .order_by("name")
        .values_list("pk", "name", "slug")
    ]


# --- Participants of a signing event --------------------------------------------------------------

PARTICIPANT_FILTERS = ("kepala_opd", "eselon_ii", "unit", "nips")
ESELON_II_LEVELS = ("jpt_madya", "jpt_pratama")


def _current_holders(pemda: Pemda, **position_filters: Any) -> QuerySet[Official]:
    return (
        Official.objects.filter(pemda=pemda)
        .filter(
            pk__in=Assignment.objects.filter(
                pemda=pemda,
                end_date__isnull=True,
                **{f"position__{k}": v for k, v in position_filters.items()},
            ).values("official_id")
        )
        .order_by("name")
    )


def participants_by_filter(
    *, pemda: Pemda, kind: str, unit: Unit | None = None, nips: Iterable[str] = ()
) -> tuple[list[Official], list[str]]:
    """The officials a filter designates, and the NIPs of a list that match no official.

    ``kepala_opd``: current holders of the head position of each top-level unit (OPD);
    ``eselon_ii``: current holders of JPT Madya and JPT Pratama positions;
    ``unit``: everyone currently assigned in the unit or its sub-units;
    ``nips``: the officials of this Pemda with the given NIPs (spaces ignored).
    """
    if kind == "kepala_opd":
        return list(_current_holders(pemda, is_unit_head=True, unit__parent__isnull=True)), []
    if kind == "eselon_ii":
        return list(_current_holders(pemda, level__in=ESELON_II_LEVELS)), []
    if kind == "unit":
        if unit is None or unit.pemda_id != pemda.pk:
            return [], []
        return list(_current_holders(pemda, unit__in=unit_subtree(unit))), []
    if kind == "nips":
        wanted = list(dict.fromkeys(normalize_nip(n) for n in nips if normalize_nip(n)))
        found = {o.nip: o for o in Official.objects.filter(pemda=pemda, nip__in=wanted)}
        return [found[n] for n in wanted if n in found], [n for n in wanted if n not in found]
    raise ValueError(f"Unknown participant filter {kind!r}.")


def jpt_officials_for(*, pemda: Pemda) -> QuerySet[Official]:
    """Officials currently holding a JPT (eselon I/II) position: candidates to lead an event."""
    return _current_holders(pemda, level__in=("jpt_utama", *ESELON_II_LEVELS))


def event_counts(*, event: SigningEvent, scope: Sequence[Unit] | None = None) -> dict[str, int]:
    """Participants of an event per status, and in total (within a Kepala OPD's units)."""
    pacts = event.pacts.filter(unit_scope_q(scope, "unit__"))
    rows = pacts.values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(Pact.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    counts["total"] = sum(counts[s] for s in Pact.Status.values)
    return counts


def pact_signatures(*, pact: Pact) -> QuerySet[Signature]:
    if pact.document_id is None:
        return Signature.objects.none()
    return Signature.objects.filter(document_id=pact.document_id).order_by("signed_at")


def top_units_for(*, pemda: Pemda, scope: Sequence[Unit] | None = None) -> QuerySet[Unit]:
    """The OPDs pacts count for (top-level units), limited to a Kepala OPD's own."""
    qs = Unit.objects.filter(pemda=pemda, parent__isnull=True).filter(unit_scope_q(scope))
    return qs.order_by("name")


def pact_personal_get(
    *, user: Any, pemda: Any, pk: Any, object_permission: str = "pacts.view"
) -> tuple[Pact, str]:
    """A pact and the user's part in it: ``signer``, ``witness`` or ``viewer`` (a holder of
    ``object_permission`` within their unit scope); anyone else gets 404. The pages and the API
    both ask here."""
    pact = pact_get_for(pemda=pemda, pk=pk)
    official_id = getattr(user, "official_id", None)
    if official_id and official_id == pact.official_id:
        return pact, "signer"
    if official_id and official_id == pact.witness_id:
        return pact, "witness"
    if has_permission(user, pemda, object_permission):
        scope = unit_scope(user, pemda, object_permission)
        if unit_in_scope(pact.unit, scope):
            return pact, "viewer"
    raise Http404
