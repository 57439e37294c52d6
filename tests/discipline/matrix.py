"""Objects the permission matrix needs for the discipline pages and API (see
tests/core/test_permission_matrix.py): a case of Pemda ``side`` against an official of the
Kepala OPD's unit, with one step and (for sanctions) a decision recorded without signature."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pakta.discipline import services
from pakta.discipline.models import CaseStep, DisciplineCase, Provision, Sanction


def make_case(world: Any, side: str) -> DisciplineCase:
    serial = next(world.serial)
    official = world.official["a"] if side == "a" else world.new_official(side)
    case = services.case_open(
        pemda=world.pemda[side],
        acting_user=world.superadmin,
        official=official,
        # A case by hand: one per official + date of the facts + provisions.
        incident_date=dt.date(2024, 5, 2) - dt.timedelta(days=serial % 300),
        opened_on=dt.date(2024, 5, 6),
        summary="Pungutan di luar ketentuan.",
        provisions=list(Provision.objects.filter(code="5g")),
        level="ringan",
        origin=DisciplineCase.Origin.MANUAL,
    )
    # Summoned and examined: the BAP (unsigned) exists, so its PDF page answers.
    services.summons_issue(
        case=case,
        acting_user=world.superadmin,
        letter_date=dt.date(2024, 5, 7),
        hearing_date=dt.date(2024, 5, 10),
    )
    services.examination_record(
        case=case,
        acting_user=world.superadmin,
        examiner=world.new_official(side),
        held_on=dt.date(2024, 5, 10),
        findings="Terbukti.",
        level="ringan",
    )
    case.refresh_from_db()
    return case


def make_step(world: Any, side: str) -> CaseStep:
    return make_case(world, side).steps.first()  # type: ignore[return-value]


def make_sanction(world: Any, side: str) -> Sanction:
    """A decided sanction with its decision document (unsigned: the signed decision is covered
    in tests/discipline; the matrix needs the row and a PDF)."""
    from pakta.signing import services as signing
    from tests.signing.conftest import simple_pdf

    case = make_case(world, side)
    document = signing.signed_document_create(
        pemda=case.pemda,
        kind="letter",
        title="Keputusan Hukuman Disiplin",
        render=lambda doc: simple_pdf("KEPUTUSAN"),
        acting_user=world.superadmin,
    )
    return Sanction.objects.create(
        document=document,
        pemda=case.pemda,
        case=case,
        type="teguran_lisan",
        level="ringan",
        authority="direct_superior",
        decided_by=case.official,
        reason="Pungutan di luar ketentuan",
        decision_number=f"800/{case.pk}/2024",
        decision_date=dt.date(2024, 6, 3),
        start_date=dt.date(2024, 6, 3),
    )


def a_provision(world: Any, side: str) -> Provision:
    """The provisions are national (seeded, no Pemda): the API takes them by code."""
    return Provision.objects.order_by("pk").first()  # type: ignore[return-value]


FACTORIES = {
    DisciplineCase: make_case,
    CaseStep: make_step,
    Sanction: make_sanction,
    Provision: a_provision,
}
