"""Performance agreements at national size, for benchmarks; and the bulk rebuild of the aggregates.

``performance_generate`` loads synthetic Pemda, OPD and officials (``pakta.org.synthetic``), then
one agreement per official with one goal, five indicators, quarterly targets and verified
realizations, written straight into the tables (COPY on PostgreSQL, executemany on SQLite) like
the org generator: benchmark data only, no audit events, never on a database with real data.

``aggregates_rebuild`` recomputes ``AgreementCount``, ``AgreementAchievement`` and
``AchievementRollup`` from the agreements, indicators, targets and realizations, with the same
code the services use (``measure.agreement_figures``). The generator calls it; the management
command ``performance_rebuild_rollups`` uses it to repair the aggregates of a Pemda.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from pakta.core.bulk import RowTemplate
from pakta.performance.models import (
    QUARTERS,
    Goal,
    Indicator,
    PerformanceAgreement,
    QuarterTarget,
    Realization,
)
from pakta.performance.services.rollups import aggregates_rebuild

Status = PerformanceAgreement.Status
INDICATORS_PER_AGREEMENT = 5
INDICATOR_NAMES = [
    ("Persentase capaian standar pelayanan minimal", "%", "higher"),
    ("Indeks kepuasan masyarakat", "indeks", "higher"),
    ("Persentase realisasi anggaran", "%", "higher"),
    ("Jumlah temuan audit yang belum ditindaklanjuti", "temuan", "lower"),
    ("Rata-rata waktu penyelesaian layanan", "hari", "lower"),
]


def _db_datetime(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def performance_generate(
    *,
    agreements: int,
    pemda: int = 546,
    year: int = 2026,
    seed: int = 2024,
    batch: int = 20_000,
    progress: Callable[[str], None] = print,
) -> dict[str, int]:
    """Synthetic Pemda and ``agreements`` officials, each with a signed (mostly) agreement of
    five indicators, targets for TW I-III (TW IV takes the annual target) and realizations for
    the four quarters (mostly verified); then the aggregates, rebuilt in bulk."""
    from pakta.org.models import Assignment
    from pakta.org.synthetic import national_generate

    started = time.monotonic()
    national_generate(officials=agreements, pemda=pemda, seed=seed, progress=progress)
    people = list(
        Assignment.objects.filter(end_date=None, official__pemda__slug__startswith="sim-")
        .order_by("official_id")
        .values_list(
            "official_id", "pemda_id", "position_id", "position__unit_id", "position__title"
        )
    )
    totals = agreements_generate(
        people=people, year=year, seed=seed, batch=batch, progress=progress, started=started
    )
    progress(f"performance data generated in {time.monotonic() - started:.1f} s")
    return totals


def agreements_generate(
    *,
    people: list[tuple[int, int, int, int, str]],
    year: int,
    seed: int = 2024,
    batch: int = 20_000,
    progress: Callable[[str], None] = print,
    started: float | None = None,
) -> dict[str, int]:
    """One agreement of ``year`` for each of ``people`` (official, Pemda, position, unit, title
    rows) with its indicators, targets and realizations, then the aggregates rebuilt in bulk.
    ``manage.py generate --year YEAR`` calls it for the officials already loaded."""
    from pakta.org.synthetic import _Writer

    started = time.monotonic() if started is None else started
    rng = random.Random(seed + 1)  # noqa: S311  (synthetic data, not secrets)
    writer = _Writer()
    agreement_t = RowTemplate(PerformanceAgreement)
    goal_t = RowTemplate(Goal)
    indicator_t = RowTemplate(Indicator)
    target_t = RowTemplate(QuarterTarget, with_id=False)
    real_t = RowTemplate(Realization, with_id=False)
    now = timezone.now()
    stamp = _db_datetime(now)
    signed_at = _db_datetime(dt.datetime(year, 2, 1, 9, tzinfo=dt.UTC))
    due = dt.date(year, 2, 4)
    next_id = {
        "agreement": (
            PerformanceAgreement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        + 1,
        "goal": (Goal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1,
        "indicator": (Indicator.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        + 1,
    }
    # Some units do better than others: a level per unit scales its realizations.
    levels: dict[int, float] = {}
    totals = dict.fromkeys(("agreements", "indicators", "targets", "realizations"), 0)
    for start in range(0, len(people), batch):
        a_rows: list[tuple[Any, ...]] = []
        g_rows: list[tuple[Any, ...]] = []
        i_rows: list[tuple[Any, ...]] = []
        t_rows: list[tuple[Any, ...]] = []
        r_rows: list[tuple[Any, ...]] = []
        for official_id, pemda_id, position_id, unit_id, title in people[start : start + batch]:
            draw = rng.random()
            status = (
                Status.SIGNED
                if draw < 0.92
                else Status.DRAFT
                if draw < 0.95
                else Status.SUBMITTED
                if draw < 0.97
                else Status.APPROVED
            )
            signed = status == Status.SIGNED
            agreement_id = next_id["agreement"]
            next_id["agreement"] += 1
            a_rows.append(
                agreement_t.row(
                    id=agreement_id,
                    created_at=stamp,
                    updated_at=stamp,
                    pemda_id=pemda_id,
                    official_id=official_id,
                    position_id=position_id,
                    position_title=title,
                    unit_id=unit_id,
                    year=year,
                    version=1,
                    status=str(status),
                    is_current=True,
                    due_date=due,
                    signed_at=signed_at if signed else None,
                    first_party_signed_at=signed_at if signed else None,
                )
            )
            goal_id = next_id["goal"]
            next_id["goal"] += 1
            g_rows.append(
                goal_t.row(id=goal_id, agreement_id=agreement_id, name="Meningkatnya kinerja OPD")
            )
            for order, (name, uom, polarity) in enumerate(INDICATOR_NAMES):
                indicator_id = next_id["indicator"]
                next_id["indicator"] += 1
                weight = Decimal(rng.randint(1, 3))
                if polarity == "higher":
                    annual = Decimal(rng.randint(50, 100))
                    quarter_target = {
                        q: (annual * q / 4).quantize(Decimal("0.01")) for q in QUARTERS
                    }
                else:
                    annual = Decimal(rng.randint(5, 20))
                    quarter_target = dict.fromkeys(QUARTERS, annual)
                i_rows.append(
                    indicator_t.row(
                        id=indicator_id,
                        goal_id=goal_id,
                        agreement_id=agreement_id,
                        name=name,
                        unit_of_measure=uom,
                        polarity=polarity,
                        target=annual,
                        weight=weight,
                        order=order,
                    )
                )
                for quarter in (1, 2, 3):  # TW IV falls back to the annual target
                    t_rows.append(
                        target_t.row(
                            indicator_id=indicator_id,
                            quarter=quarter,
                            target=quarter_target[quarter],
                        )
                    )
                if not signed:
                    continue
                level = levels.setdefault(unit_id, rng.uniform(0.45, 1.05))
                for quarter in QUARTERS:
                    factor = rng.uniform(level - 0.25, level + 0.25)
                    if polarity == "lower":
                        factor = 2 - factor
                    value = (quarter_target[quarter] * Decimal(max(factor, 0.01))).quantize(
                        Decimal("0.01")
                    )
                    verified = rng.random() < 0.95
                    r_rows.append(
                        real_t.row(
                            created_at=stamp,
                            updated_at=stamp,
                            pemda_id=pemda_id,
                            indicator_id=indicator_id,
                            agreement_id=agreement_id,
                            quarter=quarter,
                            value=value,
                            status="verified" if verified else "submitted",
                            submitted_at=stamp,
                            verified_at=stamp if verified else None,
                            is_late=rng.random() < 0.1,
                        )
                    )
        with transaction.atomic():
            writer.insert(agreement_t.table, agreement_t.columns, a_rows)
            writer.insert(goal_t.table, goal_t.columns, g_rows)
            writer.insert(indicator_t.table, indicator_t.columns, i_rows)
            writer.insert(target_t.table, target_t.columns, t_rows)
            writer.insert(real_t.table, real_t.columns, r_rows)
        totals["agreements"] += len(a_rows)
        totals["indicators"] += len(i_rows)
        totals["targets"] += len(t_rows)
        totals["realizations"] += len(r_rows)
        progress(
            f"agreements: {totals['agreements']:,}, realizations: {totals['realizations']:,} "
            f"in {time.monotonic() - started:.1f} s"
        )
    writer.finish(
        [
            agreement_t.table,
            goal_t.table,
            indicator_t.table,
            target_t.table,
            real_t.table,
        ]
    )
    pemda_ids = sorted({p[1] for p in people})
    aggregates_rebuild(pemda_ids=pemda_ids, progress=progress)
    return totals
