"""NIP (Nomor Induk Pegawai) validation.

An 18-digit NIP reads ``YYYYMMDD YYYYMM S NNN``: the birth date, the year and month of
appointment as CPNS, the sex (1 male, 2 female) and a serial number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_BIRTH_YEAR = 1940
MIN_APPOINTMENT_AGE = 18


@dataclass(frozen=True)
class NipParts:
    birth_date: dt.date
    appointment_year: int
    appointment_month: int
    sex: str  # "L" (laki-laki) or "P" (perempuan)
    serial: int


def parse_nip(value: str, *, today: dt.date | None = None) -> NipParts:
    """Return the parts of a valid NIP or raise ``ValidationError`` saying what is wrong."""
    nip = (value or "").strip().replace(" ", "")
    birth, year, month = check_nip(nip, today=today)
    return NipParts(
        birth_date=birth,
        appointment_year=year,
        appointment_month=month,
        sex="L" if nip[14] == "1" else "P",
        serial=int(nip[15:18]),
    )


def check_nip(nip: str, *, today: dt.date | None = None) -> tuple[dt.date, int, int]:
    """Check a NIP already cleaned of spaces: its birth date, appointment year and month, or
    ``ValidationError`` saying what is wrong. (The checks of ``parse_nip``, without building its
    result: an import checks every row's NIP.)"""
    today = today or dt.date.today()  # noqa: DTZ011  (a calendar date, not an instant)
    if not nip.isdigit() or not nip.isascii():
        raise ValidationError(_("The NIP must contain digits only."), code="nip_digits")
    if len(nip) != 18:
        raise ValidationError(
            _("The NIP must have 18 digits; this one has %(count)d.") % {"count": len(nip)},
            code="nip_length",
        )
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("The first 8 digits of the NIP (%(part)s) are not a real birth date.")
            % {"part": nip[0:8]},
            code="nip_birth_date",
        ) from None
    if birth.year < MIN_BIRTH_YEAR or birth > today:
        raise ValidationError(
            _("The birth date in the NIP (%(part)s) is not plausible.") % {"part": nip[0:8]},
            code="nip_birth_date",
        )
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Digits 9 to 14 of the NIP (%(part)s) are not a valid appointment year and month.")
            % {"part": nip[8:14]},
            code="nip_appointment",
        )
    eighteenth = (birth.year + MIN_APPOINTMENT_AGE, birth.month)
    if (year, month) < eighteenth:
        raise ValidationError(
            _("The appointment month in the NIP (%(part)s) is before the official's 18th birthday.")
            % {"part": nip[8:14]},
            code="nip_appointment_too_early",
        )
    if (year, month) > (today.year, today.month):
        raise ValidationError(
            _("The appointment month in the NIP (%(part)s) is in the future.")
            % {"part": nip[8:14]},
            code="nip_appointment_future",
        )
    if nip[14] not in "12":
        raise ValidationError(
            _("Digit 15 of the NIP must be 1 (male) or 2 (female), not %(digit)s.")
            % {"digit": nip[14]},
            code="nip_sex",
        )
    if nip.endswith("000"):
        raise ValidationError(
            _("The serial number in the NIP (last 3 digits) cannot be 000."), code="nip_serial"
        )
    return birth, year, month


def validate_nip(value: str) -> None:
    parse_nip(value)


def normalize_nip(value: str) -> str:
    return (value or "").strip().replace(" ", "")
