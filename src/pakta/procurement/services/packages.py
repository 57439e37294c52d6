"""Hand entry of procurement packages: the organisations, the people behind them, the package
with its committee (Pokja, PPK, pejabat pengadaan, PPHP), its bids and its winner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.org.models import Official, Pemda, Unit
from pakta.procurement.models import (
    Award,
    Bid,
    CommitteeMember,
    Method,
    Package,
    Party,
    PartyPerson,
)


@dataclass(frozen=True)
class BidInput:
    tenderer: Party
    amount: Decimal | None
    status: str = Bid.Status.VALID
    date: dt.datetime | None = None


def party_get_or_create(
    *,
    pemda: Pemda,
    name: str,
    identifier_scheme: str = "",
    identifier: str = "",
    roles: Sequence[str] = (),
    unit: Unit | None = None,
) -> Party:
    """The organisation with this identifier (or, without one, this exact name), created if new.
    Its roles grow with each use. Runs inside the caller's transaction."""
    name = name.strip()
    if not name:
        raise DomainError(_("An organisation needs a name."))
    identifier = identifier.strip()
    if identifier:
        party = Party.objects.filter(
            pemda=pemda, identifier_scheme=identifier_scheme, identifier=identifier
        ).first()
    else:
        party = Party.objects.filter(pemda=pemda, identifier="", name=name).first()
    if party is None:
        party = Party(
            pemda=pemda,
            name=name,
            identifier_scheme=identifier_scheme if identifier else "",
            identifier=identifier,
            roles=sorted(set(roles)),
            unit=unit,
        )
        party.save()
        return party
    changed = False
    if not set(roles) <= set(party.roles):
        party.roles = sorted(set(party.roles) | set(roles))
        changed = True
    if unit is not None and party.unit_id != unit.pk:
        party.unit = unit
        changed = True
    if changed:
        party.save()
    return party


@transaction.atomic
def party_person_add(
    *,
    party: Party,
    acting_user: Any,
    name: str,
    role: str,
    nik: str = "",
    share_percent: Decimal | None = None,
    birth_date: dt.date | None = None,
) -> PartyPerson:
    """An owner, director, commissioner or beneficial owner of an organisation."""
    if not name.strip():
        raise DomainError(_("A person needs a name."))
    if role not in PartyPerson.Role.values:
        raise DomainError(_("Choose the person's role in the organisation."))
    if nik and (len(nik) != 16 or not nik.isdigit()):
        raise DomainError(_("A NIK has 16 digits."))
    if share_percent is not None and not (0 <= share_percent <= 100):
        raise DomainError(_("A share is between 0 and 100 percent."))
    person = PartyPerson.objects.create(
        pemda=party.pemda,
        party=party,
        name=name.strip(),
        role=role,
        nik=nik,
        share_percent=share_percent,
        birth_date=birth_date,
    )
    audit_record(
        actor=acting_user,
        action="procurement.package_create",
        obj=person,
        summary={"party": party.pk, "role": role},
    )
    return person


@transaction.atomic
def package_create(
    *,
    pemda: Pemda,
    acting_user: Any,
    title: str,
    code: str = "",
    buyer: Unit | None = None,
    procuring_unit: Unit | None = None,
    method: str = "",
    main_category: str = "",
    hps_value: Decimal | None = None,
    pagu: Decimal | None = None,
    year: int | None = None,
    tender_start: dt.datetime | None = None,
    tender_end: dt.datetime | None = None,
    award_date: dt.datetime | None = None,
    contract_value: Decimal | None = None,
    committee: Sequence[tuple[Official, str]] = (),
    bids: Sequence[BidInput] = (),
    winner: Party | None = None,
    source: str = Package.Source.MANUAL,
) -> Package:
    """A package entered by hand (or from a spreadsheet): its committee, bids and winner."""
    if not title.strip():
        raise DomainError(_("A package needs a title."))
    if method and method not in Method.values:
        raise DomainError(_("Choose a procurement method: open, selective, limited or direct."))
    for unit in (buyer, procuring_unit):
        if unit is not None and unit.pemda_id != pemda.pk:
            raise DomainError(_("The unit belongs to another Pemda."))
    for official, role in committee:
        if official.pemda_id != pemda.pk:
            raise DomainError(_("The official belongs to another Pemda."))
        if role not in CommitteeMember.Role.values:
            raise DomainError(_("Choose the official's role on the package."))
    for bid in bids:
        if bid.tenderer.pemda_id != pemda.pk:
            raise DomainError(_("The tenderer belongs to another Pemda."))
        if bid.amount is not None and bid.amount < 0:
            raise DomainError(_("A bid amount cannot be negative."))
    if tender_start and tender_end and tender_end < tender_start:
        raise DomainError(_("The tender period ends before it starts."))
    package = Package.objects.create(
        pemda=pemda,
        source=source,
        title=title.strip(),
        code=code.strip(),
        buyer=buyer,
        procuring_unit=procuring_unit or buyer,
        method=method,
        main_category=main_category,
        hps_value=hps_value,
        pagu=pagu,
        year=year or (tender_start.year if tender_start else None),
        tender_start=tender_start,
        tender_end=tender_end,
        award_date=award_date,
        contract_value=contract_value,
        winner=winner,
    )
    CommitteeMember.objects.bulk_create(
        CommitteeMember(pemda=pemda, package=package, official=official, role=role)
        for official, role in dict.fromkeys(committee)
    )
    Bid.objects.bulk_create(
        Bid(
            pemda=pemda,
            package=package,
            tenderer=bid.tenderer,
            amount=bid.amount,
            status=bid.status,
            date=bid.date,
        )
        for bid in bids
    )
    if winner is not None:
        award = Award.objects.create(
            pemda=pemda,
            package=package,
            status=Award.Status.ACTIVE,
            value=contract_value,
            date=award_date,
        )
        award.suppliers.add(winner)
    audit_record(
        actor=acting_user,
        action="procurement.package_create",
        obj=package,
        summary={"committee": len(committee), "bids": len(bids), "source": source},
    )
    return package
