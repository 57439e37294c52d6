"""Indonesian indicators on top of Cardinal's (codes ID01-ID07), each with its source in
docs/procurement.md:

- ID01-ID04: opentender.net's PFA (Potential Fraud Analysis, Indonesia Corruption Watch), each
  scored 1-5; a package is flagged when a score is 4 or 5 (ID04: a title under 20 characters).
- ID05: splitting a purchase into packages just under the direct-procurement ceiling
  (Perpres 16/2018 as amended by Perpres 12/2021: Pasal 20(2)(d) forbids splitting to avoid a
  tender; Pasal 38(3)-(4): pengadaan langsung up to Rp200 juta, Rp100 juta for consultancy).
- ID06: the same supplier winning most of one buyer's packages in a year.
- ID07: a contract amended soon after signature.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from pakta.org.models import Pemda
from pakta.procurement.models import Flag, Package

JUTA = Decimal(1_000_000)
DIRECT_CEILING = 200 * JUTA
CONSULTANCY_CEILING = 100 * JUTA
SPLIT_NEAR = Decimal("0.8")  # within 80-100% of the ceiling
SPLIT_WINDOW_DAYS = 90
REPEAT_MIN_WINS = 3
REPEAT_SHARE = 0.5
AMENDMENT_DAYS = 30


def pfa_days_to_winner(days: int) -> int:
    """opentender.net PFA: days from announcement to winner. 0-25: 1, 26-35: 2, 36-45: 3,
    46-70: 4, over 70: 5."""
    if days <= 25:
        return 1
    if days <= 35:
        return 2
    if days <= 45:
        return 3
    if days <= 70:
        return 4
    return 5


def pfa_value_against_hps(contract: Decimal, hps: Decimal) -> int:
    """opentender.net PFA: contract value against HPS, U-shaped. Above HPS: 5; below it by
    0-0.99%: 5, 1-1.99: 4, 2-2.99: 3, 3-3.99: 2, 4-7.99: 1, 8-11.99: 2, 12-15.99: 3,
    16-19.99: 4, 20% or more: 5."""
    if contract > hps:
        return 5
    below = (hps - contract) / hps * 100
    for limit, score in ((1, 5), (2, 4), (3, 3), (4, 2), (8, 1), (12, 2), (16, 3), (20, 4)):
        if below < limit:
            return score
    return 5


def pfa_contract_value(value: Decimal) -> int:
    """opentender.net PFA: contract value. Up to Rp500 juta: 1, Rp1 M: 2, Rp5 M: 3, Rp10 M: 4,
    above: 5."""
    for limit, score in ((500, 1), (1000, 2), (5000, 3), (10000, 4)):
        if value <= limit * JUTA:
            return score
    return 5


def _contract_value(package: Package) -> Decimal | None:
    if package.contract_value is not None:
        return package.contract_value
    active = [a for a in package.awards.all() if a.status == "active" and a.value is not None]
    return active[0].value if len(active) == 1 else None


def _ceiling(package: Package) -> Decimal:
    return CONSULTANCY_CEILING if "konsultan" in package.method_details.lower() else DIRECT_CEILING


def indonesian_flags(*, pemda: Pemda, packages: list[Package]) -> list[Flag]:
    flags: list[Flag] = []

    def flag(package: Package, code: str, value: float, **detail: object) -> None:
        flags.append(Flag(pemda=pemda, package=package, code=code, value=value, detail=detail))

    live = [p for p in packages if p.status != "cancelled"]
    for package in live:
        if package.tender_start and package.award_date:
            days = (package.award_date - package.tender_start).days
            score = pfa_days_to_winner(max(days, 0))
            if score >= 4:
                flag(package, "ID01", score, days=days)
        value = _contract_value(package)
        if value is not None and package.hps_value:
            score = pfa_value_against_hps(value, package.hps_value)
            if score >= 4:
                flag(
                    package,
                    "ID02",
                    score,
                    percent=float((package.hps_value - value) / package.hps_value * 100),
                )
        if value is not None:
            score = pfa_contract_value(value)
            if score >= 4:
                flag(package, "ID03", score)
        if len(package.title.strip()) < 20:
            flag(package, "ID04", 1.0, length=len(package.title.strip()))
        if package.contract_signed and package.first_amendment:
            days = (package.first_amendment - package.contract_signed).days
            if 0 <= days < AMENDMENT_DAYS:
                flag(package, "ID07", float(days), days=days)
    # ID05: packages of one buyer and category, by direct procurement, each 80-100% of the
    # ceiling, started within 90 days of each other, together above the ceiling.
    groups: dict[tuple[object, str], list[Package]] = defaultdict(list)
    for package in live:
        value = _contract_value(package) or package.hps_value
        if package.method not in {"direct", "limited"} or value is None or not package.tender_start:
            continue
        ceiling = _ceiling(package)
        if SPLIT_NEAR * ceiling <= value <= ceiling:
            buyer = package.buyer_id or package.buyer_party_id
            groups[(buyer, package.main_category)].append(package)
    for members in groups.values():
        members.sort(key=lambda p: p.tender_start or dt.datetime.min.replace(tzinfo=dt.UTC))
        for package in members:
            assert package.tender_start is not None
            near = [
                other
                for other in members
                if other.tender_start
                and abs((other.tender_start - package.tender_start).days) <= SPLIT_WINDOW_DAYS
            ]
            total = sum((_contract_value(p) or p.hps_value or Decimal(0)) for p in near)
            if len(near) >= 2 and total > _ceiling(package):
                flag(
                    package,
                    "ID05",
                    float(len(near)),
                    packages=[p.pk for p in near],
                    total=float(total),
                )
    # ID06: a supplier winning at least 3 packages of a buyer in a year, and at least half of them.
    wins: dict[tuple[object, int | None], dict[int, list[Package]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for package in live:
        if package.winner_id is None:
            continue
        buyer = package.buyer_id or package.buyer_party_id
        wins[(buyer, package.year)][package.winner_id].append(package)
    for by_supplier in wins.values():
        total_won = sum(len(v) for v in by_supplier.values())
        for won in by_supplier.values():
            if len(won) >= REPEAT_MIN_WINS and len(won) / total_won >= REPEAT_SHARE:
                for package in won:
                    flag(package, "ID06", float(len(won)), of=total_won)
    return flags
