"""Reads of the procurement app, scoped by Pemda; and the hook the conflicts app (issue 17) calls
to screen a package's people against declarations."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from pakta.org.models import Official, Pemda
from pakta.procurement.models import (
    Award,
    Bid,
    Case,
    CommitteeMember,
    Flag,
    OcdsImport,
    Package,
    Party,
    PartyPerson,
)


def package_list_for(
    *, pemda: Pemda, flagged: bool = False, code: str = "", unit: int | None = None
) -> QuerySet[Package]:
    packages = Package.objects.filter(pemda=pemda).select_related("buyer", "winner")
    if flagged:
        packages = packages.filter(risk_score__gt=0)
    if code:
        packages = packages.filter(flags__code=code).distinct()
    if unit:
        packages = packages.filter(buyer_id=unit)
    return packages.annotate(flag_count=Count("flags", distinct=True)).order_by("-risk_score", "pk")


def package_get_for(*, pemda: Pemda, pk: int) -> Package:
    package = (
        Package.objects.filter(pemda=pemda, pk=pk)
        .select_related("buyer", "procuring_unit", "winner", "buyer_party", "procuring_party")
        .prefetch_related(
            Prefetch("flags", queryset=Flag.objects.select_related("party").order_by("code")),
            "bids__tenderer",
            "awards__suppliers",
            "committee__official",
        )
        .first()
    )
    if package is None:
        raise Http404
    return package


def queue_for(*, pemda: Pemda, limit: int = 50) -> list[Package]:
    """The riskiest packages without a closed case: what the Inspektorat looks at first."""
    return list(
        package_list_for(pemda=pemda, flagged=True)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case")[:limit]
    )


def flag_counts(*, pemda: Pemda) -> list[dict[str, Any]]:
    """Flagged packages per indicator (public: counts only)."""
    return [
        dict(row)
        for row in (
            Flag.objects.filter(pemda=pemda)
            .values("code")
            .annotate(packages=Count("package", distinct=True))
            .order_by("code")
        )
    ]


def flags_by_unit(*, pemda: Pemda) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in (
            Flag.objects.filter(pemda=pemda)
            .values("package__buyer__name", "code")
            .annotate(packages=Count("package", distinct=True))
            .order_by("package__buyer__name", "code")
        )
    ]


def flags_by_year(*, pemda: Pemda) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in (
            Flag.objects.filter(pemda=pemda)
            .values("package__year", "code")
            .annotate(packages=Count("package", distinct=True))
            .order_by("package__year", "code")
        )
    ]


def top_tenderers(*, pemda: Pemda, limit: int = 10) -> list[tuple[Party, int]]:
    counts: Counter[int] = Counter()
    for party_ids in _tenderers_of_flagged(pemda).values():
        for party_id in party_ids:
            counts[party_id] += 1
    parties = Party.objects.in_bulk([pk for pk, _n in counts.most_common(limit)])
    return [(parties[pk], n) for pk, n in counts.most_common(limit) if pk in parties]


def _tenderers_of_flagged(pemda: Pemda) -> dict[int, set[int]]:
    result: dict[int, set[int]] = {}
    flagged = Package.objects.filter(pemda=pemda, risk_score__gt=0).values_list("pk", flat=True)
    pairs = Bid.objects.filter(package_id__in=flagged).values_list("package_id", "tenderer_id")
    for package_id, tenderer_id in pairs:
        result.setdefault(package_id, set()).add(tenderer_id)
    return result


def case_of_package(*, package: Package) -> Case | None:
    return Case.objects.filter(package=package).first()


def package_totals(*, pemda: Pemda) -> tuple[int, int]:
    """The Pemda's packages, and those with any red flag."""
    packages = Package.objects.filter(pemda=pemda)
    return packages.count(), packages.filter(risk_score__gt=0).count()


def flag_list_for(*, pemda: Pemda) -> QuerySet[Flag]:
    return Flag.objects.filter(pemda=pemda).order_by("package_id", "code", "pk")


def case_list_for(*, pemda: Pemda) -> QuerySet[Case]:
    return Case.objects.filter(pemda=pemda).order_by("-created_at", "pk")


def import_list_for(*, pemda: Pemda) -> QuerySet[OcdsImport]:
    return OcdsImport.objects.filter(pemda=pemda).select_related("created_by")


def import_get_for(*, pemda: Pemda, pk: int) -> OcdsImport:
    job = OcdsImport.objects.filter(pemda=pemda, pk=pk).first()
    if job is None:
        raise Http404
    return job


def case_get_for(*, pemda: Pemda, pk: int) -> Case:
    case = (
        Case.objects.filter(pemda=pemda, pk=pk)
        .select_related("package", "opened_by")
        .prefetch_related("entries__author", "entries__document")
        .first()
    )
    if case is None:
        raise Http404
    return case


def party_get_for(*, pemda: Pemda, pk: int) -> Party:
    party = Party.objects.filter(pemda=pemda, pk=pk).select_related("unit").first()
    if party is None:
        raise Http404
    return party


# --- The hook for the conflicts app (issue 17) -------------------------------------------------


@dataclass(frozen=True)
class PackagePeople:
    """Who is on each side of a package: the Pemda's officials in its committee and in the
    buying unit, and the tenderers / suppliers with the people behind them."""

    package: Package
    officials: list[tuple[Official, str]]  # (official, role: pokja/ppk/…/"buyer_unit")
    companies: list[Party]
    people: list[PartyPerson]


def package_people(*, package: Package) -> PackagePeople:
    """The two sides of a package that the conflict-of-interest matching compares (issue 17
    calls this, then ``raise_priority_for_undeclared`` when it finds an undeclared relationship)."""
    return packages_people(packages=[package])[package.pk]


def packages_people(*, packages: Sequence[Package]) -> dict[int, PackagePeople]:
    """``package_people`` for many packages at once (five queries, and one per buying unit),
    keyed by package id; each list in the order the single-package reads give."""
    from pakta.org.selectors import official_list_for

    ids = [package.pk for package in packages]
    committees: dict[int, list[tuple[Official, str]]] = defaultdict(list)
    for member in CommitteeMember.objects.filter(package_id__in=ids).select_related("official"):
        committees[member.package_id].append((member.official, member.role))
    party_ids: dict[int, set[int]] = defaultdict(set)
    for package_id, party_id in Bid.objects.filter(package_id__in=ids).values_list(
        "package_id", "tenderer_id"
    ):
        party_ids[package_id].add(party_id)
    for package_id, party_id in Award.objects.filter(package_id__in=ids).values_list(
        "package_id", "suppliers"
    ):
        if party_id is not None:
            party_ids[package_id].add(party_id)
    every = set().union(*party_ids.values()) if party_ids else set()
    # One ordered read of the companies and of their people; each package keeps its share.
    companies = {c.pk: (i, c) for i, c in enumerate(Party.objects.filter(pk__in=every))}
    people_of: dict[int, list[tuple[int, PartyPerson]]] = defaultdict(list)
    for i, person in enumerate(PartyPerson.objects.filter(party__in=every).select_related("party")):
        people_of[person.party_id].append((i, person))
    unit_officials: dict[int, list[Official]] = {}
    result: dict[int, PackagePeople] = {}
    for package in packages:
        officials = list(committees.get(package.pk, []))
        if package.buyer_id:
            if package.buyer_id not in unit_officials:
                unit_officials[package.buyer_id] = list(
                    official_list_for(pemda=package.pemda, unit=package.buyer)
                )
            known = {o.pk for o, _r in officials}
            for official in unit_officials[package.buyer_id]:
                if official.pk not in known:
                    officials.append((official, "buyer_unit"))
        mine = [companies[pk] for pk in party_ids.get(package.pk, ()) if pk in companies]
        result[package.pk] = PackagePeople(
            package=package,
            officials=officials,
            companies=[c for _i, c in sorted(mine, key=lambda pair: pair[0])],
            people=[
                p
                for _i, p in sorted(
                    (row for _j, c in mine for row in people_of.get(c.pk, ())),
                    key=lambda pair: pair[0],
                )
            ],
        )
    return result


def packages_to_screen(*, pemda: Pemda) -> QuerySet[Package]:
    """Packages with at least one bid or award, riskiest first (what issue 17 screens)."""
    return (
        Package.objects.filter(pemda=pemda)
        .filter(bids__isnull=False)
        .distinct()
        .order_by("-risk_score", "pk")
    )
