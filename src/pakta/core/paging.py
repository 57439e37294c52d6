"""Pages of long ordered lists: the database sorts the keys only, then reads the page's rows.

A register ordered across joins (unit path, official name) at the largest Pemda sorts tens of
thousands of rows for every page; sorting only their primary keys (a narrow sort) and reading the
page's rows by primary key afterwards costs a fraction of sorting the whole selected rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, Model, Q, QuerySet

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


class _BlockKeys:
    """The primary keys of a queryset ordered first by a column of a foreign key (``unit__path``),
    for ``Paginator``: counted per key of that foreign key (one GROUP BY, read from an index), and
    a page's slice read only from the blocks of rows it falls in."""

    def __init__(self, queryset: QuerySet[Any], block: str, order: str) -> None:
        self.queryset = queryset
        self.block = block
        counts: dict[Any, int] = dict(
            queryset.order_by().values_list(block).annotate(n=Count("pk")).values_list(block, "n")
        )
        related = queryset.model._meta.get_field(block).related_model
        keyed = (
            related._base_manager.filter(pk__in=[k for k in counts if k is not None])
            .order_by(order, "pk")
            .values_list("pk", order)
        )
        # Consecutive rows of equal order values are one block: the query orders them together.
        self.blocks: list[tuple[list[Any], int]] = []
        last: Any = object()
        for pk, value in keyed:
            if self.blocks and value == last:
                self.blocks[-1][0].append(pk)
                self.blocks[-1] = (self.blocks[-1][0], self.blocks[-1][1] + counts[pk])
            else:
                self.blocks.append(([pk], counts[pk]))
            last = value
        if None in counts:
            # No foreign key: where the database puts NULL in an ascending order.
            nulls = ([None], counts[None])
            if connections[queryset.db].features.nulls_order_largest:
                self.blocks.append(nulls)
            else:
                self.blocks.insert(0, nulls)
        self.total = sum(counts.values())

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[Any]:
        start, stop = window.start or 0, self.total if window.stop is None else window.stop
        keys: list[Any] = []
        offset, position = 0, 0
        for members, size in self.blocks:
            if position + size > start and position < stop:
                if not keys:
                    offset = start - position
                keys.extend(members)
            position += size
        if not keys:
            return []
        where = Q(**{f"{self.block}__in": [k for k in keys if k is not None]})
        if None in keys:
            where |= Q(**{f"{self.block}__isnull": True})
        rows = self.queryset.filter(where).values_list("pk", flat=True)
        return list(rows[offset : offset + stop - start])


def block_key_page(
    queryset: QuerySet[M], per_page: int, number: Any, *, block: str, order: str
) -> Page:
    """``key_page`` for a queryset whose ordering starts with ``<block>__<order>`` ascending (or
    with columns that are constant in it, such as the year it is filtered on): the same page, but
    the database sorts only the rows of the blocks (units) the page falls in, not all of them.
    At the largest Pemda the agreement register sorted 60,000 agreements for every page; now it
    counts them per unit by an index and sorts one OPD's (docs/scale.md)."""
    # Paginator needs only count() and slices of the keys (not the stubs' whole protocol).
    keys: Any = _BlockKeys(queryset, block, order)
    page = Paginator(keys, per_page).get_page(number)
    page.object_list = rows_in_order(queryset, list(page.object_list))
    return page
