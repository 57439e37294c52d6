"""Reads of the performance exports: plain values, a few queries per chunk of agreements.

The exports of the largest Pemda run to 60,000 agreements and 1.2 million indicator-quarters; a
model instance with its joined ones per row cost more than everything else together. These read
``values_list`` rows (joined names included) in chunks, so the time per row is a tuple and the
memory stays flat; the row builders (labels, achievement, formatting) are in
``pakta.performance.imports`` and ``pakta.performance.dashboard_views``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import QuerySet

from pakta.core.values import values_rows
from pakta.org.models import Pemda, Unit, full_name
from pakta.org.selectors import unit_scope_q
from pakta.performance.measure import target_of
from pakta.performance.models import (
    QUARTERS,
    AgreementAchievement,
    Indicator,
    PerformanceAgreement,
    QuarterTarget,
    Realization,
)

CHUNK = 2000  # agreements per look-up of their indicators, targets and realizations


def _ordered(
    agreements: QuerySet[PerformanceAgreement] | Sequence[PerformanceAgreement],
) -> QuerySet[PerformanceAgreement]:
    """The agreements as a query in the register's order (a list: those agreements), the primary
    key last so that namesakes keep one order from one export to the next."""
    if isinstance(agreements, QuerySet):
        return agreements.order_by(*agreements.query.order_by, "pk")
    return PerformanceAgreement.objects.filter(pk__in=[a.pk for a in agreements]).order_by(
        "-year", "unit__path", "official__name", "-version", "pk"
    )


class AgreementRow(NamedTuple):
    year: int
    version: int
    unit: str
    nip: str
    official: str
    position: str
    superior: str
    status: str
    due_date: Any
    signed_at: Any
    revision_reason: str
    timezone: str  # the Pemda's (its signing day is shown in that zone)


def agreement_rows(
    agreements: QuerySet[PerformanceAgreement] | Sequence[PerformanceAgreement],
) -> Iterator[AgreementRow]:
    """One row per agreement, in the register's order: one query, read ``CHUNK`` at a time."""
    rows = (
        _ordered(agreements)
        .values_list(
            "year",
            "version",
            "unit__name",
            "official__nip",
            "official__front_title",
            "official__name",
            "official__back_title",
            "position_title",
            "superior__front_title",
            "superior__name",
            "superior__back_title",
            "status",
            "due_date",
            "signed_at",
            "revision_reason",
            "pemda__timezone",
        )
        .iterator(chunk_size=CHUNK)
    )
    for (
        year,
        version,
        unit,
        nip,
        front,
        name,
        back,
        position,
        s_front,
        s_name,
        s_back,
        status,
        due,
        signed,
        reason,
        zone,
    ) in rows:
        yield AgreementRow(
            year,
            version,
            unit or "",
            nip,
            full_name(front, name, back),
            position,
            full_name(s_front, s_name, s_back) if s_name is not None else "",
            status,
            due,
            signed,
            reason,
            zone or "",
        )


class IndicatorQuarters(NamedTuple):
    """One indicator with its four quarters, with the agreement's and the official's names."""

    agreement: int  # the agreement's primary key (its indicators come one after the other)
    year: int
    unit: str
    nip: str
    official: str
    goal: str
    indicator: str
    unit_of_measure: str
    polarity: str
    weight: Decimal
    # TW I-IV in order: (quarter, target, target_upper, realization or None, the realization's
    # status or "", late)
    quarters: list[tuple[int, Decimal | None, Decimal | None, Decimal | None, str, bool]]


def indicator_quarter_rows(
    agreements: QuerySet[PerformanceAgreement] | Sequence[PerformanceAgreement],
    *,
    chunk: int = CHUNK,
) -> Iterator[IndicatorQuarters]:
    """Every indicator of the agreements with its four quarters, agreements in the register's
    order and indicators in the agreement's order: per ``chunk`` agreements one query each for
    their indicators, their quarter targets and their realizations (plain values, no instances).
    One record per indicator, not per quarter: the export writes the indicator's columns once
    for its four rows."""
    heads = (
        _ordered(agreements)
        .values_list(
            "pk",
            "year",
            "unit__name",
            "official__nip",
            "official__front_title",
            "official__name",
            "official__back_title",
        )
        .iterator(chunk_size=chunk)
    )
    batch: list[tuple[Any, ...]] = []
    for head in heads:
        batch.append(head)
        if len(batch) == chunk:
            yield from _indicator_quarters(batch)
            batch = []
    if batch:
        yield from _indicator_quarters(batch)


def _indicator_quarters(heads: list[tuple[Any, ...]]) -> Iterator[IndicatorQuarters]:
    ids = [h[0] for h in heads]
    by_agreement: dict[int, list[list[Any]]] = {}
    # values_rows: the same values as values_list, each distinct decimal converted once.
    for row in values_rows(
        Indicator.objects.filter(agreement_id__in=ids)
        .order_by("agreement_id", "goal__order", "order", "pk")
        .values_list(
            "agreement_id",
            "pk",
            "goal__name",
            "name",
            "unit_of_measure",
            "polarity",
            "weight",
            "target",
            "target_upper",
        )
    ):
        by_agreement.setdefault(row[0], []).append(row)
    targets: dict[tuple[int, int], tuple[Decimal | None, Decimal | None]] = {
        (indicator, quarter): (target, upper)
        for indicator, quarter, target, upper in values_rows(
            QuarterTarget.objects.filter(indicator__agreement_id__in=ids).values_list(
                "indicator_id", "quarter", "target", "target_upper"
            )
        )
    }
    reals: dict[tuple[int, int], tuple[Any, str, bool]] = {
        (indicator, quarter): (value, status, late)
        for indicator, quarter, value, status, late in values_rows(
            Realization.objects.filter(agreement_id__in=ids).values_list(
                "indicator_id", "quarter", "value", "status", "is_late"
            )
        )
    }
    none: tuple[Any, str, bool] = (None, "", False)
    get_target, get_real = targets.get, reals.get
    for pk, year, unit, nip, front, name, back in heads:
        official = full_name(front, name, back)
        unit = unit or ""
        for _a, ind, goal, title, uom, polarity, weight, target, upper in by_agreement.get(pk, ()):
            annual = (target, upper)
            yield IndicatorQuarters(
                pk,
                year,
                unit,
                nip,
                official,
                goal,
                title,
                uom,
                polarity,
                weight,
                [
                    (
                        quarter,
                        *target_of(quarter, get_target((ind, quarter)), annual),
                        *get_real((ind, quarter), none),
                    )
                    for quarter in QUARTERS
                ],
            )


class BelowTargetRow(NamedTuple):
    official: str
    nip: str
    unit: str
    quarter: int
    weighted_sum: Decimal
    weight_total: Decimal
    measured: int
    below_target: int


def below_target_rows(
    *, pemda: Pemda, year: int, scope: Sequence[Unit] | None, unit: Unit | None = None
) -> Iterator[BelowTargetRow]:
    """Every agreement and quarter with indicators below target, by quarter, unit and official:
    read from the aggregates (``AgreementAchievement``), one query streamed ``CHUNK`` rows at a
    time (216,000 rows at the largest Pemda)."""
    rows = AgreementAchievement.objects.filter(pemda=pemda, year=year, below_target__gt=0)
    if unit is not None:
        rows = rows.filter(unit=unit)
    else:
        rows = rows.filter(unit_scope_q(scope, "unit__"))
    values = (
        rows.order_by("quarter", "unit__name", "agreement__official__name", "agreement_id")
        .values_list(
            "agreement__official__name",
            "agreement__official__nip",
            "unit__name",
            "quarter",
            "weighted_sum",
            "weight_total",
            "measured",
            "below_target",
        )
        .iterator(chunk_size=CHUNK)
    )
    for name, nip, unit_name, quarter, ws, wt, measured, below in values:
        yield BelowTargetRow(name, nip, unit_name or "", quarter, ws, wt, measured, below)


__all__ = [
    "AgreementRow",
    "BelowTargetRow",
    "IndicatorQuarters",
    "agreement_rows",
    "below_target_rows",
    "indicator_quarter_rows",
]
