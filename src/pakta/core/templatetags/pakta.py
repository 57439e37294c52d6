"""Indonesian presentation: money as Rp1.250.000, dates as 26 Maret 2024."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils import formats

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


@register.simple_tag(takes_context=True)
def query_replace(context: template.Context, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return params.urlencode()
