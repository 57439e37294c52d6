"""Demo of conflicts of interest (see ``pakta.ops.demo_content``): the Kepala Dinas Kesehatan's
signed declaration names his wife, who directs a tenderer of a health-equipment package on which
he is the PPK; he declared "no relationship" for that tenderer, so the Inspektorat's queue holds
an "undeclared" finding to review."""

from __future__ import annotations

import datetime as dt

from pakta.accounts.demo import DEMO_PASSWORD
from pakta.accounts.models import User
from pakta.conflicts import services
from pakta.conflicts.models import Decision
from pakta.ops.demo_content import DemoCast, Log


def demo_conflicts(cast: DemoCast, log: Log) -> Decision:
    kadis_user = cast.kadis_user
    spouse_born = dt.date(1978, 3, 14)
    declaration = services.declaration_start(
        official=cast.kadis, year=cast.year, acting_user=kadis_user
    )
    spouse = services.declaration_relative_add(
        declaration=declaration,
        acting_user=kadis_user,
        relation="spouse",
        name="Ratna Dewi Lestari",
        nik="1871015403780002",
        birth_date=spouse_born,
        birth_place="Bandar Lampung",
        employer="Wiraswasta",
    )
    services.declaration_business_add(
        declaration=declaration,
        acting_user=kadis_user,
        company_name="CV Sehat Sentosa",
        role="owner",
        nib="9120301456789",
        share_percent="40",
        relative=spouse,
    )
    for section in ("positions", "debts_gifts"):
        services.declaration_section_none(
            declaration=declaration, acting_user=kadis_user, section=section
        )
    services.declaration_submit(
        declaration=declaration, acting_user=kadis_user, credential=DEMO_PASSWORD
    )
    decision = services.decision_create(
        pemda=cast.pemda,
        acting_user=cast.admin,
        kind="procurement",
        code=f"DINKES-{cast.year}-014",
        title="Pengadaan alat kesehatan Puskesmas (USG dan EKG)",
        unit=cast.opd("Dinas Kesehatan"),
        year=cast.year,
    )
    services.decision_member_add(
        decision=decision, acting_user=cast.admin, official=cast.kadis, role="ppk"
    )
    pokja_user = User.objects.filter(username=f"kadispupr.{cast.pemda.slug}").first()
    if pokja_user is not None and pokja_user.official is not None:
        services.decision_member_add(
            decision=decision, acting_user=cast.admin, official=pokja_user.official, role="pokja"
        )
    tenderer = services.decision_subject_add(
        decision=decision,
        acting_user=cast.admin,
        kind="tenderer",
        name="PT Medika Nusantara Sejahtera",
        is_company=True,
        nib="8120001234567",
    )
    services.decision_subject_add(
        decision=decision,
        acting_user=cast.admin,
        kind="director",
        parent=tenderer,
        name="Hj. Ratna Dewi Lestari, S.E.",
        birth_date=spouse_born,
    )
    other = services.decision_subject_add(
        decision=decision,
        acting_user=cast.admin,
        kind="tenderer",
        name="CV Alkes Mandiri",
        is_company=True,
    )
    services.decision_declare(
        decision=decision,
        acting_user=kadis_user,
        answers=[(tenderer, "none", ""), (other, "none", "")],
    )
    log(
        f"  conflicts: declaration of {cast.kadis.full_name} signed; package {decision.code} "
        "with an undeclared relationship for the Inspektorat's queue"
    )
    return decision
