"""The compliance sheet: who has not signed and why, and the per-unit figures.

One XLSX sheet (through ``rows_to_xlsx``, which neutralises formula-like cells) with two parts:
the pacts not signed (pending with due date and an overdue flag; excused with the reason), then
signed / pending / excused per unit from the ``ComplianceCount`` counters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.core.exports import stream_xlsx
from pakta.org.models import Pemda, Unit
from pakta.org.selectors import unit_scope_q
from pakta.pacts.models import Pact, SigningEvent
from pakta.pacts.selectors import (
    UnsignedPactRow,
    compliance_by_unit,
    pact_list_for,
    unsigned_pact_rows,
)


def unsigned_pacts(
    *,
    pemda: Pemda,
    year: int,
    event: SigningEvent | None = None,
    scope: Sequence[Unit] | None = None,
    limit: int | None = None,
) -> list[Pact]:
    """Pending and excused pacts, by unit and name; the first ``limit`` only when given."""
    qs = pact_list_for(pemda=pemda, scope=scope, year=year, event=event).exclude(
        status=Pact.Status.SIGNED
    )
    return list(qs[:limit] if limit is not None else qs)


def compliance_headers() -> list[str]:
    return [
        _("No."),
        _("Name"),
        _("NIP"),
        _("Position"),
        _("Unit"),
        _("Status"),
        _("Due date"),
        _("Overdue"),
        _("Reason excused"),
        _("Signing event"),
    ]


def _unsigned_rows(pacts: Iterable[UnsignedPactRow]) -> Iterator[list[Any]]:
    today = timezone.localdate()
    # Labels translated once, not once per row (a lazy label costs more than the row).
    labels = {value: str(label) for value, label in Pact.Status.choices}
    yes, no = str(_("Yes")), str(_("No"))
    pending_status = Pact.Status.PENDING.value
    for number, pact in enumerate(pacts, start=1):
        pending = pact.status == pending_status
        yield [
            number,
            pact.official,
            pact.nip,
            pact.position,
            pact.unit,
            labels.get(pact.status, pact.status),
            pact.due_date if pending else None,
            (yes if pact.due_date < today else no) if pending else "",
            pact.excused_reason if not pending else "",
            pact.event,
        ]


def compliance_sheet(
    *,
    pemda: Pemda,
    year: int,
    event: SigningEvent | None = None,
    scope: Sequence[Unit] | None = None,
) -> bytes:
    """The XLSX sheet of an event, or of a Pemda's year when no event is given."""
    return b"".join(compliance_sheet_stream(pemda=pemda, year=year, event=event, scope=scope))


def compliance_sheet_stream(
    *,
    pemda: Pemda,
    year: int,
    event: SigningEvent | None = None,
    scope: Sequence[Unit] | None = None,
) -> Iterator[bytes]:
    """``compliance_sheet`` in pieces, for a streamed download."""
    pacts = unsigned_pact_rows(pemda=pemda, year=year, event=event, scope=scope)
    counters = compliance_by_unit(pemda=pemda, year=year)
    counters = counters.filter(unit_scope_q(scope, "unit__"))

    def rows() -> Iterator[list[Any]]:
        empty = True
        for line in _unsigned_rows(pacts):
            empty = False
            yield line
        if empty:
            yield ["", _("Every pact has been signed.")]
        yield []
        yield [_("Per unit, %(year)s (all pacts of the year)") % {"year": year}]
        yield [_("Unit"), _("Signed"), _("Not yet signed"), _("Excused"), _("Total")]
        totals = [0, 0, 0]
        for row in counters:
            totals = [totals[0] + row.signed, totals[1] + row.pending, totals[2] + row.excused]
            yield [
                row.unit.name if row.unit else _("(no unit)"),
                row.signed,
                row.pending,
                row.excused,
                row.signed + row.pending + row.excused,
            ]
        yield [_("Total"), *totals, sum(totals)]

    return stream_xlsx(compliance_headers(), rows(), title=str(_("Compliance")))
