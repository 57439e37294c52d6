"""Demo discipline case (see ``pakta.core.demo_content``): an employee of the demo Kepala
Dinas's office asked a fee outside the rules; the Inspektorat opened the case tied to clause 2 of
the employee's signed pact, and the first summons is issued. The Kepala Dinas (direct superior,
and the authority for a light sanction) finds it under "Tugas saya"."""

from __future__ import annotations

import datetime as dt

from pakta.core.demo_content import DemoCast, Log
from pakta.discipline import services
from pakta.discipline.models import DisciplineCase, Provision
from pakta.org.models import Official
from pakta.org.selectors import current_position, top_unit, unit_subtree
from pakta.pacts.models import Pact


def _subordinate(cast: DemoCast) -> tuple[Official, bool] | None:
    """An official of the demo Kepala Dinas's OPD (any sub-unit), preferring one who signed this
    year's pact."""
    position = current_position(cast.kadis)
    if position is None:
        return None
    units = unit_subtree(top_unit(position.unit))
    staff = Official.objects.filter(
        pemda=cast.pemda,
        assignments__end_date__isnull=True,
        assignments__position__unit__in=units,
        assignments__position__is_unit_head=False,
    ).exclude(pk=cast.kadis.pk)
    signed = (
        staff.filter(pacts__year=cast.year, pacts__status=Pact.Status.SIGNED).order_by("pk").first()
    )
    if signed is not None:
        return signed, True
    first = staff.order_by("pk").first()
    return (first, False) if first is not None else None


def demo_discipline(cast: DemoCast, log: Log) -> DisciplineCase | None:
    found = _subordinate(cast)
    if found is None:
        log("Discipline: no subordinate of the demo Kepala Dinas found; no demo case.")
        return None
    official, has_pact = found
    case = services.case_open(
        pemda=cast.pemda,
        acting_user=cast.inspektorat,
        official=official,
        incident_date=cast.today - dt.timedelta(days=12),
        opened_on=cast.today - dt.timedelta(days=2),
        summary=(
            "Berdasarkan hasil audit, yang bersangkutan meminta uang Rp500.000 di luar tarif "
            "resmi kepada pemohon layanan."
        ),
        provisions=list(Provision.objects.filter(code__in=["5g", "5l"])),
        level="ringan",
        origin=DisciplineCase.Origin.MANUAL,
        pact_clause=2 if has_pact else None,
    )
    services.summons_issue(
        case=case,
        acting_user=cast.inspektorat,
        letter_date=cast.today - dt.timedelta(days=1),
        hearing_date=cast.today + dt.timedelta(days=3),
        reference=f"800/{case.pk:03d}/INSP/{cast.year}",
    )
    log(f"Discipline: case {case.number} opened and summoned ({official.full_name}).")
    return case
