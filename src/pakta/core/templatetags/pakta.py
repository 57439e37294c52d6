"""Indonesian presentation: money as Rp1.250.000, dates as 26 Maret 2024, times as 20.57 WITA."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats, timezone

register = template.Library()


def format_rupiah(value: Any) -> str:
    """``Rp1.250.000``; negative amounts as ``-Rp1.250.000``; sen are rounded away."""
    if value in (None, ""):
        return ""
    amount = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    digits = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{sign}Rp{digits}"


@register.filter
def rupiah(value: Any) -> str:
    return format_rupiah(value)


@register.filter
def tanggal(value: dt.date | None) -> str:
    """The date in the active language's long form, e.g. ``26 Maret 2024``."""
    if value is None:
        return ""
    return formats.date_format(value, "DATE_FORMAT")


def format_waktu(value: dt.datetime | None, zone_name: str) -> str:
    """``26 Maret 2024 20.57 WITA``: the moment in a Pemda's own zone, in the active
    language's ``DATETIME_FORMAT`` (which names the zone)."""
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value, ZoneInfo(zone_name)), "DATETIME_FORMAT")


@register.filter
def waktu(value: dt.datetime | None, pemda: Any) -> str:
    """``{{ report.created_at|waktu:pemda }}``: date and time in the Pemda's zone."""
    return format_waktu(value, getattr(pemda, "timezone", "") or "Asia/Jakarta")


@register.simple_tag(takes_context=True)
def query_replace(context: template.Context, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return params.urlencode()
