"""Shapes of Indonesian identifiers declared for people and companies.

* NIK (Nomor Induk Kependudukan, UU 24/2013): 16 digits — 6 of the region (province, regency,
  district), 6 of the birth date as DDMMYY with 40 added to the day for women, 4 of a serial.
* NPWP: 15 digits (the old form, 99.999.999.9-999.999) or 16 digits (PMK 112/2022: the NIK for
  residents, a 16-digit NPWP for others); dots and dashes are allowed when typed.
* NIB (Nomor Induk Berusaha, OSS, PP 5/2021): 13 digits.
* A share in a company: 0 to 100 percent.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-]")


def clean_digits(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


def nik_birth_date(value: str) -> dt.date:
    """The birth date encoded in a NIK (women's day has 40 added). Raises ValueError."""
    day, month, year = int(value[6:8]), int(value[8:10]), int(value[10:12])
    if day > 40:
        day -= 40
    # Two-digit year: a NIK holder is born in this century up to this year, else the last one.
    century = 2000 if 2000 + year <= timezone.localdate().year else 1900
    return dt.date(century + year, month, day)


def validate_nik(value: str) -> str:
    nik = clean_digits(value)
    if not re.fullmatch(r"\d{16}", nik):
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_shape")
    try:
        nik_birth_date(nik)
    except ValueError:
        raise ValidationError(
            _("The NIK's date part (digits 7 to 12) is not a possible birth date."),
            code="nik_date",
        ) from None
    if nik[:6] == "000000" or nik[12:] == "0000":
        raise ValidationError(_("This NIK's region or serial number is zero."), code="nik_zero")
    return nik


def validate_npwp(value: str) -> str:
    npwp = clean_digits(value)
    if not re.fullmatch(r"\d{15}|\d{16}", npwp):
        raise ValidationError(_("An NPWP has 15 or 16 digits."), code="npwp_shape")
    return npwp


def validate_nib(value: str) -> str:
    nib = clean_digits(value)
    if not re.fullmatch(r"\d{13}", nib):
        raise ValidationError(_("A NIB has exactly 13 digits."), code="nib_shape")
    return nib


def validate_share(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        share = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("A share is a number of percent."), code="share") from None
    if not (Decimal(0) <= share <= Decimal(100)):
        raise ValidationError(_("A share is between 0 and 100 percent."), code="share_range")
    return share
