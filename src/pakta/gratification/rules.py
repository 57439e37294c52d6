"""The dated rules: is a gift exempt from reporting, must it be reported, or refused?

The rules are rows of ``GratificationRule`` (seeded by migration 0002 with Perkom KPK 2/2019
Pasal 2(3) and the changes of Perkom KPK 1/2026, in force from 20 January 2026); the row of a
category with the latest ``effective_from`` on or before the day of receipt applies.

There is no minimum value for the duty to report (UU 31/1999 jo. UU 20/2001 Pasal 12C): a gift
outside every exempt category must be reported. An exempt category never helps a vendor or
provider with an active contract, nor a party the UPG's giver register names: such a gift must
be refused (and reported if it was received anyway).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from pakta.core.templatetags.pakta import format_rupiah
from pakta.gratification.models import (
    ExemptCategory,
    GiftKind,
    GiverEntry,
    GratificationReport,
    GratificationRule,
    Relationship,
)

DUTY_SOURCE = "UU 31/1999 jo. UU 20/2001 Pasal 12B dan 12C; Perkom KPK 2/2019 jo. Perkom KPK 1/2026"
MATCH_THRESHOLD = 90
_HONORIFICS = re.compile(
    r"\b(pt|cv|ud|tbk|persero|koperasi|kop|h|hj|dr|drs|ir|prof|sh|se|st|mm|mh|bapak|ibu|sdr)\b"
)


def rupiah(value: int) -> str:
    return format_rupiah(value)


def tanggal(day: dt.date) -> str:
    return str(formats.date_format(day, "DATE_FORMAT"))


def normalise_name(name: str) -> str:
    """Lower case, no accents or punctuation, no company forms or titles, single spaces."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = _HONORIFICS.sub(" ", text)
    return " ".join(text.split())[:200]


def normalise_identifier(identifier: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", identifier).upper()


def rule_for(category: str, day: dt.date) -> GratificationRule | None:
    return (
        GratificationRule.objects.filter(category=category, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )


@dataclass(frozen=True)
class Assessment:
    outcome: str  # GratificationReport.Assessment
    reason: str
    source: str
    rule_id: int | None = None

    @property
    def label(self) -> str:
        return str(GratificationReport.Assessment(self.outcome).label)


@dataclass(frozen=True)
class GiverMatch:
    entry_id: int
    name: str
    kind: str
    score: int
    by: str  # "identifier" | "name"


def giver_matches(
    *, pemda: Any, name: str, identifier: str = "", day: dt.date | None = None
) -> list[GiverMatch]:
    """Entries of the giver register that match a giver, by identifier or by normalised name
    (rapidfuzz token-set ratio ≥ 90). Entries whose contract or case ended before ``day`` do
    not count."""
    entries = GiverEntry.objects.filter(pemda=pemda)
    if day is not None:
        from django.db.models import Q

        entries = entries.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    rows = list(entries.values("pk", "name", "key", "identifier", "kind"))
    found: dict[int, GiverMatch] = {}
    wanted = normalise_identifier(identifier)
    if wanted:
        for row in rows:
            if row["identifier"] and normalise_identifier(row["identifier"]) == wanted:
                found[row["pk"]] = GiverMatch(
                    row["pk"], row["name"], row["kind"], 100, "identifier"
                )
    key = normalise_name(name)
    if key and rows:
        for _choice, score, index in process.extract(
            key,
            [r["key"] for r in rows],
            scorer=fuzz.token_set_ratio,
            limit=5,
            score_cutoff=MATCH_THRESHOLD,
        ):
            row = rows[index]
            found.setdefault(
                row["pk"], GiverMatch(row["pk"], row["name"], row["kind"], int(score), "name")
            )
    return sorted(found.values(), key=lambda m: -m.score)


@dataclass(frozen=True)
class ContractMatch:
    """A procurement supplier matching the giver: it won a package of the recipient's unit and
    its contract runs on the day of receipt (issue 16 item 7, the ``procurement`` app)."""

    party_id: int
    name: str
    package_id: int
    package: str
    start: dt.date
    end: dt.date | None
    score: int
    by: str  # "identifier" | "name"

    def as_flag(self) -> dict[str, Any]:
        return {
            "kind": "procurement_contract",
            "name": self.name,
            "party": self.party_id,
            "package_id": self.package_id,
            "package": self.package,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else "",
            "score": self.score,
            "by": self.by,
        }


def procurement_contracts(
    *, pemda: Any, recipient: Any, name: str, identifier: str = "", day: dt.date
) -> list[ContractMatch]:
    """Suppliers with an active contract on ``day`` in a package bought by the recipient's
    (top-level) unit whose name or identifier (NPWP, NIB) matches the giver, with the conflicts
    app's matching (normalised names; identifiers decide)."""
    from django.db.models import Q

    from pakta.conflicts import matching
    from pakta.conflicts.services.procurement import company_party
    from pakta.org.selectors import current_position, top_unit
    from pakta.procurement.models import Award, Package

    position = current_position(recipient) if recipient is not None else None
    if position is None or not name.strip():
        return []
    unit = top_unit(position.unit)
    packages = (
        Package.objects.filter(pemda=pemda, contract_start__isnull=False, contract_start__lte=day)
        .filter(Q(contract_end__isnull=True) | Q(contract_end__gte=day))
        .filter(
            Q(buyer__path__startswith=unit.path) | Q(procuring_unit__path__startswith=unit.path)
        )
        .select_related("winner")
        .prefetch_related("awards__suppliers")
    )
    digits = matching.digits(identifier)
    ids = {"npwp": digits} if len(digits) in (15, 16) else {"nib": digits} if digits else {}
    giver = matching.Party(name, "company", ids)
    found: list[ContractMatch] = []
    for package in packages:
        suppliers = {package.winner} if package.winner_id else set()
        for award in package.awards.all():
            if award.status in ("", Award.Status.ACTIVE):
                suppliers |= set(award.suppliers.all())
        for party in suppliers:
            if party is None:
                continue
            result = matching.match(giver, company_party(party))
            if result.is_match:
                found.append(
                    ContractMatch(
                        party.pk,
                        party.name,
                        package.pk,
                        package.code or package.title,
                        package.contract_start,  # type: ignore[arg-type]
                        package.contract_end,
                        round(result.score * 100),
                        result.decided_by,
                    )
                )
    return found


def earlier_total(
    *, recipient: Any, giver_name: str, year: int, exclude_pk: int | None = None
) -> int:
    """What the recipient reported earlier from the same giver (normalised name) in ``year``."""
    reports = GratificationReport.objects.filter(
        recipient=recipient,
        giver_key=normalise_name(giver_name),
        received_on__year=year,
        type=GratificationReport.Type.RECEIVED,
    )
    if exclude_pk:
        reports = reports.exclude(pk=exclude_pk)
    return int(reports.aggregate(total=Sum("value"))["total"] or 0)


def assess(
    *,
    pemda: Any,
    recipient: Any,
    relationship: str,
    exempt_category: str,
    kind: str,
    value: int,
    received_on: dt.date,
    giver_name: str,
    giver_identifier: str = "",
    vendor_active_contract: bool = False,
    exclude_pk: int | None = None,
) -> Assessment:
    """Must the gift be reported, may it be exempt, or must it be refused — and why."""
    must = GratificationReport.Assessment.MUST_REPORT
    matches = giver_matches(
        pemda=pemda, name=giver_name, identifier=giver_identifier, day=received_on
    )
    contracts = procurement_contracts(
        pemda=pemda,
        recipient=recipient,
        name=giver_name,
        identifier=giver_identifier,
        day=received_on,
    )
    vendor = vendor_active_contract or any(m.kind == GiverEntry.Kind.VENDOR for m in matches)
    vendor = vendor or bool(contracts)
    case_party = any(m.kind == GiverEntry.Kind.CASE_PARTY for m in matches)
    contract_note = ""
    if contracts:
        first = contracts[0]
        contract_note = " " + _(
            "%(giver)s won package %(package)s of your unit, with a contract from %(start)s to "
            "%(end)s."
        ) % {
            "giver": first.name,
            "package": first.package,
            "start": tanggal(first.start),
            "end": tanggal(first.end) if first.end else "…",
        }
    if contracts and not exempt_category:
        return Assessment(
            must,
            _(
                "The giver is a vendor or provider with an active contract with your unit: the "
                "gift is never exempt and must be reported."
            )
            + contract_note,
            DUTY_SOURCE,
        )
    if not exempt_category:
        return Assessment(
            must,
            _(
                "A gift related to the position must be reported whatever its value; no exempt "
                "category was chosen."
            ),
            DUTY_SOURCE,
        )
    label = str(ExemptCategory(exempt_category).label)
    if vendor or case_party:
        who = (
            _("a vendor or provider with an active contract")
            if vendor
            else _("a party in an open whistleblowing case")
        )
        return Assessment(
            GratificationReport.Assessment.MUST_REFUSE,
            _(
                "The gift would fall under “%(category)s”, but the giver is %(who)s: it is never "
                "exempt and must be refused (and reported if it was received)."
            )
            % {"category": label, "who": who}
            + contract_note,
            "Perkom KPK 2/2019 Pasal 2(3) (tanpa konflik kepentingan)",
        )
    rule = rule_for(exempt_category, received_on)
    if rule is None:
        return Assessment(
            must,
            _("No rule exempts “%(category)s” on that date.") % {"category": label},
            DUTY_SOURCE,
        )
    cite = rule.source
    if rule.removed:
        return Assessment(
            must,
            _("The category “%(category)s” was removed from %(date)s; the gift must be reported.")
            % {"category": label, "date": tanggal(rule.effective_from)},
            cite,
            rule.pk,
        )
    if rule.relationships and relationship not in rule.relationships:
        allowed = ", ".join(str(Relationship(r).label).lower() for r in rule.relationships)
        return Assessment(
            must,
            _("“%(category)s” applies only to a gift from: %(allowed)s.")
            % {"category": label, "allowed": allowed},
            cite,
            rule.pk,
        )
    if rule.non_cash_only and kind == GiftKind.MONEY:
        return Assessment(
            must,
            _("“%(category)s” exempts only non-cash gifts.") % {"category": label},
            cite,
            rule.pk,
        )
    if rule.per_giver_limit is not None and value > rule.per_giver_limit:
        return Assessment(
            must,
            _("%(value)s is above the limit of %(limit)s per giver for “%(category)s”.")
            % {"value": rupiah(value), "limit": rupiah(rule.per_giver_limit), "category": label},
            cite,
            rule.pk,
        )
    if rule.per_year_limit is not None:
        earlier = earlier_total(
            recipient=recipient, giver_name=giver_name, year=received_on.year, exclude_pk=exclude_pk
        )
        if earlier + value > rule.per_year_limit:
            return Assessment(
                must,
                _(
                    "With %(earlier)s reported earlier from the same giver in %(year)s, the total "
                    "%(total)s is above the yearly limit of %(limit)s."
                )
                % {
                    "earlier": rupiah(earlier),
                    "year": received_on.year,
                    "total": rupiah(earlier + value),
                    "limit": rupiah(rule.per_year_limit),
                },
                cite,
                rule.pk,
            )
    reason = _("“%(category)s” is exempt under %(source)s if there is no conflict of interest.") % {
        "category": label,
        "source": cite,
    }
    if rule.note:
        reason = f"{reason} {rule.note}"
    return Assessment(GratificationReport.Assessment.MAY_BE_EXEMPT, reason, cite, rule.pk)
