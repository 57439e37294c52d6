from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from pakta.procurement.models import CommitteeMember, Package
from pakta.procurement.services.spreadsheet import packages_from_xlsx

HEADER = ["Kode paket", "Nama paket", "Unit kerja", "Metode", "HPS", "Peserta", "Pemenang", "PPK"]


def workbook(*rows: list[Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_packages_with_committee_and_tenderers(
    pemda_a: Any, unit_a: Any, official_a: Any, superadmin: Any
) -> None:
    content = workbook(
        [
            "P-1",
            "Pembangunan gedung puskesmas",
            "Dinas Kesehatan",
            "Tender",
            1_500_000_000,
            "PT Maju Jaya|01.234.567.8-901.000|1450000000; CV Sejahtera||1490000000",
            "PT Maju Jaya",
            official_a.nip,
        ],
    )
    packages, errors = packages_from_xlsx(pemda=pemda_a, acting_user=superadmin, content=content)
    assert errors == [] and len(packages) == 1
    package = packages[0]
    assert package.source == "xlsx" and package.buyer == unit_a and package.method == "open"
    assert package.winner.name == "PT Maju Jaya" and package.bids.count() == 2
    assert CommitteeMember.objects.get(package=package).role == "ppk"


def test_bad_rows_reported_with_column_and_nothing_imported(
    pemda_a: Any, unit_a: Any, superadmin: Any
) -> None:
    content = workbook(
        ["P-1", "Pembangunan gedung puskesmas", "Dinas Kesehatan", "Tender", 1_000, "", "", ""],
        [
            "P-2",
            "Jalan desa",
            "Dinas Tidak Ada",
            "lelang",
            "satu miliar",
            "",
            "PT X",
            "199001012020121001",
        ],
    )
    packages, errors = packages_from_xlsx(pemda=pemda_a, acting_user=superadmin, content=content)
    assert packages == [] and not Package.objects.exists()
    assert {(e.row, e.column) for e in errors} == {
        (3, "unit kerja"),
        (3, "metode"),
        (3, "hps"),
        (3, "pemenang"),
        (3, "ppk"),
    }
    packages, errors = packages_from_xlsx(
        pemda=pemda_a, acting_user=superadmin, content=content, valid_rows_only=True
    )
    assert [p.code for p in packages] == ["P-1"]
