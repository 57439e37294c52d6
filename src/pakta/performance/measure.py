"""The achievement of an agreement's indicators per quarter, from rows already loaded.

Used by the services (to keep the aggregates up to date) and by the pages (to show each cell),
so that both compute exactly the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pakta.performance.achievement import AchievementResult, achievement
from pakta.performance.models import (
    QUARTERS,
    AchievementFigures,
    Indicator,
    QuarterTarget,
    Realization,
)


def quarter_target(
    indicator: Indicator, quarter: int, targets: dict[int, QuarterTarget]
) -> tuple[Decimal | None, Decimal | None]:
    """The target (and upper bound) of a quarter; TW IV falls back to the annual target."""
    row = targets.get(quarter)
    return target_of(
        quarter,
        (row.target, row.target_upper) if row is not None else None,
        (indicator.target, indicator.target_upper),
    )


def target_of(
    quarter: int,
    explicit: tuple[Decimal | None, Decimal | None] | None,
    annual: tuple[Decimal | None, Decimal | None],
) -> tuple[Decimal | None, Decimal | None]:
    """``quarter_target`` on plain values (the exports read no model instances): the quarter's
    own target and upper bound when it has a target, else for TW IV the annual ones."""
    if explicit is not None and explicit[0] is not None:
        return explicit
    if quarter == 4:
        return annual
    return None, None


def result_for(
    indicator: Indicator,
    quarter: int,
    targets: dict[int, QuarterTarget],
    realization: Realization | None,
) -> AchievementResult:
    target, upper = quarter_target(indicator, quarter, targets)
    return achievement(
        polarity=indicator.polarity,
        target=target,
        target_upper=upper,
        actual=realization.value if realization is not None else None,
    )


@dataclass
class Figures:
    """The additive figures of one agreement in one quarter (see ``AchievementFigures``)."""

    weighted_sum: Decimal = Decimal(0)
    weight_total: Decimal = Decimal(0)
    measured: int = 0
    below_target: int = 0
    submitted: int = 0
    verified: int = 0
    returned: int = 0
    late: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in AchievementFigures.FIGURES}


def agreement_figures(
    indicators: Iterable[Indicator],
    targets: Iterable[QuarterTarget],
    realizations: Iterable[Realization],
) -> dict[int, Figures]:
    """Per quarter: weighted sums of verified achievements and realization counts by status."""
    by_indicator: dict[int, dict[int, QuarterTarget]] = {}
    for row in targets:
        by_indicator.setdefault(row.indicator_id, {})[row.quarter] = row
    reals = {(r.indicator_id, r.quarter): r for r in realizations}
    result = {q: Figures() for q in QUARTERS}
    for indicator in indicators:
        for quarter in QUARTERS:
            figures = result[quarter]
            realization = reals.get((indicator.pk, quarter))
            if realization is None:
                continue
            status = realization.status
            if status == Realization.Status.SUBMITTED:
                figures.submitted += 1
            elif status == Realization.Status.RETURNED:
                figures.returned += 1
            else:
                figures.verified += 1
            if realization.is_late:
                figures.late += 1
            if status != Realization.Status.VERIFIED:
                continue
            outcome = result_for(
                indicator, quarter, by_indicator.get(indicator.pk, {}), realization
            )
            if outcome.value is None:
                continue
            figures.measured += 1
            if outcome.value < 100:
                figures.below_target += 1
            if indicator.weight and indicator.weight > 0:
                figures.weighted_sum += outcome.value * indicator.weight
                figures.weight_total += indicator.weight
    return result
