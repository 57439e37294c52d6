"""Streamed exports: the same sheet as the in-memory writer (formula-safe text, numbers as
numbers, dates as dates), produced in pieces."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from pakta.core.exports import CHUNK_ROWS, stream_csv, stream_workbook, stream_xlsx


def test_stream_xlsx_is_a_valid_workbook_in_pieces() -> None:
    rows = [["=SUM(A1)", dt.date(2026, 3, 26), Decimal("72.5"), 3, "a < b & c"]] * (CHUNK_ROWS * 2)
    rows.append([None, dt.datetime(2026, 1, 2, 9, 30), True, "", "Rp1.250.000"])
    pieces = list(stream_xlsx(["Nama", "Tanggal", "Nilai", "N", "Catatan"], rows, title="Pegawai"))
    assert len(pieces) > 3
    sheet = load_workbook(io.BytesIO(b"".join(pieces))).active
    assert sheet.title == "Pegawai" and sheet.max_row == CHUNK_ROWS * 2 + 2
    first = [c.value for c in sheet[2]]
    assert first == ["'=SUM(A1)", dt.datetime(2026, 3, 26), 72.5, 3, "a < b & c"]
    assert sheet["B2"].is_date
    last = [c.value for c in sheet[sheet.max_row]]
    assert last == [None, dt.datetime(2026, 1, 2, 9, 30), True, None, "Rp1.250.000"]


def test_stream_csv_matches_the_header_and_neutralises_formulas() -> None:
    body = b"".join(stream_csv(["NIP", "NAMA"], [["1985", "=cmd|' /C calc'!A0"]] * 3))
    text = body.decode("utf-8-sig").splitlines()
    assert text[0] == "NIP,NAMA" and text[1].startswith("1985,'=cmd")
    assert len(text) == 4


def test_stream_workbook_writes_each_sheet_with_its_title_and_types() -> None:
    body = b"".join(
        stream_workbook(
            [
                ("Deklarasi", ["Unit", "Wajib"], [["Dinas & Badan", 3], ["@SUM(1)", 0]]),
                ('Per "tahun"', ["Tahun", "Tanggal"], [[2026, dt.date(2026, 12, 7)]]),
                ("Temuan", ["Jenis"], []),
            ]
        )
    )
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["Deklarasi", 'Per "tahun"', "Temuan"]
    first, second, third = (list(s.iter_rows(values_only=True)) for s in book.worksheets)
    assert first == [("Unit", "Wajib"), ("Dinas & Badan", 3), ("'@SUM(1)", 0)]
    assert second == [("Tahun", "Tanggal"), (2026, dt.datetime(2026, 12, 7))]
    assert book.worksheets[1]["B2"].is_date
    assert third == [("Jenis",)]


def test_stream_xlsx_repeated_text_is_written_the_same_each_time() -> None:
    # Text cells are cached by value: a formula-like or markup value stays neutralised on every
    # row, and numbers that look like the cached text stay numbers.
    rows = [["=1+1", "a<b", "7", 7, 7.5, None]] * 3
    sheet = load_workbook(io.BytesIO(b"".join(stream_xlsx(list("ABCDEF"), rows)))).active
    assert (
        list(sheet.iter_rows(min_row=2, values_only=True))
        == [("'=1+1", "a<b", "7", 7, 7.5, None)] * 3
    )
