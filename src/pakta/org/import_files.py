"""Reading HR exports as they come: CSV in any common encoding and separator, and spreadsheets
(.xlsx, .xls, .ods) through python-calamine, every sheet, the header row found wherever it is.

Everything here is about the file; what the values mean is in ``import_values``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pakta.core.errors import DomainError

KINDS = {
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
}
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# The first rows of a sheet searched for the header (title rows, logos and notes come first).
HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")
FLOAT_EXACT_LIMIT = 2**53
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def file_kind(name: str, head: bytes) -> str:
    """The format of an upload from its name, checked against its first bytes."""
    lower = name.lower()
    kind = next((k for ext, k in KINDS.items() if lower.endswith(ext)), None)
    if kind is None:
        raise DomainError(
            _("Only CSV (.csv) and spreadsheet (.xlsx, .xls, .ods) files can be imported.")
        )
    if kind in {"xlsx", "ods"} and not head.startswith(b"PK"):
        raise DomainError(
            _("The file is named %(ext)s but is not a spreadsheet.")
            % {"ext": "." + lower.rsplit(".", 1)[-1]}
        )
    if kind == "xls" and not head.startswith(OLE_MAGIC):
        if head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
            # Some HR systems save an HTML table named .xls.
            raise DomainError(
                _(
                    "The file is named .xls but is a web page (HTML); open it in Excel and save it as .xlsx."
                )
            )
        raise DomainError(_("The file is named .xls but is not an Excel workbook."))
    if kind == "csv" and (head.startswith((b"PK", OLE_MAGIC)) or _binary(head)):
        raise DomainError(_("The file is named .csv but is not a text file."))
    return kind


def _binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text (Excel's "Unicode text")
    return b"\x00" in head[:4096]


# --- Text files ---------------------------------------------------------------------------------


def decode_text(content: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such; anything else is
    identified by charset-normalizer among the encodings Indonesian offices' Windows machines
    write (Windows-1252, Latin-1).
    """
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(content, cp_isolation=["cp1252", "latin_1", "cp850"]).best()
    if best is None:
        for encoding in ("cp1252", "latin_1"):
            try:
                return content.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
        raise DomainError(_("The text encoding of the file cannot be recognised."))
    return str(best), best.encoding


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most consistent number of fields."""
    sample = [line for line in text[:65536].splitlines()[:40] if line.strip()]
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        counts: dict[int, int] = {}
        for row in csv.reader(sample, delimiter=delimiter):
            if len(row) > 1:
                counts[len(row)] = counts.get(len(row), 0) + 1
        if not counts:
            continue
        width, lines = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = lines * 1000 + width
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- Cells --------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= FLOAT_EXACT_LIMIT:
            # Past 2**53 a float has lost the last digits (an 18-digit NIP typed into a number
            # cell): show it as the spreadsheet does, so that the row is refused, not mis-read.
            return f"{value:.14E}".replace(".00000000000000", "").upper()
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return str(value).strip()


# --- Sheets -------------------------------------------------------------------------------------


class Source:
    """An uploaded file opened for reading: its sheets (one for CSV) and their rows as text."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name = name
        self.content = content
        self.kind = file_kind(name, content[:4096])
        self.encoding = ""
        self.delimiter = ""
        self._text = ""
        self._book: Any = None
        if self.kind == "csv":
            self._text, self.encoding = decode_text(content)
            self.delimiter = sniff_delimiter(self._text)
            self.sheet_names = [""]
        else:
            from python_calamine import CalamineWorkbook

            try:
                self._book = CalamineWorkbook.from_filelike(io.BytesIO(content))
                self.sheet_names = list(self._book.sheet_names)
            except Exception:
                raise DomainError(
                    _(
                        "The spreadsheet cannot be read; it may be damaged or protected by a password. Save it again as .xlsx."
                    )
                ) from None

    def rows(self, sheet: str = "", *, strip: bool = True) -> Iterator[list[str]]:
        """Every row of a sheet as text, from the first line of the sheet (line 1).

        ``strip=False`` leaves the spaces around CSV cells to the caller (who cleans them).
        """
        if self.kind == "csv":
            reader = csv.reader(io.StringIO(self._text), delimiter=self.delimiter)
            if not strip:
                yield from reader
                return
            for row in reader:
                yield [cell.strip() for cell in row]
            return
        try:
            data = self._book.get_sheet_by_name(sheet or self.sheet_names[0])
            for values in data.iter_rows():
                yield [cell_text(v) for v in values]
        except DomainError:
            raise
        except Exception:
            raise DomainError(
                _("The sheet %(sheet)s cannot be read; it may be damaged.") % {"sheet": sheet}
            ) from None

    def estimate_rows(self, sheet: str = "") -> int:
        """The number of rows, cheaply (for the progress bar): lines of text, or sheet height."""
        if self.kind == "csv":
            return self._text.count("\n") + (0 if self._text.endswith("\n") else 1)
        try:
            return int(self._book.get_sheet_by_name(sheet or self.sheet_names[0]).height)
        except Exception:
            return 0

    def head(self, sheet: str = "", count: int = HEADER_SEARCH_ROWS + 1) -> list[list[str]]:
        rows = []
        for row in self.rows(sheet):
            rows.append(row)
            if len(rows) >= count:
                break
        return rows


def read_rows(name: str, content: bytes) -> Iterator[list[str]]:
    """The rows of the first sheet of a file as text (kept for simple one-sheet imports)."""
    source = Source(name, content)
    yield from source.rows(source.sheet_names[0])


# --- Finding the header --------------------------------------------------------------------------


def header_key(value: Any) -> str:
    """A header as compared with the aliases: upper case, punctuation and spacing folded."""
    return re.sub(r"[^0-9A-Z]+", " ", str(value or "").upper()).strip()


@dataclass
class Header:
    """Where a sheet's header is: the line of its last row (1-based), how many rows it spans,
    the column names and which fields they hold."""

    sheet: str
    line: int
    height: int
    names: list[str]
    mapping: dict[str, str]
    required_found: int = 0
    data_rows: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> tuple[int, int, int]:
        return (self.required_found, len(self.mapping), -self.height)


def _fill_right(row: list[str], width: int) -> list[str]:
    """Cells of a row with merged titles spread over the empty cells to their right."""
    filled, last = [], ""
    for index in range(width):
        value = row[index] if index < len(row) else ""
        last = value or last
        filled.append(last)
    return filled


def _trim(names: list[str]) -> list[str]:
    while names and not names[-1]:
        names.pop()
    return names


def header_candidates(rows: list[list[str]]) -> Iterator[tuple[int, int, list[list[str]]]]:
    """Each row as a header, and each pair of rows as a two-row header.

    Yields (line, height, columns) where each column lists the names it could go by, the
    displayed one first: a two-row header offers "JABATAN NAMA" and "NAMA" for a column under
    a merged "JABATAN".
    """
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in row if cell) < 2:
            continue
        yield index + 1, 1, [[cell] for cell in _trim(list(row))]
        if index + 1 < len(rows):
            below = rows[index + 1]
            width = max(len(row), len(below))
            top = _fill_right(row, width)
            columns = []
            for column in range(width):
                low = below[column] if column < len(below) else ""
                own = row[column] if column < len(row) else ""
                if not low:
                    columns.append([own])
                elif not top[column]:
                    columns.append([low])
                else:
                    columns.append([f"{top[column]} {low}", low])
            while columns and not columns[-1][0]:
                columns.pop()
            yield index + 2, 2, columns


Recognise = Callable[[list[list[str]]], tuple[list[str], dict[str, str]]]


def find_header(
    rows: list[list[str]], sheet: str, recognise: Recognise, required: list[str]
) -> Header | None:
    """The most likely header among the first rows of a sheet.

    ``recognise`` names the columns and maps fields to them; the candidate recognising the
    most required fields, then the most fields, wins (a one-row header on a tie).
    """
    best: Header | None = None
    for line, height, columns in header_candidates(rows):
        names, mapping = recognise(columns)
        header = Header(
            sheet=sheet,
            line=line,
            height=height,
            names=names,
            mapping=mapping,
            required_found=sum(1 for key in required if key in mapping),
        )
        if best is None or header.score > best.score:
            best = header
    if best is not None and not best.mapping:
        # Nothing recognised: the first row with several cells is the likeliest header.
        first = next(
            (i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if sum(1 for c in row if c) > 1),
            None,
        )
        if first is not None:
            best = Header(
                sheet=sheet, line=first + 1, height=1, names=_trim(list(rows[first])), mapping={}
            )
    return best
