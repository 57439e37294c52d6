"""The aggregates dashboards read, kept up to date by the services in their own transaction:
AgreementCount, AgreementAchievement and AchievementRollup (docs/performance.md)."""

from __future__ import annotations

import time
from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Count, F

from pakta.core.bulk import RowTemplate, bulk_insert
from pakta.performance.measure import agreement_figures
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
from pakta.performance.services.base import Agreement, Status

# --- Aggregates -------------------------------------------------------------------------------


def _count(agreement: Agreement, status: str, delta: int) -> None:
    """Move ``delta`` current agreements in or out of ``status`` in the counters."""
    if status == Status.SUPERSEDED or not delta:
        return
    keys: dict[str, Any] = {
        "pemda_id": agreement.pemda_id,
        "unit_id": agreement.unit_id,
        "year": agreement.year,
    }
    row, _created = AgreementCount.objects.get_or_create(**keys)
    AgreementCount.objects.filter(pk=row.pk).update(**{status: F(status) + delta})


def _move_status(agreement: Agreement, new: str) -> None:
    if agreement.is_current:
        _count(agreement, agreement.status, -1)
        _count(agreement, new, +1)
    agreement.status = new


def _rollup_add(agreement: Agreement, quarter: int, deltas: dict[str, Any]) -> None:
    if not any(deltas.values()):
        return
    keys: dict[str, Any] = {
        "pemda_id": agreement.pemda_id,
        "unit_id": agreement.unit_id,
        "year": agreement.year,
        "quarter": quarter,
    }
    row, _created = AchievementRollup.objects.get_or_create(**keys)
    AchievementRollup.objects.filter(pk=row.pk).update(
        **{name: F(name) + value for name, value in deltas.items() if value}
    )


def _refresh_achievement(agreement: Agreement) -> None:
    """Recompute the agreement's four quarter rows from its own indicators (a handful of rows)
    and add the differences to its unit's roll-up rows. Call with the agreement locked."""
    counts = agreement.is_current and agreement.status == Status.SIGNED
    existing = {
        row.quarter: row
        for row in AgreementAchievement.objects.select_for_update().filter(agreement=agreement)
    }
    if not counts:
        for quarter, kept in existing.items():
            _rollup_add(
                agreement, quarter, {n: -getattr(kept, n) for n in AchievementFigures.FIGURES}
            )
        AgreementAchievement.objects.filter(agreement=agreement).delete()
        return
    indicators = list(agreement.indicators.all())
    figures = agreement_figures(
        indicators,
        QuarterTarget.objects.filter(indicator__agreement=agreement),
        Realization.objects.filter(agreement=agreement),
    )
    for quarter in QUARTERS:
        new = figures[quarter].as_dict()
        found = existing.get(quarter)
        if found is None:
            row = AgreementAchievement(
                pemda_id=agreement.pemda_id,
                unit_id=agreement.unit_id,
                agreement=agreement,
                year=agreement.year,
                quarter=quarter,
            )
            old = dict.fromkeys(AchievementFigures.FIGURES, 0)
        else:
            row = found
            old = {n: getattr(row, n) for n in AchievementFigures.FIGURES}
        for name, value in new.items():
            setattr(row, name, value)
        row.save()
        _rollup_add(agreement, quarter, {n: new[n] - old[n] for n in AchievementFigures.FIGURES})


# --- Rebuilding the aggregates from the rows (repair, and after a bulk load) ------------------

_Ind = namedtuple("_Ind", "pk polarity target target_upper weight")
_Target = namedtuple("_Target", "indicator_id quarter target target_upper")
_Real = namedtuple("_Real", "indicator_id quarter value status is_late")


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def aggregates_rebuild(
    *,
    pemda_ids: Sequence[int] | None = None,
    chunk: int = 2_000,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Recompute the dashboards' aggregates of the given Pemda (all when None) from the rows.

    Deletes and rewrites ``AgreementCount``, ``AgreementAchievement`` and ``AchievementRollup``
    in one transaction, with the figures the services would have kept (same functions).
    """
    started = time.monotonic()
    where: dict[str, Any] = {} if pemda_ids is None else {"pemda_id__in": list(pemda_ids)}
    AgreementCount.objects.filter(**where).delete()
    AgreementAchievement.objects.filter(**where).delete()
    AchievementRollup.objects.filter(**where).delete()

    counted: dict[tuple[int, int | None, int], dict[str, int]] = {}
    for row in (
        PerformanceAgreement.objects.filter(is_current=True, **where)
        .exclude(status=Status.SUPERSEDED)
        .values("pemda_id", "unit_id", "year", "status")
        .annotate(n=Count("id"))
    ):
        key = (row["pemda_id"], row["unit_id"], row["year"])
        counted.setdefault(key, {})[row["status"]] = row["n"]
    count_t = RowTemplate(AgreementCount, with_id=False)
    bulk_insert(
        count_t.model,
        count_t.names,
        [
            count_t.row(pemda_id=p, unit_id=u, year=y, **by_status)
            for (p, u, y), by_status in counted.items()
        ],
    )

    agreements = list(
        PerformanceAgreement.objects.filter(is_current=True, status=Status.SIGNED, **where)
        .order_by("pk")
        .values_list("pk", "pemda_id", "unit_id", "year")
    )
    ach_t = RowTemplate(AgreementAchievement, with_id=False)
    rollups: dict[tuple[int, int | None, int, int], dict[str, Any]] = {}
    written = 0
    for part in _chunks(agreements, chunk):
        ids = [a[0] for a in part]
        indicators: dict[int, list[_Ind]] = {}
        for pk, agreement_id, polarity, target, upper, weight in Indicator.objects.filter(
            agreement_id__in=ids
        ).values_list("pk", "agreement_id", "polarity", "target", "target_upper", "weight"):
            indicators.setdefault(agreement_id, []).append(
                _Ind(pk, polarity, target, upper, weight)
            )
        targets: dict[int, list[_Target]] = {}
        for agreement_id, *t_values in QuarterTarget.objects.filter(
            indicator__agreement_id__in=ids
        ).values_list(
            "indicator__agreement_id", "indicator_id", "quarter", "target", "target_upper"
        ):
            targets.setdefault(agreement_id, []).append(_Target(*t_values))
        reals: dict[int, list[_Real]] = {}
        for agreement_id, *r_values in Realization.objects.filter(agreement_id__in=ids).values_list(
            "agreement_id", "indicator_id", "quarter", "value", "status", "is_late"
        ):
            reals.setdefault(agreement_id, []).append(_Real(*r_values))
        rows = []
        for agreement_id, pemda_id, unit_id, year in part:
            figures = agreement_figures(
                indicators.get(agreement_id, []),  # type: ignore[arg-type]
                targets.get(agreement_id, []),  # type: ignore[arg-type]
                reals.get(agreement_id, []),  # type: ignore[arg-type]
            )
            for quarter in QUARTERS:
                values = figures[quarter].as_dict()
                rows.append(
                    ach_t.row(
                        pemda_id=pemda_id,
                        unit_id=unit_id,
                        agreement_id=agreement_id,
                        year=year,
                        quarter=quarter,
                        **values,
                    )
                )
                if any(values.values()):
                    total = rollups.setdefault(
                        (pemda_id, unit_id, year, quarter),
                        dict.fromkeys(AchievementFigures.FIGURES, 0),
                    )
                    for name, value in values.items():
                        total[name] += value
        bulk_insert(ach_t.model, ach_t.names, rows)
        written += len(rows)
        if progress and written % (chunk * 40) < chunk * 4:
            progress(
                f"aggregates: {written:,} agreement rows in {time.monotonic() - started:.1f} s"
            )
    roll_t = RowTemplate(AchievementRollup, with_id=False)
    bulk_insert(
        roll_t.model,
        roll_t.names,
        [
            roll_t.row(pemda_id=p, unit_id=u, year=y, quarter=q, **figures)
            for (p, u, y, q), figures in rollups.items()
        ],
    )
    if progress:
        progress(
            f"aggregates rebuilt: {len(counted):,} count rows, {written:,} agreement rows, "
            f"{len(rollups):,} roll-up rows in {time.monotonic() - started:.1f} s"
        )
    return {"counts": len(counted), "achievements": written, "rollups": len(rollups)}
