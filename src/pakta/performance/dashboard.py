"""Reads of the performance dashboards: only the aggregates the services keep.

Every function here issues a fixed number of queries, whatever the number of officials,
indicators or realizations: the heat map and the trend read ``AchievementRollup`` (one row per
OPD and quarter), the unit page reads ``AgreementAchievement`` for one page of agreements, the
"not yet signed" chart reads ``AgreementCount``. The list of indicators below target reads the
``AgreementAchievement`` rows that count indicators below target, then the indicators of the
few agreements it shows (a bounded look-up by agreement, never a scan of the realizations).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum

from pakta.core.paging import first_rows
from pakta.core.todo import pemda_kept
from pakta.org import selectors as org_selectors
from pakta.org.models import Pemda, Unit
from pakta.org.selectors import scope_unit_ids, unit_ids_q, unit_scope_q
from pakta.performance.achievement import band
from pakta.performance.measure import result_for
from pakta.performance.models import (
    QUARTERS,
    AchievementFigures,
    AchievementRollup,
    AgreementAchievement,
    AgreementCount,
    Indicator,
    PerformanceAgreement,
    QuarterTarget,
    Realization,
)
from pakta.performance.selectors import agreement_list_for

CENT = Decimal("0.01")
BELOW_TARGET_AGREEMENTS = 15  # agreements whose indicators the below-target list shows
OVERDUE_SHOWN = 20


def _scope_q(scope: Sequence[Unit] | None, unit_ids: Sequence[int] | None, prefix: str) -> Q:
    """The scope as a filter: by the scope's unit keys when the caller has read them once for
    the page (``org.selectors.scope_unit_ids``), else by the subquery on the units' paths."""
    if unit_ids is not None:
        return unit_ids_q(unit_ids, prefix)
    return unit_scope_q(scope, prefix)


def ratio(weighted_sum: Any, weight_total: Any) -> Decimal | None:
    if not weight_total:
        return None
    return (Decimal(weighted_sum) / Decimal(weight_total)).quantize(CENT)


@dataclass
class Totals:
    """Additive figures of a group (summed from aggregate rows)."""

    weighted_sum: Decimal = Decimal(0)
    weight_total: Decimal = Decimal(0)
    measured: int = 0
    below_target: int = 0

    def add(self, row: AchievementFigures) -> None:
        self.weighted_sum += Decimal(row.weighted_sum)
        self.weight_total += Decimal(row.weight_total)
        self.measured += row.measured
        self.below_target += row.below_target

    @property
    def value(self) -> Decimal | None:
        return ratio(self.weighted_sum, self.weight_total)


@dataclass
class HeatRow:
    """One row of a heat map: a unit (or an official) and its four quarters."""

    key: int
    label: str
    url: str = ""
    values: dict[int, Decimal | None] = field(default_factory=dict)
    note: str = ""

    @property
    def cells(self) -> list[tuple[int, Decimal | None, str]]:
        return [(q, self.values.get(q), band(self.values.get(q))) for q in QUARTERS]


@dataclass
class BelowTarget:
    agreement: PerformanceAgreement
    indicator: Indicator
    quarter: int
    target: Any
    target_upper: Any
    realization: Decimal
    value: Decimal

    @property
    def band(self) -> str:
        return band(self.value)


@dataclass
class PemdaDashboard:
    year: int
    quarter: int
    heat: list[HeatRow]
    trend: dict[int, Decimal | None]
    totals: dict[int, Totals]
    counts: list[AgreementCount]
    below: list[BelowTarget]
    below_total: int
    overdue: list[PerformanceAgreement]
    overdue_total: int
    indicators: int = 0  # of the signed agreements: the denominator of the coverage


def dashboard_years(*, pemda: Pemda) -> list[int]:
    """The years that have agreements (for the year selector)."""
    years = AgreementCount.objects.filter(pemda=pemda).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def headline_coverage() -> Decimal:
    """The share of the indicators that must be verified for a quarter to make the headline
    (``PAKTA_HEADLINE_MIN_COVERAGE``, 0.5 by default: half of the signed agreements' indicators)."""
    return Decimal(str(getattr(settings, "PAKTA_HEADLINE_MIN_COVERAGE", "0.5")))


def latest_quarter(totals: dict[int, Totals], indicators: int = 0) -> int:
    """The headline quarter: the latest whose verified indicators reach the coverage threshold
    (of ``indicators``, those of the signed agreements); without one, the latest with any verified
    indicator (its coverage is shown beside the figure); without any, the first."""
    measured = [q for q in QUARTERS if totals[q].measured]
    if indicators:
        needed = headline_coverage() * indicators
        enough = [q for q in measured if totals[q].measured >= needed]
        if enough:
            return enough[-1]
    return measured[-1] if measured else QUARTERS[0]


def indicator_total(
    *,
    year: int,
    pemda: Pemda | None = None,
    scope: Sequence[Unit] | None = None,
    unit: Unit | None = None,
    unit_ids: Sequence[int] | None = None,
) -> int:
    """The indicators of the signed current agreements of the year (the coverage's denominator);
    one count. The whole Pemda's count (276,000 index entries at the largest Pemda) is kept like
    Beranda's counts (``core.todo.pemda_kept``): until the next audited change in the Pemda, at
    most ``PAKTA_TODO_CACHE_SECONDS``; it moves only when an agreement is signed or replaced, and
    both are audited."""
    if pemda is not None and unit is None:
        # A Kepala OPD's scope is kept under its units' keys (the Pemda's version covers it too).
        scoped = "all"
        if scope is not None:
            units = ",".join(str(pk) for pk in sorted(u.pk for u in scope))
            scoped = hashlib.sha256(units.encode()).hexdigest()[:20]
        return int(
            pemda_kept(
                pemda=pemda,
                name=f"performance.indicators.{year}.{scoped}",
                compute=lambda: _indicator_count(
                    year=year, pemda=pemda, scope=scope, unit=None, unit_ids=unit_ids
                ),
            )
        )
    return _indicator_count(year=year, pemda=pemda, scope=scope, unit=unit, unit_ids=unit_ids)


def _indicator_count(
    *,
    year: int,
    pemda: Pemda | None,
    scope: Sequence[Unit] | None,
    unit: Unit | None,
    unit_ids: Sequence[int] | None = None,
) -> int:
    qs = Indicator.objects.filter(
        agreement__year=year,
        agreement__is_current=True,
        agreement__status=PerformanceAgreement.Status.SIGNED,
    )
    if pemda is not None:
        qs = qs.filter(agreement__pemda=pemda)
    qs = qs.filter(_scope_q(scope, unit_ids, "agreement__unit__"))
    if unit is not None:
        qs = qs.filter(agreement__unit=unit)
    return qs.count()


def _below_target(
    *,
    pemda: Pemda,
    year: int,
    quarter: int,
    scope: Sequence[Unit] | None,
    unit: Unit | None = None,
    limit: int = BELOW_TARGET_AGREEMENTS,
    unit_ids: Sequence[int] | None = None,
) -> list[BelowTarget]:
    """The indicators below target in ``quarter`` of the agreements with the lowest achievement
    among those that have any (one query on the aggregates, then three bounded look-ups)."""
    rows = AgreementAchievement.objects.filter(
        pemda=pemda, year=year, quarter=quarter, below_target__gt=0, weight_total__gt=0
    )
    if unit is not None:
        rows = rows.filter(unit=unit)
    else:
        rows = rows.filter(_scope_q(scope, unit_ids, "unit__"))
    rows = rows.annotate(
        capaian=ExpressionWrapper(
            F("weighted_sum") / F("weight_total"),
            output_field=DecimalField(max_digits=24, decimal_places=4),
        )
    ).order_by("capaian", "agreement_id")
    agreement_ids = list(rows.values_list("agreement_id", flat=True)[:limit])
    if not agreement_ids:
        return []
    agreements = {
        a.pk: a
        for a in PerformanceAgreement.objects.filter(pk__in=agreement_ids).select_related(
            "official", "unit"
        )
    }
    indicators = list(Indicator.objects.filter(agreement_id__in=agreement_ids))
    targets: dict[int, dict[int, QuarterTarget]] = {}
    for target in QuarterTarget.objects.filter(
        indicator__agreement_id__in=agreement_ids, quarter=quarter
    ):
        targets.setdefault(target.indicator_id, {})[target.quarter] = target
    realizations = {
        r.indicator_id: r
        for r in Realization.objects.filter(
            agreement_id__in=agreement_ids, quarter=quarter, status=Realization.Status.VERIFIED
        )
    }
    found: list[BelowTarget] = []
    for indicator in indicators:
        realization = realizations.get(indicator.pk)
        if realization is None:
            continue
        own = targets.get(indicator.pk, {})
        result = result_for(indicator, quarter, own, realization)
        if result.value is None or result.value >= 100:
            continue
        explicit = own.get(quarter)
        target_value = explicit.target if explicit else indicator.target
        upper = explicit.target_upper if explicit else indicator.target_upper
        found.append(
            BelowTarget(
                agreement=agreements[indicator.agreement_id],
                indicator=indicator,
                quarter=quarter,
                target=target_value,
                target_upper=upper,
                realization=realization.value,
                value=result.value,
            )
        )
    found.sort(key=lambda b: (b.value, b.agreement.official.name, b.indicator.pk))
    return found


def _overdue(
    *, pemda: Pemda, year: int, scope: Sequence[Unit] | None, unit: Unit | None = None
) -> tuple[list[PerformanceAgreement], int]:
    # By the path subquery, not the scope's unit keys: both engines read the scope's overdue
    # agreements by the partial index performance_agr_overdue (PostgreSQL) or the unit's index
    # (SQLite) this way, where SQLite scanned the whole table for ``unit_id IN (keys)``.
    qs = agreement_list_for(pemda=pemda, scope=scope, year=year, overdue=True, unit=unit)
    shown = first_rows(qs, OVERDUE_SHOWN)
    total = len(shown) if len(shown) < OVERDUE_SHOWN else qs.count()
    return shown, total


def pemda_heat(
    *,
    pemda: Pemda,
    year: int,
    scope: Sequence[Unit] | None = None,
    unit_url: Any = None,
    unit_ids: Sequence[int] | None = None,
) -> tuple[list[HeatRow], dict[int, Totals], list[AgreementCount]]:
    """The heat map's rows (a unit per row, its quarters), the totals per quarter (the trend) and
    the agreement counters, from the roll-ups only (two queries): the dashboard and its heat-map
    and trend exports."""
    in_scope = _scope_q(scope, unit_ids, "unit__")
    rollups = AchievementRollup.objects.filter(pemda=pemda, year=year).filter(in_scope)
    counts_qs = AgreementCount.objects.filter(pemda=pemda, year=year).filter(in_scope)
    rows: dict[int, HeatRow] = {}
    totals = {q: Totals() for q in QUARTERS}
    for rollup in rollups.select_related("unit").order_by("unit__name", "unit_id", "quarter"):
        unit = rollup.unit
        key = rollup.unit_id or 0
        if key not in rows:
            rows[key] = HeatRow(
                key=key,
                label=unit.name if unit else "—",
                url=unit_url(unit) if unit_url and unit else "",
            )
        rows[key].values[rollup.quarter] = rollup.achievement
        totals[rollup.quarter].add(rollup)
    counts = list(counts_qs.select_related("unit").order_by("unit__name", "unit_id"))
    for count in counts:  # units with agreements but nothing measured yet still get a row
        key = count.unit_id or 0
        if key not in rows:
            rows[key] = HeatRow(
                key=key,
                label=count.unit.name if count.unit else "—",
                url=unit_url(count.unit) if unit_url and count.unit else "",
            )
    heat = sorted(rows.values(), key=lambda r: (r.label.lower(), r.key))
    return heat, totals, counts


def pemda_dashboard(
    *,
    pemda: Pemda,
    year: int,
    scope: Sequence[Unit] | None = None,
    quarter: int | None = None,
    unit_url: Any = None,
) -> PemdaDashboard:
    """The Pemda dashboard (or the part of it in a Kepala OPD's scope: the scope's units are read
    once, and each table is filtered by their keys)."""
    ids = scope_unit_ids(scope)
    heat, totals, counts = pemda_heat(
        pemda=pemda, year=year, scope=scope, unit_url=unit_url, unit_ids=ids
    )
    indicators = indicator_total(year=year, pemda=pemda, scope=scope, unit_ids=ids)
    chosen = quarter if quarter in QUARTERS else latest_quarter(totals, indicators)
    below = _below_target(pemda=pemda, year=year, quarter=chosen, scope=scope, unit_ids=ids)
    overdue, overdue_total = _overdue(pemda=pemda, year=year, scope=scope)
    return PemdaDashboard(
        year=year,
        quarter=chosen,
        heat=heat,
        trend={q: totals[q].value for q in QUARTERS},
        totals=totals,
        counts=counts,
        below=below,
        below_total=totals[chosen].below_target,
        overdue=overdue,
        overdue_total=overdue_total,
        indicators=indicators,
    )


def unit_get_for(*, pemda: Pemda, pk: int, scope: Sequence[Unit] | None) -> Unit:
    """A unit of the Pemda inside the scope (404 otherwise)."""
    return org_selectors.unit_get_for(pemda=pemda, pk=pk, scope=scope)


@dataclass
class UnitDashboard:
    unit: Unit
    year: int
    quarter: int
    trend: dict[int, Decimal | None]
    pemda_trend: dict[int, Decimal | None] | None
    totals: dict[int, Totals]
    heat: list[HeatRow]
    count: AgreementCount | None
    below: list[BelowTarget]
    below_total: int
    overdue: list[PerformanceAgreement]
    overdue_total: int
    indicators: int = 0


def unit_agreements(*, pemda: Pemda, unit: Unit, year: int) -> QuerySet[PerformanceAgreement]:
    """The unit's current agreements of the year, by official (paginated by the page)."""
    return (
        PerformanceAgreement.objects.filter(pemda=pemda, unit=unit, year=year, is_current=True)
        .select_related("official")
        .order_by("official__name", "pk")
    )


def unit_dashboard(
    *,
    pemda: Pemda,
    unit: Unit,
    year: int,
    agreements: Sequence[PerformanceAgreement],
    quarter: int | None = None,
    with_pemda: bool = True,
    agreement_url: Any = None,
) -> UnitDashboard:
    """The dashboard of one OPD; ``agreements`` is the page of its agreements to show."""
    totals = {q: Totals() for q in QUARTERS}
    for rollup in AchievementRollup.objects.filter(pemda=pemda, unit=unit, year=year):
        totals[rollup.quarter].add(rollup)
    pemda_trend: dict[int, Decimal | None] | None = None
    if with_pemda:
        pemda_totals = {q: Totals() for q in QUARTERS}
        for rollup in AchievementRollup.objects.filter(pemda=pemda, year=year).only(
            "quarter", "weighted_sum", "weight_total", "measured", "below_target"
        ):
            pemda_totals[rollup.quarter].add(rollup)
        pemda_trend = {q: pemda_totals[q].value for q in QUARTERS}
    ids = [a.pk for a in agreements]
    values: dict[int, dict[int, Decimal | None]] = {}
    if ids:
        for row in AgreementAchievement.objects.filter(agreement_id__in=ids):
            values.setdefault(row.agreement_id, {})[row.quarter] = row.achievement
    heat = [
        HeatRow(
            key=a.pk,
            label=a.official.name,
            url=agreement_url(a) if agreement_url else "",
            values=values.get(a.pk, {}),
            note="" if a.status == PerformanceAgreement.Status.SIGNED else a.get_status_display(),
        )
        for a in agreements
    ]
    count = AgreementCount.objects.filter(pemda=pemda, unit=unit, year=year).first()
    indicators = indicator_total(year=year, pemda=pemda, unit=unit)
    chosen = quarter if quarter in QUARTERS else latest_quarter(totals, indicators)
    below = _below_target(pemda=pemda, year=year, quarter=chosen, scope=None, unit=unit)
    overdue, overdue_total = _overdue(pemda=pemda, year=year, scope=None, unit=unit)
    return UnitDashboard(
        unit=unit,
        year=year,
        quarter=chosen,
        trend={q: totals[q].value for q in QUARTERS},
        pemda_trend=pemda_trend,
        totals=totals,
        heat=heat,
        count=count,
        below=below,
        below_total=totals[chosen].below_target,
        overdue=overdue,
        overdue_total=overdue_total,
        indicators=indicators,
    )


# --- National: every Pemda, from the unit roll-ups -----------------------------------------------


@dataclass
class NationalDashboard:
    year: int
    quarter: int
    heat: list[HeatRow]  # one row per Pemda
    trend: dict[int, Decimal | None]
    totals: dict[int, Totals]
    signed: int
    not_signed: int
    pemda_count: int
    indicators: int = 0


def national_dashboard(*, year: int, pemda_url: Any = None) -> NationalDashboard:
    """Achievement of every Pemda per quarter, and the national trend.

    Reads the unit roll-ups summed per Pemda and quarter (one row per OPD and quarter: about
    90,000 rows for 546 Pemda), and the agreement counters summed per Pemda. The names are
    joined to the sums after grouping, as for the national pact compliance page.
    """
    sums = (
        AchievementRollup.objects.filter(year=year)
        .values("pemda_id", "quarter")
        .annotate(ws=Sum("weighted_sum"), wt=Sum("weight_total"), m=Sum("measured"))
        .annotate(b=Sum("below_target"))
        .order_by()
    )
    values: dict[int, dict[int, Decimal | None]] = {}
    totals = {q: Totals() for q in QUARTERS}
    for row in sums:
        values.setdefault(row["pemda_id"], {})[row["quarter"]] = ratio(row["ws"], row["wt"])
        total = totals[row["quarter"]]
        total.weighted_sum += Decimal(row["ws"] or 0)
        total.weight_total += Decimal(row["wt"] or 0)
        total.measured += row["m"] or 0
        total.below_target += row["b"] or 0
    counts = (
        AgreementCount.objects.filter(year=year)
        .values("pemda_id")
        .annotate(
            s=Sum("signed"), n=Sum(F("draft") + F("submitted") + F("returned") + F("approved"))
        )
        .order_by()
    )
    signed = not_signed = 0
    for count in counts:
        signed += count["s"] or 0
        not_signed += count["n"] or 0
        values.setdefault(count["pemda_id"], {})
    heat = [
        HeatRow(
            key=pk,
            label=name,
            url=pemda_url(slug) if pemda_url else "",
            values=values[pk],
        )
        for pk, name, slug in Pemda.objects.filter(pk__in=list(values))
        .order_by("name", "pk")
        .values_list("pk", "name", "slug")
    ]
    indicators = indicator_total(year=year)
    return NationalDashboard(
        year=year,
        quarter=latest_quarter(totals, indicators),
        indicators=indicators,
        heat=heat,
        trend={q: totals[q].value for q in QUARTERS},
        totals=totals,
        signed=signed,
        not_signed=not_signed,
        pemda_count=len(heat),
    )
