"""The vocabulary of real HR exports: header aliases (BKN SIASN, SIMPEG nominatif, the import
template) and the spellings of values (dates, golongan, eselon, job types, NIPs, titles, legal
status), each turned into one form."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy

from pakta.org.import_files import header_key
from pakta.org.models import Position

# Canonical fields: label, header aliases (compared through ``header_key``), required.
FIELDS: dict[str, tuple[Any, tuple[str, ...], bool]] = {
    "nip": (gettext_lazy("NIP"), ("NIP", "NIP BARU", "NIPBARU", "NIP 18"), True),
    "name": (
        gettext_lazy("Name"),
        ("NAMA", "NAMA PEGAWAI", "NAMA LENGKAP", "NAMA ASN", "NAME"),
        True,
    ),
    "position": (
        gettext_lazy("Position"),
        (
            "JABATAN",
            "NAMA JABATAN",
            "JABATAN NAMA",
            "JABATAN TERAKHIR",
            "JABATAN SEKARANG",
            "POSITION",
        ),
        True,
    ),
    "unit": (
        gettext_lazy("Unit"),
        (
            "UNIT KERJA",
            "UNOR",
            "UNOR NAMA",
            "UNIT ORGANISASI",
            "SATKER",
            "UNIT",
            "UNIT KERJA NAMA",
        ),
        True,
    ),
    "sub_unit": (gettext_lazy("Sub-unit"), ("SUB UNIT KERJA", "SUB UNIT", "SUB UNOR"), False),
    "parent_unit": (
        gettext_lazy("Parent unit"),
        ("UNIT INDUK", "UNOR INDUK", "UNOR INDUK NAMA", "INDUK", "OPD INDUK", "PARENT UNIT"),
        False,
    ),
    "opd": (
        gettext_lazy("Regional agency (OPD/SKPD)"),
        (
            "SKPD",
            "OPD",
            "PERANGKAT DAERAH",
            "SATUAN KERJA",
            "SATUAN KERJA NAMA",
            "SATUAN KERJA KERJA NAMA",
        ),
        False,
    ),
    "golongan": (
        gettext_lazy("Rank/golongan"),
        (
            "GOLONGAN",
            "GOL",
            "GOL RUANG",
            "GOLONGAN RUANG",
            "PANGKAT GOL",
            "PANGKAT GOL RUANG",
            "PANGKAT GOLONGAN",
            "PANGKAT",
            "GOL AKHIR NAMA",
            "GOL AKHIR",
        ),
        False,
    ),
    "level": (
        gettext_lazy("Eselon/level"),
        (
            "ESELON JENJANG",
            "ESELON",
            "ESELON NAMA",
            "JABATAN ESELON",
            "JENJANG",
            "JENJANG JABATAN",
            "LEVEL",
        ),
        False,
    ),
    "job_type": (
        gettext_lazy("Job type"),
        ("JENIS JABATAN", "JENIS JABATAN NAMA", "JABATAN JENIS"),
        False,
    ),
    "front_title": (gettext_lazy("Title before the name"), ("GELAR DEPAN",), False),
    "back_title": (gettext_lazy("Title after the name"), ("GELAR BELAKANG",), False),
    "email": (gettext_lazy("E-mail"), ("EMAIL", "E MAIL", "SUREL", "EMAIL GOV"), False),
    "start_date": (
        gettext_lazy("Start date in the position"),
        ("TMT JABATAN", "JABATAN TMT", "TMT", "TANGGAL MULAI"),
        False,
    ),
    "legal_status": (
        gettext_lazy("Legal status (kedudukan hukum)"),
        ("KEDUDUKAN HUKUM", "KEDUDUKAN HUKUM NAMA", "KEDUDUKAN", "STATUS KEDUDUKAN"),
        False,
    ),
}
REQUIRED = [key for key, (_label, _aliases, required) in FIELDS.items() if required]
ALIASES = {
    header_key(alias): key for key, (_label, aliases, _req) in FIELDS.items() for alias in aliases
}


def recognise(columns: list[list[str]]) -> tuple[list[str], dict[str, str]]:
    """Name each column and map the fields to the columns whose name is a known alias."""
    names: list[str] = []
    mapping: dict[str, str] = {}
    for alternatives in columns:
        chosen = alternatives[0]
        for name in alternatives:
            key = ALIASES.get(header_key(name))
            if key is not None and key not in mapping:
                chosen = name
                mapping[key] = name
                break
        names.append(chosen)
    return names, mapping


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Map canonical fields to the file's headers by their usual names."""
    return recognise([[h] for h in headers])[1]


# --- Values ------------------------------------------------------------------------------------

NULLS = {"NULL", "(NULL)", "NONE", "#N/A", "N/A", "NAN"}
SPACES_RE = re.compile(r"[\s\u00a0\u2007\u202f\ufeff]+")


ODD_SPACES_RE = re.compile(r"\s\s|[\u00a0\t\n\r\u2007\u202f\ufeff]")


def clean(value: str) -> str:
    """A cell as the user meant it: spaces folded, a stray leading ``'`` and "null" dropped."""
    text = value.strip()
    if not text:
        return ""
    # Plain ASCII without tabs, line breaks or double spaces (most cells) needs no folding;
    # ``isascii`` is a flag test and ``isprintable`` one pass in C.
    if (not text.isascii() or not text.isprintable() or "  " in text) and ODD_SPACES_RE.search(
        text
    ):
        text = SPACES_RE.sub(" ", text).strip()
    if text[0] == "'":
        text = text[1:].strip()
    if len(text) <= 6 and text.upper() in NULLS:
        return ""
    return text


NIP_PREFIX_RE = re.compile(r"^NIP\s*[.:]?\s*", re.IGNORECASE)
NIP_NOISE_RE = re.compile(r"[\s\u00a0.\-_/]+")
LOST_DIGITS_RE = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)


def clean_nip(value: str) -> str:
    """A NIP as typed: "NIP. 19850314 201001 1 002", with dots, dashes or a leading ``'``."""
    text = clean(value)
    if LOST_DIGITS_RE.match(text):
        return text.upper()
    text = NIP_PREFIX_RE.sub("", text)
    return NIP_NOISE_RE.sub("", text)


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan", "january"),
            ("februari", "feb", "pebruari", "peb", "february"),
            ("maret", "mar", "march"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("agustus", "agu", "agt", "ags", "aug", "august"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct", "october"),
            ("november", "nov", "nop", "nopember"),
            ("desember", "des", "dec", "december"),
        ],
        start=1,
    )
    for name in names
}
NUMERIC_DATE_RE = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T].*)?$")
WORD_DATE_RE = re.compile(r"^(\d{1,2})[\s\-/.]+([A-Za-z]+)[\s\-/.,]+(\d{4})$")


@lru_cache(maxsize=8192)
def parse_date(text: str) -> dt.date | None:
    """2020-12-01, 01-12-2020, 01/12/2020, 01.12.2020 and 1 Desember 2020 (day first)."""
    if len(text) >= 10 and text[4] == text[7] == "-" and text[:10].replace("-", "").isdigit():
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    try:
        if match := NUMERIC_DATE_RE.match(text):
            a, b, c = match.groups()
            if len(a) == 4:
                return dt.date(int(a), int(b), int(c))
            if len(c) == 4:
                return dt.date(int(c), int(b), int(a))
            return None
        if match := WORD_DATE_RE.match(text):
            day, month, year = match.groups()
            number = MONTHS.get(month.lower())
            return dt.date(int(year), number, int(day)) if number else None
    except ValueError:
        return None
    return None


PANGKAT = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
GOLONGAN_RE = re.compile(r"(?<![A-Za-z])(IV|III|II|I|[1-4])\s*[/.\-]?\s*([a-eA-E])(?![A-Za-z])")
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


@lru_cache(maxsize=4096)
def normalize_golongan(text: str) -> str:
    """ "Penata Muda Tk. I, III/b", "III.b", "3b" and "III/b" all become
    "Penata Muda Tingkat I (III/b)"; anything else (PPPK grades, "4") is kept as written."""
    matches = GOLONGAN_RE.findall(text)
    if not matches:
        return text[:40]
    group, room = matches[-1]
    code = f"{ROMAN.get(group, group.upper())}/{room.lower()}"
    pangkat = PANGKAT.get(code)
    return f"{pangkat} ({code})" if pangkat else text[:40]


L = Position.Level
LEVEL_WORDS = {
    "JPT UTAMA": L.JPT_UTAMA,
    "JPT MADYA": L.JPT_MADYA,
    "JPT PRATAMA": L.JPT_PRATAMA,
    "JABATAN PIMPINAN TINGGI UTAMA": L.JPT_UTAMA,
    "JABATAN PIMPINAN TINGGI MADYA": L.JPT_MADYA,
    "JABATAN PIMPINAN TINGGI PRATAMA": L.JPT_PRATAMA,
    "PIMPINAN TINGGI UTAMA": L.JPT_UTAMA,
    "PIMPINAN TINGGI MADYA": L.JPT_MADYA,
    "PIMPINAN TINGGI PRATAMA": L.JPT_PRATAMA,
    "ADMINISTRATOR": L.ADMINISTRATOR,
    "JABATAN ADMINISTRATOR": L.ADMINISTRATOR,
    "PENGAWAS": L.PENGAWAS,
    "JABATAN PENGAWAS": L.PENGAWAS,
    "FUNGSIONAL": L.FUNGSIONAL,
    "FUNGSIONAL TERTENTU": L.FUNGSIONAL,
    "JABATAN FUNGSIONAL": L.FUNGSIONAL,
    "JABATAN FUNGSIONAL TERTENTU": L.FUNGSIONAL,
    "JFT": L.FUNGSIONAL,
    "JF": L.FUNGSIONAL,
    "PELAKSANA": L.PELAKSANA,
    "JABATAN PELAKSANA": L.PELAKSANA,
    "FUNGSIONAL UMUM": L.PELAKSANA,
    "JABATAN FUNGSIONAL UMUM": L.PELAKSANA,
    "JFU": L.PELAKSANA,
    "STAF": L.PELAKSANA,
}
# "Non Eselon", "-" and empty cells say only that the post is not structural.
NOT_STRUCTURAL = {"", "NON ESELON", "NONESELON", "TIDAK ADA", "BUKAN ESELON", "0", "99"}
ESELON_LEVELS = {
    "I": L.JPT_MADYA,
    "II": L.JPT_PRATAMA,
    "III": L.ADMINISTRATOR,
    "IV": L.PENGAWAS,
    # Eselon V (Kepala Sub Seksi, abolished since 2014) was the lowest structural post.
    "V": L.PENGAWAS,
}
ESELON_RE = re.compile(r"^(?:ESELON\s*)?(V|IV|III|II|I|[1-5])(?:\s*([AB12]))?$")
# SIASN's eselon codes: 11 = I.a, 12 = I.b, 21 = II.a ... 51 = V.a.
ESELON_CODE_RE = re.compile(r"^([1-5])([12])$")


@lru_cache(maxsize=4096)
def parse_level(value: str, job_type: str = "") -> str | None:
    """The position level from the eselon or level cell, helped by the job type.

    Returns None when the value is not known; "Non Eselon", "-" and empty give the job type's
    level (fungsional for a "Fungsional Tertentu" post), else pelaksana.
    """
    text = header_key(value)
    if text in LEVEL_WORDS:
        return LEVEL_WORDS[text]
    if text in NOT_STRUCTURAL or value.strip() in {"-", "--", "—"}:
        return parse_job_type(job_type) or L.PELAKSANA
    if match := ESELON_CODE_RE.match(text):
        group = ROMAN.get(match.group(1), "V")
        if group == "I" and match.group(2) == "1":
            return L.JPT_UTAMA
        return ESELON_LEVELS[group]
    if match := ESELON_RE.match(text):
        group = ROMAN.get(match.group(1), match.group(1))
        if group == "I" and match.group(2) in {"A", "1"}:
            return L.JPT_UTAMA
        return ESELON_LEVELS[group]
    return None


def parse_job_type(value: str) -> str | None:
    """The level a job type implies: fungsional tertentu, or pelaksana for fungsional umum."""
    text = header_key(value)
    if text in LEVEL_WORDS:
        return LEVEL_WORDS[text]
    if "TERTENTU" in text:
        return L.FUNGSIONAL
    if "UMUM" in text or "PELAKSANA" in text:
        return L.PELAKSANA
    return None


# --- Legal status (KEDUDUKAN HUKUM) -----------------------------------------------------------

ACTIVE = "active"
LEFT = "left"
STATUS_LEFT_WORDS = (
    "PENSIUN",
    "CLTN",
    "CUTI DI LUAR TANGGUNGAN",
    "MENINGGAL",
    "WAFAT",
    "DIBERHENTIKAN",
    "BERHENTI",
    "PEMBERHENTIAN",
    "MPP",
    "MASA PERSIAPAN PENSIUN",
    "PINDAH KELUAR",
    "MUTASI KELUAR",
    "TEWAS",
)


@lru_cache(maxsize=1024)
def parse_legal_status(value: str) -> str:
    """Whether a kedudukan hukum keeps the official in post: pensiun, CLTN, meninggal and
    diberhentikan end the assignment; aktif and anything else keep it."""
    text = header_key(value)
    if any(word in text for word in STATUS_LEFT_WORDS) and text != "AKTIF":
        return LEFT
    return ACTIVE


# --- Names and titles -----------------------------------------------------------------------

FRONT_TITLES = {
    "PROF",
    "DR",
    "DRS",
    "DRA",
    "IR",
    "H",
    "HJ",
    "KH",
    "NS",
    "APT",
    "DRG",
    "DRH",
    "HAJI",
    "HAJJAH",
    "TGH",
    "USTADZ",
}
BACK_TITLE_RE = re.compile(r"^[A-Za-z][A-Za-z.\s()&-]{0,14}\.?$")


def split_titles(name: str) -> tuple[str, str, str]:
    """ "Dr. H. Ahmad Fauzi, S.H., M.Si." -> ("Dr. H.", "Ahmad Fauzi", "S.H., M.Si.")."""
    back = ""
    if "," in name:
        head, _sep, tail = name.partition(",")
        parts = [p.strip() for p in tail.split(",") if p.strip()]
        if parts and all(BACK_TITLE_RE.match(p) and ("." in p or p.isupper()) for p in parts):
            name, back = head.strip(), ", ".join(parts)
    front: list[str] = []
    words = name.split()
    while len(words) > 1:
        word = words[0]
        if word.rstrip(".").upper() in FRONT_TITLES and (
            word.endswith(".") or word.upper() in {"PROF", "DR", "IR", "KH"}
        ):
            front.append(words.pop(0))
        else:
            break
    return " ".join(front), " ".join(words), back
