"""Numbers as Indonesian documents write them: ``angka`` (1.250,5), ``rupiah`` (Rp1.250.000),
``target`` (7-8 for a range)."""

from __future__ import annotations

from typing import Any

from django import template

from pakta.performance import rendering

register = template.Library()


@register.filter
def angka(value: Any) -> str:
    return rendering.angka(value)


@register.filter
def rupiah(value: Any) -> str:
    return rendering.rupiah(value)


@register.simple_tag
def target(value: Any, upper: Any = None) -> str:
    return rendering.target_text(value, upper)
