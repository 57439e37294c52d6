"""Spreadsheet exports that cannot carry formulas into the reader's spreadsheet program."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook

# OWASP's list: a cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would run as a formula by prefixing a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def rows_to_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow(
            ["" if v is None else safe_cell(str(v) if not isinstance(v, str) else v) for v in row]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def rows_to_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Data"
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Streamed exports: the first bytes leave before the last row is read ------------------------

CHUNK_ROWS = 2000


# The first characters that make a cell a formula ("" for an empty cell is not one of them).
_TRIGGER_STARTS = frozenset(FORMULA_TRIGGERS)


def _csv_text(value: Any) -> str:
    """A CSV cell as ``rows_to_csv`` writes it: empty for None, text, formula-safe."""
    if value is None:
        return ""
    return str(safe_cell(value if isinstance(value, str) else str(value)))


def stream_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The same file as ``rows_to_csv``, in pieces of ``CHUNK_ROWS`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([safe_cell(str(h)) for h in headers])
    writerow = writer.writerow
    for n, row in enumerate(rows, 1):
        # Plain text (the common case) as it is; the rest through _csv_text.
        writerow(
            [v if type(v) is str and v[:1] not in _TRIGGER_STARTS else _csv_text(v) for v in row]
        )
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


class _Pipe:
    """A write-only, unseekable file for ``zipfile``: what is written is taken out in pieces."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


_EPOCH = dt.date(1899, 12, 30)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId0" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "{sheets}</Relationships>"
)
_SHEET_REL = '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
# Cell styles: 0 plain, 1 date (built-in format 14), 2 date and time (format 22).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _text_cell(value: str) -> str:
    """An inline-string cell: formula-like text neutralised, markup characters escaped."""
    if not value:
        return "<c/>"
    if value[0] in "=+-@\t\r" or "&" in value or "<" in value or ">" in value:
        value = escape(safe_cell(value))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def _cell(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _text_cell(value)
    if kind is int or kind is float:
        return f"<c><v>{value}</v></c>"
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        serial = (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400  # noqa: DTZ001
        return f'<c s="2"><v>{serial:.10f}</v></c>'
    if isinstance(value, dt.date):
        return f'<c s="1"><v>{(value - _EPOCH).days}</v></c>'
    return _text_cell(str(value))


class Cells(str):
    """Cells already written as sheet XML (by ``cells``): a row may hold them among its values,
    and the writer copies them as they are. For an export whose rows repeat a run of cells (the
    official's and the indicator's columns on each of its four quarters), written once."""

    __slots__ = ()


def cells(*values: Any) -> Cells:
    """``values`` written as the cells the writer would write for them, in that order."""
    return Cells("".join(map(_cell, values)))


# Text cells already written, by value: labels, unit names and goals repeat on many rows, and a
# dict look-up costs a fraction of building the cell again. Bounded, per export.
_TEXT_CACHE_SIZE = 20_000
# Deflate at level 1: a fifth larger than the default level 6, and the writer spends 30-40 % less
# CPU (on a million-row sheet the compression was a quarter of the writer's time).
COMPRESS_LEVEL = 1


def stream_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Data"
) -> Iterator[bytes]:
    """An XLSX workbook of one sheet, written as it goes: inline strings, numbers as numbers,
    dates and times as Excel dates, formula-safe text. Memory stays flat whatever the row count
    (``zipfile`` writes to an unseekable pipe with data descriptors)."""
    return stream_workbook([(title, headers, rows)])


def stream_workbook(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> Iterator[bytes]:
    """``stream_xlsx`` with several sheets: ``(title, headers, rows)`` each, written in turn."""
    pipe = _Pipe()
    numbers = range(1, len(sheets) + 1)
    names = "".join(
        f'<sheet name="{escape(str(title)[:31] or "Data", {chr(34): "&quot;"})}" '
        f'sheetId="{n}" r:id="rId{n}"/>'
        for n, (title, _headers, _rows) in zip(numbers, sheets, strict=True)
    )
    with zipfile.ZipFile(  # type: ignore[call-overload]
        pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
    ) as archive:
        archive.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers)),
        )
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{names}</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            _WORKBOOK_RELS.format(sheets="".join(_SHEET_REL.format(n=n) for n in numbers)),
        )
        archive.writestr("xl/styles.xml", _STYLES)
        yield pipe.take()
        for n, (_title, headers, rows) in zip(numbers, sheets, strict=True):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as sheet:
                yield from _sheet(sheet, pipe, headers, rows)
    yield pipe.take()


def _sheet(
    sheet: Any, pipe: _Pipe, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Iterator[bytes]:
    sheet.write(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>"
    )
    parts = ["<row>", *(_cell(str(h)) for h in headers), "</row>"]
    texts: dict[str, str] = {}
    append = parts.append
    # The per-cell work inlined (this loop runs for every cell of a million-row export): text
    # through the cache, integers and floats written as they are, the rest by _cell.
    for n, row in enumerate(rows, 1):
        append("<row>")
        for value in row:
            kind = type(value)
            if kind is str:
                cell = texts.get(value)
                if cell is None:
                    cell = _text_cell(value)
                    if len(texts) < _TEXT_CACHE_SIZE:
                        texts[value] = cell
                append(cell)
            elif kind is Cells:  # written ahead by cells()
                append(value)
            elif kind is int or kind is float:
                append(f"<c><v>{value}</v></c>")
            elif value is None:
                append("<c/>")
            elif kind is dt.date:  # a due date on every row of a register
                append(f'<c s="1"><v>{(value - _EPOCH).days}</v></c>')
            else:
                append(_cell(value))
        append("</row>")
        if n % CHUNK_ROWS == 0:
            sheet.write("".join(parts).encode("utf-8"))
            parts.clear()
            yield pipe.take()
    parts.append("</sheetData></worksheet>")
    sheet.write("".join(parts).encode("utf-8"))


__all__ = [
    "Cells",
    "cells",
    "rows_to_csv",
    "rows_to_xlsx",
    "safe_cell",
    "stream_csv",
    "stream_workbook",
    "stream_xlsx",
]
