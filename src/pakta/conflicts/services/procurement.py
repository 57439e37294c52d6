"""Procurement packages screened against the declarations of interests (issue 18 item 4, issue 17
item 3(a)).

For every package with bids (``procurement.selectors.packages_to_screen``), the people on the
Pemda's side (its committee and the officials of the buying unit) are compared with the people on
the vendors' side (tenderers, suppliers, their owners and directors) using ``matching``:

* a relative declared by an official is an owner or director of a tenderer or supplier;
* a company declared by an official (or held by a relative) is a tenderer or supplier;
* an owner or director of a tenderer or supplier is one of those officials themselves.

Each match raises the package's ``COI`` red flag (``procurement.services.flags.conflict_raise``)
with its explanation and evidence in Indonesian. It is **high priority** when the official sits on
the package's committee and did not declare a relationship with that tenderer in the package's
own declaration (conflicts ``Decision`` of the package); otherwise normal (the relationship is in
the open). Running again raises nothing new: a flag is keyed by official, person and tenderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import translation

from pakta.audit.services import audit_record
from pakta.conflicts import matching
from pakta.conflicts.models import (
    DecisionAnswer,
    DecisionSubject,
    StandingDeclaration,
)
from pakta.org.models import Assignment, Official, Pemda
from pakta.procurement.models import CommitteeMember, Flag, Package, Party, PartyPerson

if TYPE_CHECKING:
    from pakta.procurement.selectors import PackagePeople

ROLE_LABELS = {
    "pokja": "anggota Pokja Pemilihan",
    "ppk": "PPK",
    "pejabat_pengadaan": "Pejabat Pengadaan",
    "pphp": "PPHP",
    "buyer_unit": "pegawai unit pembeli",
}


def company_party(party: Party) -> matching.Party:
    """A procurement organisation as ``matching`` sees it (its NPWP / NIB decide)."""
    ids: dict[str, str] = {}
    schemes = {"ID-NPWP": "npwp", "ID-NIB": "nib"}
    if party.identifier and party.identifier_scheme in schemes:
        ids[schemes[party.identifier_scheme]] = party.identifier
    for extra in party.additional_identifiers or []:
        if isinstance(extra, dict) and extra.get("scheme") in schemes and extra.get("id"):
            ids.setdefault(schemes[extra["scheme"]], str(extra["id"]))
    return matching.Party(party.name, "company", ids)


def _person_party(person: PartyPerson) -> matching.Party:
    ids = {"nik": person.nik} if person.nik else {}
    return matching.Party(person.name, "person", ids, birth_date=person.birth_date)


def _official_party(official: Official) -> matching.Party:
    return matching.Party(
        official.name, identifiers={"nip": official.nip}, birth_date=official.birth_date
    )


@dataclass
class _Hit:
    official: Official
    role: str
    company: Party
    key: str
    explanation: str
    evidence: list[str]
    score: float


def _latest_declarations(official_ids: set[int]) -> dict[int, StandingDeclaration]:
    latest: dict[int, StandingDeclaration] = {}
    rows = (
        StandingDeclaration.objects.filter(
            official_id__in=official_ids,
            status__in=[
                StandingDeclaration.Status.SUBMITTED,
                StandingDeclaration.Status.CORRECTION,
            ],
        )
        .order_by("official_id", "-year", "-submitted_at")
        .prefetch_related("relatives", "businesses__relative")
    )
    for row in rows:
        latest.setdefault(row.official_id, row)
    return latest


def _declared_for_package(package: Package, official: Official, company: Party) -> bool:
    """Did the official name a relationship with this tenderer in the package's declaration?"""
    answers = DecisionAnswer.objects.filter(
        declaration__member__decision__package=package,
        declaration__member__official=official,
        declaration__is_current=True,
        subject__is_company=True,
        subject__kind__in=[DecisionSubject.Kind.TENDERER, DecisionSubject.Kind.WINNER],
    ).select_related("subject")
    target = company_party(company)
    for answer in answers:
        if answer.relationship == DecisionAnswer.Relationship.NONE:
            continue
        subject = answer.subject
        ids = {k: v for k, v in (("nib", subject.nib), ("npwp", subject.npwp)) if v}
        if matching.match(matching.Party(subject.name, "company", ids), target).is_match:
            return True
    return False


def _hits(
    package: Package, declarations: dict[int, StandingDeclaration], people: PackagePeople
) -> list[_Hit]:
    label = package.code or package.title
    hits: list[_Hit] = []
    vendor_people = [(p, _person_party(p)) for p in people.people]
    companies = [(c, company_party(c)) for c in people.companies]
    for official, role in people.officials:
        who = f"{official.full_name} ({ROLE_LABELS.get(role, role)})"
        declaration = declarations.get(official.pk)
        if declaration is not None:
            for relative in declaration.relatives.all():
                left = matching.Party(
                    relative.name,
                    "person",
                    {"nik": relative.nik} if relative.nik else {},
                    birth_date=relative.birth_date,
                    birth_place=relative.birth_place,
                )
                for person, right in vendor_people:
                    result = matching.match(left, right)
                    if result.is_match:
                        hits.append(
                            _Hit(
                                official,
                                role,
                                person.party,
                                f"rel:o{official.pk}:{matching.exact_key(left)}:p{person.party_id}",
                                f"{relative.get_relation_display()} yang dideklarasikan oleh "
                                f"{who}, {relative.name}, adalah "
                                f"{person.get_role_display().lower()} "
                                f"{person.party.name}, peserta/penyedia paket {label}.",
                                result.evidence,
                                result.score,
                            )
                        )
            for business in declaration.businesses.all():
                ids = {k: v for k, v in (("nib", business.nib), ("npwp", business.npwp)) if v}
                left = matching.Party(business.company_name, "company", ids)
                holder = business.relative.name if business.relative else official.full_name
                for company, right in companies:
                    result = matching.match(left, right)
                    if result.is_match:
                        hits.append(
                            _Hit(
                                official,
                                role,
                                company,
                                f"biz:o{official.pk}:{matching.exact_key(left)}:p{company.pk}",
                                f"Badan usaha yang dideklarasikan oleh {who} "
                                f"({business.company_name}, milik/dikelola {holder}) adalah "
                                f"peserta/penyedia paket {label}.",
                                result.evidence,
                                result.score,
                            )
                        )
        me = _official_party(official)
        for person, right in vendor_people:
            result = matching.match(right, me)
            if result.is_match:
                hits.append(
                    _Hit(
                        official,
                        role,
                        person.party,
                        f"self:o{official.pk}:pp{person.pk}",
                        f"{person.get_role_display()} {person.party.name} ({person.name}) "
                        f"cocok dengan {who}, NIP {official.nip}.",
                        result.evidence,
                        result.score,
                    )
                )
    return hits


@transaction.atomic
def procurement_screen_against_declarations(
    *, pemda: Pemda, acting_user: Any, official: Official | None = None
) -> int:
    """Screen the Pemda's packages (only those the official is on, or bought by their unit, when
    ``official`` is given) and raise the COI flag on each new match. Returns the flags raised."""
    from pakta.procurement.selectors import packages_people, packages_to_screen
    from pakta.procurement.services.flags import conflict_raise

    packages = packages_to_screen(pemda=pemda)
    if official is not None:
        from pakta.org.selectors import current_position

        position = current_position(official)
        q = Q(committee__official=official)
        if position is not None:
            path = position.unit.path
            ancestors = [
                u.pk
                for u in type(position.unit).objects.filter(pemda=pemda)
                if path.startswith(u.path)
            ]
            q |= Q(buyer_id__in=ancestors)
        packages = packages.filter(pk__in=Package.objects.filter(q).values("pk"))
    packages_list = list(packages.select_related("pemda", "buyer"))
    official_ids: set[int] = set(
        CommitteeMember.objects.filter(package__in=packages_list).values_list(
            "official_id", flat=True
        )
    )
    buyer_paths = {p.buyer.path for p in packages_list if p.buyer is not None}
    if buyer_paths:
        path_q = Q(pk__in=[])
        for path in buyer_paths:
            path_q |= Q(position__unit__path__startswith=path)
        official_ids |= set(
            Assignment.objects.filter(pemda=pemda, end_date__isnull=True)
            .filter(path_q)
            .values_list("official_id", flat=True)
        )
    declarations = _latest_declarations(official_ids)
    raised = 0
    people_of: dict[int, PackagePeople] = {}
    coi_flags: dict[int, dict[Any, Flag]] = {}
    for at, package in enumerate(packages_list):
        if at % 500 == 0:  # the people and COI flags of the next 500 packages, in a few reads
            chunk = packages_list[at : at + 500]
            people_of = packages_people(packages=chunk)
            coi_flags = {p.pk: {} for p in chunk}
            for coi in Flag.objects.filter(package__in=chunk, code="COI"):
                coi_flags[coi.package_id][coi.detail.get("key")] = coi
        existing = coi_flags[package.pk]
        with translation.override("id"):  # the evidence is written in Indonesian
            hits = _hits(package, declarations, people_of[package.pk])
        for hit in hits:
            committee = hit.role != "buyer_unit"
            undeclared = committee and not _declared_for_package(package, hit.official, hit.company)
            detail = {
                "key": hit.key,
                "priority": "high" if undeclared else "normal",
                "undeclared": undeclared,
                "official_id": hit.official.pk,
                "party_id": hit.company.pk,
                "explanation": hit.explanation
                + (
                    " Hubungan ini tidak dinyatakan dalam pernyataan paket: prioritas tinggi."
                    if undeclared
                    else ""
                ),
                "evidence": hit.evidence,
                "score": hit.score,
            }
            flag = existing.get(hit.key)
            if flag is not None:
                if flag.detail.get("undeclared") != undeclared:
                    from pakta.procurement.services.flags import package_rescore

                    flag.detail = detail
                    flag.save(update_fields=["detail"])
                    package_rescore(package=package)
                continue
            existing[hit.key] = conflict_raise(
                package=package, acting_user=acting_user, detail=detail
            )
            raised += 1
    audit_record(
        actor=acting_user,
        action="conflicts.screening.procurement",
        obj=official,
        pemda_id=pemda.pk,
        summary={"packages": len(packages_list), "flags_raised": raised},
    )
    return raised
