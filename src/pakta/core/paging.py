"""Pages of long ordered lists: the database sorts the keys only, then reads the page's rows.

A register ordered across joins (unit path, official name) at the largest Pemda sorts tens of
thousands of rows for every page; sorting only their primary keys (a narrow sort) and reading the
page's rows by primary key afterwards costs a fraction of sorting the whole selected rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def rows_in_order(queryset: QuerySet[M], keys: Sequence[Any]) -> list[M]:
    """The rows of ``queryset`` with these primary keys, in the order of ``keys``."""
    found = queryset.order_by().in_bulk(list(keys))
    return [found[k] for k in keys if k in found]


def first_rows(queryset: QuerySet[M], count: int) -> list[M]:
    """The first ``count`` rows of an ordered queryset, sorted on the keys only."""
    return rows_in_order(queryset, list(queryset.values_list("pk", flat=True)[:count]))


def key_page(queryset: QuerySet[M], per_page: int, number: Any) -> Page:
    """``Paginator(queryset, per_page).get_page(number)`` with the page's rows read as above."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    page.object_list = rows_in_order(queryset, list(page.object_list))
    return page
