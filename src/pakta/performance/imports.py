"""Indicators and targets from an XLSX template into a draft agreement (all or nothing), and the
XLSX exports of agreements and achievement (formula-safe, through ``pakta.core.exports``)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.core.exports import Cells, cells, stream_xlsx
from pakta.core.zone import pemda_zone
from pakta.performance import export_selectors
from pakta.performance.achievement import achievement, band_label, band_scale, cap_setting
from pakta.performance.models import (
    QUARTER_LABELS,
    QUARTERS,
    Goal,
    Indicator,
    PerformanceAgreement,
    Polarity,
    Realization,
)
from pakta.performance.rendering import target_text
from pakta.performance.services import content as services

HEADERS = [
    "SASARAN",
    "INDIKATOR",
    "SATUAN",
    "POLARITAS",
    "TARGET TAHUNAN",
    "TW I",
    "TW II",
    "TW III",
    "TW IV",
    "BOBOT",
]
EXAMPLE = [
    "Meningkatnya derajat kesehatan masyarakat",
    "Cakupan imunisasi dasar lengkap",
    "%",
    "MAKSIMAL",
    "95",
    "20",
    "45",
    "70",
    "95",
    "2",
]
EXAMPLE_RANGE = [
    "Meningkatnya derajat kesehatan masyarakat",
    "Waktu tunggu pelayanan rawat jalan",
    "bulan",
    "MINIMAL",
    "7-8",
    "7-8",
    "7-8",
    "7-8",
    "7-8",
    "1",
]
POLARITY_WORDS = {
    Polarity.HIGHER: {"MAKSIMAL", "MAKSIMALKAN", "MAX", "NAIK", "TINGGI", "HIGHER", "POSITIF"},
    Polarity.LOWER: {"MINIMAL", "MINIMALKAN", "MIN", "TURUN", "RENDAH", "LOWER", "NEGATIF"},
    Polarity.RANGE: {"RENTANG", "RANGE", "STABIL", "STABILISASI", "KISARAN"},
}
MAX_ROWS = 500


def template_xlsx() -> bytes:
    """The downloadable template: the header row, two example rows, and a list for POLARITAS."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indikator"
    sheet.append(HEADERS)
    sheet.append(EXAMPLE)
    sheet.append(EXAMPLE_RANGE)
    validation = DataValidation(
        type="list", formula1='"MAKSIMAL,MINIMAL,RENTANG"', allow_blank=False
    )
    sheet.add_data_validation(validation)
    validation.add("D2:D500")
    for column, width in zip("ABCDEFGHIJ", (45, 45, 12, 14, 16, 10, 10, 10, 10, 8), strict=True):
        sheet.column_dimensions[column].width = width
    notes = workbook.create_sheet("Petunjuk")
    for line in (
        "Satu baris per indikator. Baris dengan SASARAN yang sama masuk ke sasaran strategis yang sama.",
        "POLARITAS: MAKSIMAL (semakin tinggi semakin baik), MINIMAL (semakin rendah semakin baik), "
        "RENTANG (berada dalam rentang).",
        "Target rentang ditulis dengan tanda hubung, misalnya 7-8. Desimal memakai koma: 7,5.",
        "TW I sampai TW IV boleh kosong; BOBOT kosong berarti 1.",
        "Impor berlaku untuk semua baris atau tidak sama sekali.",
    ):
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class ImportRejected(DomainError):
    """The file has bad rows; nothing was imported. ``errors`` lists each with its line."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            _("%(count)d row(s) have errors; nothing was imported.") % {"count": len(errors)},
            code="import_rejected",
        )
        self.errors = errors


@dataclass
class ParsedRow:
    line: int
    goal: str
    name: str
    unit: str
    polarity: str
    target: tuple[Decimal | None, Decimal | None]
    quarters: dict[int, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    weight: Decimal = Decimal(1)


RANGE_SPLIT = re.compile(r"\s*(?:\u2013|\u2014|-|s\.?d\.?|sampai)\s*", re.IGNORECASE)


def parse_number(text: str) -> Decimal:
    """``95``, ``7,5``, ``1.250.000``, ``1.250,5`` or ``7.5``; raises ValueError otherwise."""
    cleaned = text.strip().replace(" ", "").replace("%", "")
    if not cleaned:
        raise ValueError(text)
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(".") > 1 or re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")  # thousands separators
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def parse_target(text: str) -> tuple[Decimal | None, Decimal | None]:
    """A single number or a range ``7-8``; empty gives (None, None)."""
    text = (text or "").strip()
    if not text:
        return None, None
    if re.fullmatch(r"-?\s*[\d.,]+\s*%?", text):
        return parse_number(text), None
    parts = RANGE_SPLIT.split(text)
    if len(parts) == 1:
        return parse_number(parts[0]), None
    if len(parts) == 2:
        low, high = parse_number(parts[0]), parse_number(parts[1])
        return low, high
    raise ValueError(text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value).strip()


def read_sheet(content: bytes) -> list[list[str]]:
    if len(content) > settings.PAKTA_IMPORT_MAX_BYTES:
        raise DomainError(_("The file is too large."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise DomainError(
            _("The Excel file cannot be read; it may be damaged. Save it again as .xlsx.")
        ) from None
    sheet = workbook.worksheets[0]
    rows = [[_cell(v) for v in values] for values in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _polarity(text: str) -> str | None:
    word = text.strip().upper()
    for polarity, words in POLARITY_WORDS.items():
        if word in words:
            return str(polarity)
    return None


def parse_rows(rows: list[list[str]]) -> list[ParsedRow]:
    """Check every row; raise ImportRejected listing each bad row, or return them all."""
    if not rows:
        raise DomainError(_("The file is empty."))
    header = [h.strip().upper() for h in rows[0]]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise DomainError(
            _("The header row lacks the column(s) %(columns)s; download the template.")
            % {"columns": ", ".join(missing)}
        )
    index = {name: header.index(name) for name in HEADERS}
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    body = rows[1:]
    if len([r for r in body if any(c.strip() for c in r)]) > MAX_ROWS:
        raise DomainError(
            _("At most %(count)d indicators can be imported at once.") % {"count": MAX_ROWS}
        )
    for line, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i] if i < len(row) else "").strip() for name, i in index.items()}
        problems: list[str] = []
        if not cells["SASARAN"]:
            problems.append(_("SASARAN is empty."))
        if not cells["INDIKATOR"]:
            problems.append(_("INDIKATOR is empty."))
        if not cells["SATUAN"]:
            problems.append(_("SATUAN is empty."))
        polarity = _polarity(cells["POLARITAS"])
        if polarity is None:
            problems.append(
                _("POLARITAS “%(value)s” is not MAKSIMAL, MINIMAL or RENTANG.")
                % {"value": cells["POLARITAS"]}
            )
        target: tuple[Decimal | None, Decimal | None] = (None, None)
        try:
            target = parse_target(cells["TARGET TAHUNAN"])
            if target[0] is None:
                problems.append(_("TARGET TAHUNAN is empty."))
        except ValueError:
            problems.append(
                _("TARGET TAHUNAN “%(value)s” is not a number or a range such as 7-8.")
                % {"value": cells["TARGET TAHUNAN"]}
            )
        quarters: dict[int, tuple[Decimal | None, Decimal | None]] = {}
        for quarter in QUARTERS:
            label = QUARTER_LABELS[quarter]
            try:
                quarters[quarter] = parse_target(cells[label])
            except ValueError:
                problems.append(
                    _("%(column)s “%(value)s” is not a number or a range such as 7-8.")
                    % {"column": label, "value": cells[label]}
                )
        weight = Decimal(1)
        if cells["BOBOT"]:
            try:
                weight = parse_number(cells["BOBOT"])
            except ValueError:
                problems.append(_("BOBOT “%(value)s” is not a number.") % {"value": cells["BOBOT"]})
        if not problems:
            # The same checks as a form entry, so that the import accepts nothing the form refuses.
            try:
                services._clean_indicator(
                    name=cells["INDIKATOR"],
                    unit_of_measure=cells["SATUAN"],
                    polarity=polarity or "",
                    target=target[0],
                    target_upper=target[1],
                    weight=weight,
                    quarter_targets=quarters,
                )
            except DomainError as error:
                problems.append(str(error))
        if problems:
            errors.extend(RowError(line, p) for p in problems)
            continue
        parsed.append(
            ParsedRow(
                line=line,
                goal=cells["SASARAN"][:500],
                name=cells["INDIKATOR"],
                unit=cells["SATUAN"],
                polarity=polarity or "",
                target=target,
                quarters=quarters,
                weight=weight,
            )
        )
    if errors:
        raise ImportRejected(errors)
    if not parsed:
        raise DomainError(_("The file has no indicator rows."))
    return parsed


@transaction.atomic
def agreement_import(
    *, agreement: PerformanceAgreement, content: bytes, acting_user: Any
) -> list[Indicator]:
    """Add the file's goals and indicators to a draft agreement: every row, or none.

    Goals are matched by name with the agreement's existing goals. Raises ImportRejected with
    every bad row (line and reason) and changes nothing.
    """
    locked = services._lock(agreement)
    services._require_editor(locked, acting_user)
    rows = parse_rows(read_sheet(content))
    goals = {g.name: g for g in locked.goals.all()}
    goal_order = services._next_order(locked.goals.all())
    created: list[Indicator] = []
    for row in rows:
        goal = goals.get(row.goal)
        if goal is None:
            goal = goals[row.goal] = Goal.objects.create(
                agreement=locked, name=row.goal, order=goal_order
            )
            goal_order += 1
        fields, quarters = services._clean_indicator(
            name=row.name,
            unit_of_measure=row.unit,
            polarity=row.polarity,
            target=row.target[0],
            target_upper=row.target[1],
            weight=row.weight,
            quarter_targets=row.quarters,
        )
        indicator = Indicator.objects.create(
            goal=goal, agreement=locked, order=services._next_order(goal.indicators.all()), **fields
        )
        services._set_targets(indicator, quarters)
        created.append(indicator)
    audit_record(
        actor=acting_user,
        action="performance.agreement.imported",
        obj=locked,
        summary={"indicators": len(created), "goals": len({r.goal for r in rows})},
    )
    return created


# --- Exports -----------------------------------------------------------------------------------
#
# The rows are read as plain values by ``pakta.performance.export_selectors`` (a few queries per
# 2,000 agreements); here they get their labels (translated once per export) and figures.

Agreements = QuerySet[PerformanceAgreement] | Sequence[PerformanceAgreement]


def _num(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def agreements_xlsx(agreements: Agreements) -> bytes:
    return b"".join(agreements_xlsx_stream(agreements))


def achievement_xlsx(agreements: Agreements) -> bytes:
    return b"".join(achievement_xlsx_stream(agreements))


def agreements_xlsx_stream(agreements: Agreements) -> Iterator[bytes]:
    headers = [
        _("Year"),
        _("Version"),
        _("Unit"),
        _("NIP"),
        _("First party"),
        _("Position"),
        _("Second party"),
        _("Status"),
        _("Due date"),
        _("Signed at"),
        _("Revision reason"),
    ]
    labels = {value: str(label) for value, label in PerformanceAgreement.Status.choices}
    zones: dict[str, Any] = {}

    def signing_day(signed_at: Any, zone: str) -> Any:
        # Dates as dates (Excel sorts and filters them), the signing day in the Pemda's zone.
        if signed_at is None:
            return None
        if zone not in zones:
            zones[zone] = pemda_zone(SimpleNamespace(timezone=zone))
        return signed_at.astimezone(zones[zone]).date()

    rows = (
        [
            a.year,
            a.version,
            a.unit,
            a.nip,
            a.official,
            a.position,
            a.superior,
            labels.get(a.status, a.status),
            a.due_date,
            signing_day(a.signed_at, a.timezone),
            a.revision_reason,
        ]
        for a in export_selectors.agreement_rows(agreements)
    )
    return stream_xlsx(headers, rows, title=str(_("Agreements")))


def achievement_xlsx_stream(agreements: Agreements) -> Iterator[bytes]:
    """One row per indicator and quarter: target, realization, status and capaian (the same
    ``achievement`` the pages and the aggregates use, on plain values). The rows of a Pemda's
    whole year (1.2 million at the largest) stream out with flat memory."""
    headers = [
        _("Year"),
        _("Unit"),
        _("NIP"),
        _("Official"),
        _("Strategic goal"),
        _("Indicator"),
        _("Unit of measure"),
        _("Polarity"),
        _("Weight"),
        _("Quarter"),
        _("Target"),
        _("Realization"),
        _("Status"),
        _("Late"),
        _("Achievement (%)"),
        _("Band"),
        _("Note"),
    ]
    # Labels translated once per export, not once per row.
    polarity_labels = {k: str(v) for k, v in Indicator._meta.get_field("polarity").flatchoices}
    status_labels = {k: str(v) for k, v in Realization.Status.choices}
    yes = str(_("yes"))
    quarters = {q: str(QUARTER_LABELS[q]) for q in QUARTERS}
    band_of = band_scale()
    bands: dict[str, str] = {}
    cap = cap_setting()
    verified = Realization.Status.VERIFIED.value

    # The columns an indicator repeats on its four rows are written once (``cells``): the
    # agreement's (year, unit, NIP, official) once per agreement, the indicator's (goal, name,
    # unit of measure, polarity, weight) once per distinct indicator, the quarter's four labels
    # once per export. The sheet is the same, cell for cell, as writing every value on every row.
    quarter_cells = {q: cells(label) for q, label in quarters.items()}
    indicator_cells: dict[tuple[Any, ...], Cells] = {}
    empty = cells(None, "", "", None, "", "")  # no realization: nothing to measure or explain

    def rows() -> Iterator[list[Any]]:
        agreement = head = None
        for item in export_selectors.indicator_quarter_rows(agreements):
            if item.agreement != agreement:
                agreement = item.agreement
                head = cells(item.year, item.unit, item.nip, item.official)
            polarity = item.polarity
            key = (item.goal, item.indicator, item.unit_of_measure, polarity, item.weight)
            body = indicator_cells.get(key)
            if body is None:
                body = cells(*key[:3], polarity_labels.get(polarity, polarity), float(item.weight))
                if len(indicator_cells) < 20_000:
                    indicator_cells[key] = body
            for quarter, target, upper, value, status, late in item.quarters:
                target_cell = target_text(target, upper) if upper is not None else _num(target)
                if value is None and not status and not late:
                    yield [head, body, quarter_cells[quarter], target_cell, empty]
                    continue
                measured = band_text = note = None
                if value is not None:  # without a realization there is nothing to measure
                    result = achievement(
                        polarity=polarity,
                        target=target,
                        target_upper=upper,
                        actual=value if status == verified else None,
                        cap=cap,
                    )
                    measured = result.value
                    if measured is not None:
                        code = band_of(measured)
                        if code not in bands:
                            bands[code] = band_label(code)
                        band_text = bands[code]
                    else:
                        note = str(result.message)
                yield [
                    head,
                    body,
                    quarter_cells[quarter],
                    target_cell,
                    float(value) if value is not None else None,
                    status_labels.get(status, "") if status else "",
                    yes if late else "",
                    float(measured) if measured is not None else None,
                    band_text or "",
                    note or "",
                ]

    return stream_xlsx(headers, rows(), title=str(_("Achievement")))


__all__ = [
    "HEADERS",
    "ImportRejected",
    "RowError",
    "achievement_xlsx",
    "achievement_xlsx_stream",
    "agreement_import",
    "agreements_xlsx",
    "agreements_xlsx_stream",
    "template_xlsx",
]
