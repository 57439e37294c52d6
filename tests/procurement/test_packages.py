from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.procurement import services
from pakta.procurement.models import CommitteeMember, Package, PartyPerson


def test_package_by_hand_with_committee_bids_and_winner(
    pemda_a: Any, unit_a: Any, superadmin: Any, official_a: Any
) -> None:
    maju = services.party_get_or_create(
        pemda=pemda_a, name="CV Maju Jaya", identifier_scheme="ID-NPWP", identifier="0123"
    )
    same = services.party_get_or_create(
        pemda=pemda_a,
        name="CV MAJU JAYA",
        identifier_scheme="ID-NPWP",
        identifier="0123",
        roles=["supplier"],
    )
    assert same.pk == maju.pk and same.roles == ["supplier"]
    assert maju.normalized_name == "MAJU JAYA"
    person = services.party_person_add(
        party=maju,
        acting_user=superadmin,
        name="Budi Santoso",
        role="director",
        nik="6201010101010001",
    )
    assert person.normalized_name == "BUDI SANTOSO"
    package = services.package_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="Rehabilitasi puskesmas",
        buyer=unit_a,
        method="direct",
        hps_value=Decimal("150000000"),
        tender_start=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
        committee=[(official_a, "ppk")],
        bids=[services.BidInput(tenderer=maju, amount=Decimal("149000000"))],
        winner=maju,
    )
    assert package.year == 2024
    assert package.procuring_unit == unit_a
    assert CommitteeMember.objects.get(package=package).official == official_a
    assert package.awards.get().suppliers.get() == maju
    assert AuditEvent.objects.filter(action="procurement.package_create").count() == 2


def test_refusals_leave_nothing(pemda_a: Any, pemda_b: Any, superadmin: Any) -> None:
    other = services.party_get_or_create(pemda=pemda_b, name="PT Lain")
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="another Pemda"):
        services.package_create(
            pemda=pemda_a,
            acting_user=superadmin,
            title="X",
            bids=[services.BidInput(tenderer=other, amount=Decimal(1))],
        )
    with pytest.raises(DomainError, match="16 digits"):
        services.party_person_add(
            party=other, acting_user=superadmin, name="A", role="owner", nik="12"
        )
    assert not Package.objects.exists() and not PartyPerson.objects.exists()
    assert AuditEvent.objects.count() == before
