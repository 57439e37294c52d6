"""Bulk-load a year of synthetic integrity pacts for benchmarks: `manage.py generate --pacts YEAR`.

One pact per official with a current definitive assignment, in every Pemda of the database, with
a mix of signed, pending and excused pacts (each Pemda draws its own compliance rate), and the
``ComplianceCount`` counters that the services would have kept for them. Like
``pakta.org.synthetic.national_generate`` it writes straight into the tables (COPY on PostgreSQL,
executemany on SQLite), bypassing the services: no documents, no signatures, no audit events.
Signed pacts here have no signed PDF. Never run it on a database holding real data.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

# Reasons an official is excused (cuti: leave; tugas belajar: study leave).
EXCUSED_REASONS = [
    "Cuti besar",
    "Cuti melahirkan",
    "Cuti sakit",
    "Tugas belajar",
    "Jabatan lowong",
    "Diberhentikan sementara",
]
PACT_COLUMNS: tuple[str, ...] = (
    "id",
    "created_at",
    "updated_at",
    "pemda_id",
    "official_id",
    "position_id",
    "unit_id",
    "year",
    "template_id",
    "origin",
    "status",
    "excused_reason",
    "due_date",
    "signed_at",
)
COUNT_COLUMNS: tuple[str, ...] = ("pemda_id", "unit_id", "year", "pending", "signed", "excused")


class PactsRefused(Exception):
    """Pacts for the year already exist: the counters could no longer be made to agree."""


def _top_units() -> dict[int, int]:
    """Each unit's OPD (the first unit of its path)."""
    from pakta.org.models import Unit

    top: dict[int, int] = {}
    for pk, path in Unit.objects.values_list("pk", "path").iterator(chunk_size=20_000):
        first = path.strip("/").split("/")[0] if path else ""
        top[pk] = int(first) if first.isdigit() else pk
    return top


def _templates(now: Any) -> dict[int, int]:
    """The latest published template of every Pemda; the standard text for those with none."""
    from pakta.org.models import Pemda
    from pakta.pacts.models import DEFAULT_CLAUSES, PactTemplate

    latest: dict[int, int] = {}
    for pemda_id, pk in (
        PactTemplate.objects.filter(status=PactTemplate.Status.PUBLISHED)
        .order_by("pemda_id", "version")
        .values_list("pemda_id", "pk")
    ):
        latest[pemda_id] = pk  # the last one, by version, wins
    versions: dict[int, int] = {}
    for pemda_id, version in PactTemplate.objects.order_by("pemda_id", "version").values_list(
        "pemda_id", "version"
    ):
        versions[pemda_id] = version
    missing = [pk for pk in Pemda.objects.values_list("pk", flat=True) if pk not in latest]
    created = PactTemplate.objects.bulk_create(
        [
            PactTemplate(
                pemda_id=pemda_id,
                version=versions.get(pemda_id, 0) + 1,
                status=PactTemplate.Status.PUBLISHED,
                clauses=list(DEFAULT_CLAUSES),
                published_at=now,
            )
            for pemda_id in missing
        ],
        batch_size=1000,
    )
    for template in created:
        latest[template.pemda_id] = template.pk
    return latest


def pacts_generate(
    *,
    year: int,
    seed: int = 2024,
    batch: int = 50_000,
    progress: Callable[[str], None] = print,
) -> dict[str, int]:
    """A pact for ``year`` for every official with a current definitive assignment, and counters.

    Each Pemda gets its own share of signed pacts (between 40 % and 97 %) and of excused ones
    (1 % to 6 %); the rest are pending, due on 31 March. Counters for the year are added to the
    ``ComplianceCount`` rows (created where missing), so that they equal the pacts. Raises
    PactsRefused when the database already holds pacts for ``year``.
    """
    from django.db import connection, transaction
    from django.db.models import Max, Min
    from django.utils import timezone

    from pakta.org.models import Assignment, Pemda, Position
    from pakta.org.synthetic import _Writer
    from pakta.pacts.models import ComplianceCount, Pact

    if Pact.objects.filter(year=year).exists():
        raise PactsRefused(
            f"Pacts for {year} already exist; generate another year or use a fresh database."
        )
    started = time.monotonic()
    writer = _Writer()
    now_value = timezone.now()
    now = writer.connection.ops.adapt_datetimefield_value(now_value)
    due = dt.date(year, 3, 31)
    due_text = due.isoformat()
    with transaction.atomic():
        templates = _templates(now_value)
    top = _top_units()
    codes = dict(Pemda.objects.values_list("pk", "kemendagri_code"))
    rates: dict[int, tuple[float, float]] = {}

    def rate(pemda_id: int) -> tuple[float, float]:
        # Drawn from the Pemda's code, not its id: the same data in any database.
        if pemda_id not in rates:
            local = random.Random(f"{seed}:{year}:{codes[pemda_id]}")  # noqa: S311
            signed = local.uniform(0.40, 0.97)
            rates[pemda_id] = (signed, min(1.0, signed + local.uniform(0.01, 0.06)))
        return rates[pemda_id]

    rng = random.Random(f"{seed}:{year}")  # noqa: S311
    counts: dict[tuple[int, int | None], list[int]] = {}  # (pemda, unit): pending, signed, excused
    next_id = (Pact.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    current = Assignment.objects.filter(end_date__isnull=True, kind=Assignment.Kind.DEFINITIVE)
    bounds = current.aggregate(lo=Min("official_id"), hi=Max("official_id"))
    lo, hi = bounds["lo"], bounds["hi"]
    # One row per official: the definitive current assignment that started last.
    sql = (
        "SELECT a.official_id, a.pemda_id, a.position_id, p.unit_id, a.start_date"  # noqa: S608
        f" FROM {Assignment._meta.db_table} a JOIN {Position._meta.db_table} p"
        " ON p.id = a.position_id"
        " WHERE a.end_date IS NULL AND a.kind = %s AND a.official_id >= %s AND a.official_id < %s"
        " ORDER BY a.official_id, a.start_date, a.id"
    )
    made = 0
    signed_total = 0
    first = lo or 0
    while lo is not None and first <= hi:
        with connection.cursor() as cursor:
            cursor.execute(sql, [Assignment.Kind.DEFINITIVE, first, first + batch])
            found = cursor.fetchall()
        first += batch
        chosen: dict[int, tuple[Any, ...]] = {}
        for row in found:
            chosen[row[0]] = row  # the latest start wins (rows come in start order)
        rows: list[tuple[Any, ...]] = []
        for official_id, pemda_id, position_id, unit_id, _start in chosen.values():
            share_signed, share_done = rate(pemda_id)
            draw = rng.random()
            opd = top.get(unit_id, unit_id)
            tally = counts.get((pemda_id, opd))
            if tally is None:
                tally = counts[(pemda_id, opd)] = [0, 0, 0]
            reason, signed_at = "", None
            if draw < share_signed:
                status = "signed"
                tally[1] += 1
                moment = dt.datetime(year, 1, 2, 8, tzinfo=dt.UTC) + dt.timedelta(
                    minutes=rng.randrange(88 * 24 * 60)
                )
                signed_at = writer.connection.ops.adapt_datetimefield_value(moment)
            elif draw < share_done:
                status = "excused"
                tally[2] += 1
                reason = EXCUSED_REASONS[rng.randrange(len(EXCUSED_REASONS))]
            else:
                status = "pending"
                tally[0] += 1
            rows.append(
                (
                    next_id,
                    now,
                    now,
                    pemda_id,
                    official_id,
                    position_id,
                    opd,
                    year,
                    templates[pemda_id],
                    "annual",
                    status,
                    reason,
                    due_text,
                    signed_at,
                )
            )
            next_id += 1
        if rows:
            with transaction.atomic():
                writer.insert(Pact._meta.db_table, PACT_COLUMNS, rows)
            made += len(rows)
            signed_total += sum(1 for r in rows if r[10] == "signed")
            progress(f"pacts {year}: {made:,} in {time.monotonic() - started:.1f} s")

    # The counters, added to any rows of the year that already exist.
    with transaction.atomic():
        existing = {
            (c.pemda_id, c.unit_id): c
            for c in ComplianceCount.objects.select_for_update().filter(year=year)
        }
        new_rows = []
        for (pemda_id, unit_id), (pending, signed, excused) in counts.items():
            row = existing.get((pemda_id, unit_id))
            if row is None:
                new_rows.append((pemda_id, unit_id, year, pending, signed, excused))
            else:
                row.pending += pending
                row.signed += signed
                row.excused += excused
                row.save(update_fields=["pending", "signed", "excused"])
        writer.insert(ComplianceCount._meta.db_table, COUNT_COLUMNS, new_rows)
    writer.finish([Pact._meta.db_table, ComplianceCount._meta.db_table])
    progress(f"pacts {year}: {made:,} pacts, {len(counts):,} counters")
    return {
        "pacts": made,
        "signed": signed_total,
        "counters": len(counts),
        "seconds": round(time.monotonic() - started),
    }
