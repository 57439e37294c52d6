"""Indicators from the XLSX template: every bad row reported with its line, nothing half-imported;
and the XLSX exports."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.performance import imports
from pakta.performance import services as perf
from pakta.performance.models import Goal, Indicator
from tests.performance.conftest import YEAR, People, signed_agreement
from tests.signing.conftest import user_for


def xlsx(rows: list[list[object]], headers: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or imports.HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [
    "Meningkatnya mutu pendidikan",
    "Angka partisipasi murni SD",
    "%",
    "MAKSIMAL",
    98,
    98,
    98,
    98,
    98,
    2,
]
RANGE = [
    "Meningkatnya mutu pendidikan",
    "Lama proses izin",
    "hari",
    "minimal",
    "7-8",
    "",
    "",
    "",
    "7\u20138",  # an en dash, as word processors write ranges
    "",
]


@pytest.fixture
def draft(people: People):
    user = user_for(people.kadis)
    return perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    ), user


def test_template_has_the_columns_and_imports_as_is(draft) -> None:
    agreement, user = draft
    content = imports.template_xlsx()
    header = [c.value for c in load_workbook(io.BytesIO(content)).active[1]]
    assert header == imports.HEADERS
    created = imports.agreement_import(agreement=agreement, content=content, acting_user=user)
    assert len(created) == 2
    assert agreement.goals.count() == 1  # both example rows share the SASARAN


def test_good_file_is_imported_with_ranges_and_decimal_commas(draft) -> None:
    agreement, user = draft
    comma = [
        "Sasaran kedua",
        "Indeks kepuasan",
        "indeks",
        "RENTANG",
        "3,5 - 4,25",
        "",
        "",
        "",
        "",
        "1,5",
    ]
    created = imports.agreement_import(
        agreement=agreement, content=xlsx([GOOD, RANGE, comma]), acting_user=user
    )
    assert [i.name for i in created] == [
        "Angka partisipasi murni SD",
        "Lama proses izin",
        "Indeks kepuasan",
    ]
    first, waiting, index = created
    assert first.target == Decimal("98") and first.weight == Decimal("2")
    assert first.targets.count() == 4
    assert (waiting.polarity, waiting.target, waiting.target_upper) == ("lower", 7, 8)
    assert waiting.weight == Decimal("1")
    assert waiting.targets.get().quarter == 4
    assert (index.polarity, index.target, index.target_upper) == (
        "range",
        Decimal("3.5"),
        Decimal("4.25"),
    )
    assert index.weight == Decimal("1.5")
    assert Goal.objects.filter(agreement=agreement).count() == 2
    assert AuditEvent.objects.filter(action="performance.agreement.imported").count() == 1


def test_every_bad_row_is_reported_and_nothing_is_imported(draft) -> None:
    agreement, user = draft
    rows = [
        GOOD,
        ["", "Tanpa sasaran", "%", "MAKSIMAL", 10, "", "", "", "", ""],  # line 3
        GOOD,
        ["Sasaran", "Polaritas salah", "%", "NAIK TURUN", 10, "", "", "", "", ""],  # line 5
        ["Sasaran", "Target teks", "%", "MAKSIMAL", "banyak", "", "", "", "", ""],  # line 6
        ["Sasaran", "Rentang terbalik", "hari", "MINIMAL", "8-7", "", "", "", "", ""],  # line 7
        ["Sasaran", "Target negatif", "%", "MAKSIMAL", "-5", "", "", "", "", ""],  # line 8
        ["Sasaran", "TW salah", "%", "MAKSIMAL", 10, "x", "", "", "", "abc"],  # line 9
    ]
    with pytest.raises(imports.ImportRejected) as caught:
        imports.agreement_import(agreement=agreement, content=xlsx(rows), acting_user=user)
    lines = sorted({e.line for e in caught.value.errors})
    assert lines == [3, 5, 6, 7, 8, 9]
    messages = [str(e) for e in caught.value.errors]
    assert any(m.startswith("Line 3:") and "SASARAN" in m for m in messages)
    assert any(m.startswith("Line 9:") and "TW I" in m for m in messages)
    assert any(m.startswith("Line 9:") and "BOBOT" in m for m in messages)
    assert not Indicator.objects.exists() and not Goal.objects.exists()
    assert not AuditEvent.objects.filter(action="performance.agreement.imported").exists()


def test_missing_columns_and_damaged_files_are_refused(draft) -> None:
    agreement, user = draft
    with pytest.raises(DomainError, match="BOBOT"):
        imports.agreement_import(
            agreement=agreement, content=xlsx([GOOD[:9]], imports.HEADERS[:9]), acting_user=user
        )
    with pytest.raises(DomainError, match="cannot be read"):
        imports.agreement_import(agreement=agreement, content=b"not a workbook", acting_user=user)
    assert not Indicator.objects.exists()


def test_only_a_draft_accepts_an_import(people: People) -> None:
    agreement = signed_agreement(people)
    before = agreement.indicators.count()
    with pytest.raises(DomainError, match="draft or a returned"):
        imports.agreement_import(
            agreement=agreement, content=xlsx([GOOD]), acting_user=user_for(people.kadis)
        )
    assert agreement.indicators.count() == before


def test_exports_are_formula_safe(people: People) -> None:
    agreement = signed_agreement(people)
    user, bupati = user_for(people.kadis), user_for(people.bupati)
    indicator = agreement.indicators.order_by("order").first()
    realization = perf.realization_submit(
        indicator=indicator,
        quarter=1,
        value="19",
        note='=HYPERLINK("http://evil")',
        acting_user=user,
        evidence=[perf.EvidenceUpload("a.pdf", b"%PDF-1.4", "application/pdf")],
    )
    perf.realization_verify(realization=realization, acting_user=bupati)
    sheet = load_workbook(io.BytesIO(imports.achievement_xlsx([agreement]))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Year"
    first = rows[1]
    assert first[5] == "Cakupan imunisasi dasar lengkap" and first[9] == "TW I"
    assert first[11] == 19 and first[14] == 95  # 19 of 20
    assert len(rows) == 1 + 2 * 4
    agreements = load_workbook(io.BytesIO(imports.agreements_xlsx([agreement]))).active
    values = list(agreements.iter_rows(values_only=True))
    assert values[1][3] == people.kadis.nip and values[1][7] == "Signed"


def test_parse_number_reads_indonesian_and_english_notation() -> None:
    assert imports.parse_number("1.250.000") == Decimal("1250000")
    assert imports.parse_number("1.250,5") == Decimal("1250.5")
    assert imports.parse_number("7,5") == Decimal("7.5")
    assert imports.parse_number("7.5") == Decimal("7.5")
    assert imports.parse_target("7 s.d. 8") == (Decimal(7), Decimal(8))
    with pytest.raises(ValueError):
        imports.parse_number("tujuh")
