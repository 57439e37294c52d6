"""Packages from a spreadsheet (issue 17 item 5): one row per package, for Pemda whose
procurement is not published as OCDS. Columns (first row, case-insensitive):

``kode paket``, ``nama paket`` (required), ``unit kerja`` (a unit's name), ``metode`` (open /
selective / limited / direct, or tender / seleksi / penunjukan langsung / pengadaan langsung),
``hps``, ``pagu``, ``tahun``, ``peserta`` (``Nama|NPWP|penawaran`` separated by ``;``),
``pemenang`` (a name among the peserta), ``nilai kontrak``, ``ppk`` (NIP), ``pokja`` (NIPs
separated by ``;``), ``pejabat pengadaan`` (NIP), ``pphp`` (NIP).

Every row is checked first; problems are reported with row and column, and nothing is imported
unless every row is valid (or ``valid_rows_only``)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pakta.core.errors import DomainError
from pakta.org.models import Official, Pemda, Unit
from pakta.org.selectors import official_find_by_nip
from pakta.procurement.models import CommitteeMember, Package, Party, normalise_name
from pakta.procurement.services.packages import BidInput, package_create, party_get_or_create

METHODS = {
    "open": "open",
    "tender": "open",
    "terbuka": "open",
    "selective": "selective",
    "seleksi": "selective",
    "limited": "limited",
    "penunjukan langsung": "limited",
    "direct": "direct",
    "pengadaan langsung": "direct",
    "": "",
}
ROLES = {
    "ppk": CommitteeMember.Role.PPK,
    "pokja": CommitteeMember.Role.POKJA,
    "pejabat pengadaan": CommitteeMember.Role.PEJABAT_PENGADAAN,
    "pphp": CommitteeMember.Role.PPHP,
}


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str


def _money(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = str(raw).replace("Rp", "").replace(".", "").replace(",", ".").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError from None


def packages_from_xlsx(
    *, pemda: Pemda, acting_user: Any, content: bytes, valid_rows_only: bool = False
) -> tuple[list[Package], list[RowError]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    except Exception:
        raise DomainError(_("The file is not an Excel workbook (.xlsx).")) from None
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise DomainError(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in rows[0]]
    if "nama paket" not in header:
        raise DomainError(_("The first row must name the columns, with at least 'nama paket'."))
    units = {normalise_name(u.name): u for u in Unit.objects.filter(pemda=pemda)}
    errors: list[RowError] = []
    plans: list[dict[str, Any]] = []
    for number, values in enumerate(rows[1:], start=2):
        row = {header[i]: v for i, v in enumerate(values) if i < len(header)}
        if not any(v not in (None, "") for v in row.values()):
            continue
        problems: list[RowError] = []

        def bad(
            column: str,
            value: Any,
            message: str,
            number: int = number,
            problems: list[RowError] = problems,
        ) -> None:
            problems.append(RowError(number, column, str(value or ""), message))

        title = str(row.get("nama paket") or "").strip()
        if not title:
            bad("nama paket", "", _("A package needs a title."))
        unit: Unit | None = None
        if row.get("unit kerja"):
            unit = units.get(normalise_name(str(row["unit kerja"])))
            if unit is None:
                bad("unit kerja", row["unit kerja"], _("No unit of this Pemda has this name."))
        method = METHODS.get(str(row.get("metode") or "").strip().lower())
        if method is None:
            bad(
                "metode",
                row.get("metode"),
                _("Choose a procurement method: open, selective, limited or direct."),
            )
        money: dict[str, Decimal | None] = {}
        for column in ("hps", "pagu", "nilai kontrak"):
            try:
                money[column] = _money(row.get(column))
            except ValueError:
                bad(column, row.get(column), _("The amount is not a number."))
        bidders: list[tuple[str, str, Decimal | None]] = []
        for item in str(row.get("peserta") or "").split(";"):
            if not item.strip():
                continue
            name, _sep, rest = item.partition("|")
            npwp, _sep, amount = rest.partition("|")
            try:
                bidders.append((name.strip(), npwp.strip(), _money(amount.strip())))
            except ValueError:
                bad("peserta", item, _("The amount is not a number."))
        winner = str(row.get("pemenang") or "").strip()
        if winner and winner not in {b[0] for b in bidders}:
            bad("pemenang", winner, _("The winner must be one of the tenderers."))
        committee: list[tuple[Official, str]] = []
        for column, role in ROLES.items():
            for nip in str(row.get(column) or "").split(";"):
                if not nip.strip():
                    continue
                official = official_find_by_nip(pemda=pemda, nip=nip)
                if official is None:
                    bad(column, nip, _("No official of this Pemda has this NIP."))
                else:
                    committee.append((official, role))
        if problems:
            errors += problems
            continue
        plans.append(
            {
                "title": title,
                "code": str(row.get("kode paket") or ""),
                "buyer": unit,
                "method": method or "",
                "hps_value": money.get("hps"),
                "pagu": money.get("pagu"),
                "contract_value": money.get("nilai kontrak"),
                "year": int(row["tahun"]) if str(row.get("tahun") or "").isdigit() else None,
                "bidders": bidders,
                "winner": winner,
                "committee": committee,
            }
        )
    if errors and not valid_rows_only:
        return [], errors
    packages = _create(pemda=pemda, acting_user=acting_user, plans=plans)
    return packages, errors


@transaction.atomic
def _create(*, pemda: Pemda, acting_user: Any, plans: list[dict[str, Any]]) -> list[Package]:
    packages = []
    for plan in plans:
        parties: dict[str, Party] = {}
        for name, npwp, _amount in plan["bidders"]:
            parties[name] = party_get_or_create(
                pemda=pemda,
                name=name,
                identifier_scheme=Party.Scheme.NPWP if npwp else "",
                identifier=npwp,
                roles=["tenderer"],
            )
        packages.append(
            package_create(
                pemda=pemda,
                acting_user=acting_user,
                title=plan["title"],
                code=plan["code"],
                buyer=plan["buyer"],
                method=plan["method"],
                hps_value=plan["hps_value"],
                pagu=plan["pagu"],
                year=plan["year"],
                contract_value=plan["contract_value"],
                committee=plan["committee"],
                bids=[BidInput(tenderer=parties[n], amount=a) for n, _np, a in plan["bidders"]],
                winner=parties.get(plan["winner"]) if plan["winner"] else None,
                source=Package.Source.XLSX,
            )
        )
    return packages
