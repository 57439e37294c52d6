"""Reading OCDS 1.1 data: JSON Lines of compiled releases, release packages or record packages
(one per line, or one whole-file JSON document). Releases of one ``ocid`` are compiled with
``ocdsmerge``. Every problem is reported with its line, ``ocid``, JSON path and value.

Pure functions: no database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ocdsmerge

from pakta.procurement.cardinal.engine import parse_rfc3339

# ISO 4217 active codes (2024).
CURRENCIES = frozenset(
    [
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "ANG",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BGN",
        "BHD",
        "BIF",
        "BMD",
        "BND",
        "BOB",
        "BOV",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHE",
        "CHF",
        "CHW",
        "CLF",
        "CLP",
        "CNY",
        "COP",
        "COU",
        "CRC",
        "CUC",
        "CUP",
        "CVE",
        "CZK",
        "DJF",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GNF",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JMD",
        "JOD",
        "JPY",
        "KES",
        "KGS",
        "KHR",
        "KMF",
        "KPW",
        "KRW",
        "KWD",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "LYD",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MXV",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "PYG",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "RWF",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SLL",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TND",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "UGX",
        "USD",
        "USN",
        "UYI",
        "UYU",
        "UYW",
        "UZS",
        "VED",
        "VES",
        "VND",
        "VUV",
        "WST",
        "XAF",
        "XAG",
        "XAU",
        "XBA",
        "XBB",
        "XBC",
        "XBD",
        "XCD",
        "XDR",
        "XOF",
        "XPD",
        "XPF",
        "XPT",
        "XSU",
        "XTS",
        "XUA",
        "XXX",
        "YER",
        "YUM",
        "ZAR",
        "ZMW",
        "ZWL",
    ]
)

MERGER = ocdsmerge.Merger(merge_rules={})


@dataclass
class LineError:
    line: int
    path: str
    value: str
    message: str
    ocid: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "ocid": self.ocid,
            "path": self.path,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class Reading:
    """The compiled releases (with the line each starts on) and the problems found."""

    releases: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    lines: int = 0

    @property
    def bad_lines(self) -> set[int]:
        return {e.line for e in self.errors}


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_date_key(key: str) -> bool:
    return key == "date" or key.endswith("Date") or key.startswith("date")


def check_release(release: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(path, value, message) for each problem in a compiled release: the ``ocid``, amounts that
    are not numbers, currencies not in ISO 4217, dates that are not RFC 3339 with a time zone."""
    problems: list[tuple[str, str, str]] = []
    if not isinstance(release.get("ocid"), str) or not release.get("ocid"):
        problems.append(("ocid", _show(release.get("ocid", "")), "missing_ocid"))

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                here = f"{path}/{key}" if path else key
                if key == "amount" and not isinstance(value, dict):
                    if value is not None and (
                        isinstance(value, bool) or not isinstance(value, int | float)
                    ):
                        problems.append((here, _show(value), "amount_not_number"))
                elif key == "currency" and isinstance(node.get("amount", 0), int | float | str):
                    if value is not None and value not in CURRENCIES:
                        problems.append((here, _show(value), "unknown_currency"))
                elif _is_date_key(key) and isinstance(value, str):
                    if parse_rfc3339(value) is None:
                        problems.append((here, value, _date_problem(value)))
                else:
                    walk(value, here)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(release, "")
    return problems


def _date_problem(value: str) -> str:
    import datetime as dt

    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return "not_a_date"
    return "date_without_zone"


def _objects(text: str) -> Iterator[tuple[int, Any, str | None]]:
    """(line, JSON value, parse error) for each non-blank line; a whole-file JSON document (a
    pretty-printed package) counts as line 1."""
    stripped = text.strip()
    if "\n" in stripped and stripped[:1] in "{[":
        try:
            whole = json.loads(stripped)
        except ValueError:
            whole = None
        if isinstance(whole, dict):
            yield 1, whole, None
            return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), None
        except ValueError as error:
            yield number, None, str(error)


def read(content: bytes, *, progress: Callable[[int, int], None] | None = None) -> Reading:
    reading = Reading()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        reading.errors.append(LineError(1, "", "", "not_utf8"))
        return reading
    total = len(text.splitlines())
    reading.lines = total
    compiled: list[tuple[int, dict[str, Any]]] = []
    # Individual releases to compile, by ocid, with the first line each ocid appears on.
    to_merge: dict[str, list[dict[str, Any]]] = {}
    first_line: dict[str, int] = {}

    def add_release(line: int, release: Any, path: str) -> None:
        if not isinstance(release, dict):
            reading.errors.append(LineError(line, path, _show(release), "not_an_object"))
            return
        ocid = release.get("ocid")
        if not isinstance(ocid, str) or not ocid:
            reading.errors.append(LineError(line, f"{path}/ocid".lstrip("/"), "", "missing_ocid"))
            return
        to_merge.setdefault(ocid, []).append(release)
        first_line.setdefault(ocid, line)

    for number, value, error in _objects(text):
        if progress is not None and number % 200 == 0:
            progress(number, total)
        if error is not None:
            reading.errors.append(LineError(number, "", "", "not_json"))
            continue
        if not isinstance(value, dict):
            reading.errors.append(LineError(number, "", _show(value), "not_an_object"))
            continue
        if isinstance(value.get("records"), list):
            for index, record in enumerate(value["records"]):
                path = f"records[{index}]"
                if isinstance(record, dict) and isinstance(record.get("compiledRelease"), dict):
                    compiled.append((number, record["compiledRelease"]))
                elif isinstance(record, dict) and isinstance(record.get("releases"), list):
                    for j, release in enumerate(record["releases"]):
                        add_release(number, release, f"{path}/releases[{j}]")
                else:
                    reading.errors.append(LineError(number, path, "", "record_without_releases"))
        elif isinstance(value.get("releases"), list):
            for index, release in enumerate(value["releases"]):
                add_release(number, release, f"releases[{index}]")
        elif value.get("tag") in (None, ["compiled"]) or "compiled" in (value.get("tag") or []):
            compiled.append((number, value))
        else:
            add_release(number, value, "")
    for ocid, releases in to_merge.items():
        line = first_line[ocid]
        if len(releases) == 1 and "compiled" in (releases[0].get("tag") or []):
            compiled.append((line, releases[0]))
            continue
        try:
            merged = MERGER.create_compiled_release(releases)
        except ocdsmerge.exceptions.OCDSMergeError as error:
            reading.errors.append(LineError(line, "", ocid, f"merge_failed: {error}", ocid))
            continue
        compiled.append((line, merged))
    compiled.sort(key=lambda pair: pair[0])
    seen: set[str] = set()
    for line, release in compiled:
        problems = check_release(release)
        raw_ocid = release.get("ocid")
        ocid = raw_ocid if isinstance(raw_ocid, str) else ""
        for path, value, message in problems:
            reading.errors.append(LineError(line, path, value, message, ocid or ""))
        if problems:
            continue
        if ocid in seen:
            reading.errors.append(LineError(line, "ocid", ocid, "duplicate_ocid", ocid))
            continue
        seen.add(ocid)
        reading.releases.append((line, release))
    reading.errors.sort(key=lambda e: (e.line, e.path))
    if progress is not None:
        progress(total, total)
    return reading
