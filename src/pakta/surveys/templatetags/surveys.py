from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def score(value: Any) -> str:
    return "—" if value is None else number_format(round(value, 2), 2)


@register.filter
def add_total(rows: list[Any], total: Any) -> list[Any]:
    return [total, *rows] if total is not None else list(rows)
