"""The SIASN-ready record of decided sanctions (BKN SIASN ``hukdis`` fields), as XLSX, JSON and a
ZIP holding both with each signed decision PDF, for the BKPSDM to upload. No network call."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from pakta.core.exports import rows_to_xlsx
from pakta.discipline.models import Sanction
from pakta.discipline.rules import LEVEL_CODE

FIELDS = [
    "nip",
    "nama",
    "jenis_hukuman",
    "kode_jenis_hukuman",
    "tingkat_hukuman",
    "alasan_hukuman",
    "pasal_dilanggar",
    "nomor_sk",
    "tanggal_sk",
    "tmt_hukuman",
    "akhir_hukuman",
    "masa_tahun",
    "masa_bulan",
    "golongan",
    "unit_kerja",
    "pejabat_penetap",
    "status",
    "dokumen_sk",
]


def _date(value: Any) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def pdf_name(sanction: Sanction) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in sanction.decision_number).strip("-")
    return f"SK-{safe or sanction.pk}.pdf"


def siasn_row(sanction: Sanction) -> dict[str, Any]:
    case = sanction.case
    months = sanction.months or 0
    return {
        "nip": case.official.nip,
        "nama": case.official.full_name,
        "jenis_hukuman": sanction.siasn_name,
        "kode_jenis_hukuman": sanction.type,
        "tingkat_hukuman": LEVEL_CODE[sanction.level],
        "alasan_hukuman": sanction.reason,
        "pasal_dilanggar": "; ".join(p.citation for p in case.provisions.all()),
        "nomor_sk": sanction.decision_number,
        "tanggal_sk": _date(sanction.decision_date),
        "tmt_hukuman": _date(sanction.start_date),
        "akhir_hukuman": _date(sanction.end_date),
        "masa_tahun": months // 12,
        "masa_bulan": months % 12,
        "golongan": case.official.golongan,
        "unit_kerja": case.unit.name if case.unit else "",
        "pejabat_penetap": sanction.decided_by.full_name,
        "status": sanction.status,
        "dokumen_sk": pdf_name(sanction) if sanction.document_id else "",
    }


def siasn_rows(sanctions: Iterable[Sanction]) -> list[dict[str, Any]]:
    return [siasn_row(s) for s in sanctions]


def siasn_xlsx(rows: list[dict[str, Any]]) -> bytes:
    return rows_to_xlsx(FIELDS, ([r[f] for f in FIELDS] for r in rows), title="Hukuman Disiplin")


def siasn_json(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps({"hukdis": rows}, ensure_ascii=False, indent=2).encode()


def siasn_zip(sanctions: list[Sanction]) -> bytes:
    from pakta.signing.services import document_pdf_for_reader

    rows = siasn_rows(sanctions)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("hukdis.json", siasn_json(rows))
        archive.writestr("hukdis.xlsx", siasn_xlsx(rows))
        for sanction in sanctions:
            if sanction.document is not None:
                archive.writestr(pdf_name(sanction), document_pdf_for_reader(sanction.document))
    return buffer.getvalue()
