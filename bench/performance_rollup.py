#!/usr/bin/env python
"""Performance dashboards (read from the kept aggregates) against a scan of the realizations.

    uv run python bench/performance_rollup.py --agreements 400000

National synthetic data (untimed, ``pakta.performance.synthetic.performance_generate``): Pemda
shaped like the country's 546 (``--pemda``), ``--agreements`` officials with one agreement each,
five indicators, targets for TW I-III (TW IV takes the annual target) and realizations for four
quarters (95% verified), and the aggregates rebuilt in bulk. Then, in the same run and on the same
database, interleaved, best of ``--repeat``:

* the Pemda-level dashboard (``/nasional/kinerja/<year>/``: one row per Pemda) and the unit-level
  dashboard (the largest Pemda's dashboard: one row per OPD) as the app serves them, through
  ``django.test.Client`` (a logged-in superadmin; middleware, selectors, templates, charts);
* the baseline: hand-written SQL that computes the same numbers by scanning the realization table
  (all of the year's rows for the national page, the Pemda's rows for its page) joined to the
  indicators, quarterly targets and agreements, applying the capaian formula of each polarity
  (higher/lower is better), the cap and the rounding in SQL;
* the official-level page of the largest unit against its own scan, printed beside the ratio.

The numbers the pages show (each heat-map cell and trend point, read from the table beside each
chart in the served HTML; the trend also from the chart's JSON data) must agree with the scan's
to 0.02 percentage points. The ratio is scans / dashboards over the
Pemda- and unit-level pair. Target: the dashboards at least 20 times faster. Both phases only
read, so they share one generated database (not a fresh copy per phase).

Runs on SQLite, and also on PostgreSQL when DATABASE_URL is set (a database of its own is created
and dropped there). Each database run ends with
``RESULT bench=performance_rollup ratio=<x> target=20 ok=<true|false>``. ``scripts/bench.sh``
passes ``--rows N`` (20,000 / 100,000): agreements = 4 x rows (80,000 / 400,000, the national
size: about 7.4 million realizations). See bench/README.md and docs/scale.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any

from _harness import run_engines

ROOT = Path(__file__).resolve().parent.parent
TARGET = 20
SEED = 2024
YEAR = 2026
TOLERANCE = Decimal("0.02")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=None, help="agreements (400000)")
    parser.add_argument("--rows", type=int, default=None, help="scripts/bench.sh size: 4x")
    parser.add_argument("--pemda", type=int, default=546)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=["auto", "sqlite", "postgres"], default="auto")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--name", default="performance_rollup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    agreements = args.agreements or (args.rows * 4 if args.rows else 80_000)
    if args.child:
        return run_one(
            args.child, agreements, args.pemda, max(1, args.repeat), f"{args.name}_{args.child}"
        )
    return run_engines(__file__, args.backend)


def run_one(backend: str, agreements: int, pemda: int, repeat: int, name: str) -> int:
    var_dir = tempfile.mkdtemp(prefix="pakta-bench-")
    os.environ["PAKTA_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "pakta.settings"
    os.environ.setdefault("PAKTA_LOG_LEVEL", "WARNING")
    os.environ["PAKTA_DEBUG"] = "false"  # as in production: no query log in memory
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    database = _Database(backend)
    try:
        database.prepare()
        return _measure(agreements, pemda, repeat, name)
    except Exception:
        traceback.print_exc()
        print(f"RESULT bench={name} ratio=0 target={TARGET} ok=false")
        return 1
    finally:
        database.cleanup()
        shutil.rmtree(var_dir, ignore_errors=True)


class _Database:
    """One migrated database of the bench's own (a file on SQLite; created and dropped on PG)."""

    def __init__(self, backend: str) -> None:
        from django.db import connection

        self.backend = backend
        self.settings = connection.settings_dict
        if backend == "postgres":
            self.name = f"pakta_bench_perf_{os.getpid()}"
        else:
            self.name = str(Path(os.environ["PAKTA_VAR_DIR"]) / "bench.sqlite3")

    def _admin(self, sql: str) -> None:
        import psycopg

        params = {
            "host": self.settings["HOST"] or None,
            "port": self.settings["PORT"] or None,
            "user": self.settings["USER"] or None,
            "password": self.settings["PASSWORD"] or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(sql)  # type: ignore[arg-type]

    def prepare(self) -> None:
        from django.core.management import call_command
        from django.db import connection

        connection.close()
        if self.backend == "postgres":
            self._admin(f'CREATE DATABASE "{self.name}"')
        self.settings["NAME"] = self.name
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)

    def cleanup(self) -> None:
        from django.db import connection

        connection.close()
        if self.backend == "postgres":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')


def _client() -> Any:
    """A test client logged in as a superadmin with two-factor verification passed."""
    from django.test import Client
    from django_otp.plugins.otp_static.models import StaticDevice

    from pakta.accounts.services import user_create

    user = user_create(
        username="bench", password=None, acting_user=None, is_superuser=True, validate=False
    )
    client = Client()
    client.force_login(user)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="bench")
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


# --- The baseline: the same numbers by scanning the realizations --------------------------------


def _scan_sql(group: str, where: str) -> str:
    """Sum of weight x capaian and of weight per ``group`` and quarter over the verified realizations
    of current signed agreements; capaian by polarity, capped, rounded to 2 decimals."""
    from django.db import connection

    from pakta.performance.achievement import cap_setting
    from pakta.performance.models import Indicator, PerformanceAgreement, QuarterTarget, Realization

    cap = int(cap_setting())
    postgres = connection.vendor == "postgresql"
    real = "r.value::numeric" if postgres else "CAST(r.value AS REAL)"
    target = "COALESCE(qt.target, CASE WHEN r.quarter = 4 THEN i.target END)"
    raw = (
        f"CASE WHEN i.polarity = 'higher' THEN {real} / {target} * 100 "
        f"ELSE (2 * {target} - {real}) / {target} * 100 END"
    )
    clamp = f"GREATEST(0, LEAST({cap}, {raw}))" if postgres else f"MAX(0, MIN({cap}, {raw}))"
    return f"""
        SELECT {group}, s.quarter, SUM(s.weight * s.capaian), SUM(s.weight)
        FROM (
            SELECT r.pemda_id AS pemda_id, a.unit_id AS unit_id, r.agreement_id AS agreement_id,
                   r.quarter AS quarter,
                   i.weight AS weight, ROUND({clamp}, 2) AS capaian
            FROM {Realization._meta.db_table} r
            JOIN {PerformanceAgreement._meta.db_table} a ON a.id = r.agreement_id
            JOIN {Indicator._meta.db_table} i ON i.id = r.indicator_id
            LEFT JOIN {QuarterTarget._meta.db_table} qt
                   ON qt.indicator_id = r.indicator_id AND qt.quarter = r.quarter
            WHERE r.status = 'verified' AND a.year = %s
              AND a.is_current AND a.status = 'signed' {where}
              AND i.weight > 0 AND {target} > 0
        ) s
        GROUP BY {group}, s.quarter
    """


def _ratio(ws: Any, wt: Any) -> Decimal | None:
    if not wt:
        return None
    return (Decimal(str(ws)) / Decimal(str(wt))).quantize(Decimal("0.01"))


def _scan(group: str, where: str, params: list[Any]) -> dict[tuple[int, int], list[Decimal]]:
    """(group key, quarter) -> [sum of weight x capaian, sum of weights]."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_scan_sql(group, where), [YEAR, *params])
        return {
            (key, quarter): [Decimal(str(ws)), Decimal(str(wt))]
            for key, quarter, ws, wt in cursor.fetchall()
        }


def _cells_and_trend(
    sums: dict[tuple[int, int], list[Decimal]],
) -> tuple[dict[tuple[int, int], Decimal | None], dict[int, Decimal | None]]:
    totals: dict[int, list[Decimal]] = {}
    for (_key, quarter), (ws, wt) in sums.items():
        acc = totals.setdefault(quarter, [Decimal(0), Decimal(0)])
        acc[0] += ws
        acc[1] += wt
    cells = {key: _ratio(ws, wt) for key, (ws, wt) in sums.items()}
    return cells, {q: _ratio(ws, wt) for q, (ws, wt) in totals.items()}


def scan_national() -> tuple[dict[tuple[int, int], Decimal | None], dict[int, Decimal | None]]:
    """Per (Pemda, quarter) and per quarter, from all the realizations of the year."""
    return _cells_and_trend(_scan("s.pemda_id", "", []))


def scan_pemda(pemda_id: int) -> tuple[dict[tuple[int, int], Decimal | None], dict[int, Any]]:
    """Per (unit, quarter) and per quarter, from one Pemda's realizations."""
    return _cells_and_trend(_scan("s.unit_id", "AND r.pemda_id = %s", [pemda_id]))


def scan_unit(pemda_id: int, unit_id: int) -> dict[tuple[int, int], Decimal | None]:
    sums = _scan("s.agreement_id", "AND r.pemda_id = %s AND a.unit_id = %s", [pemda_id, unit_id])
    return _cells_and_trend(sums)[0]


# --- Reading the served pages -------------------------------------------------------------------

# Each chart is a <figure> with the chart's data as JSON (drawn by ECharts in the browser) and the
# same figures as a table beside it (``pakta.core.charts``): ``<table id="heat-table">`` holds one
# cell per (row, quarter) with its raw value, ``<table id="trend-table">`` one row per series, the
# first being the page's own (the unit page adds the Pemda's as a second row).
CELL = re.compile(r'<td class="num" data-key="(\d+)" data-quarter="(\d)" data-value="([^"]*)"')
TREND = re.compile(r'<td class="num" data-quarter="(\d)" data-value="([^"]*)"')
SPEC = re.compile(r'<script id="trend-spec" type="application/json">(.*?)</script>', re.S)


def _table(html: str, table_id: str) -> str:
    start = html.index(f'<table id="{table_id}">')
    return html[start : html.index("</table>", start)]


def page_cells(html: str) -> dict[tuple[int, int], Decimal | None]:
    """The heat map's figures, from the table beside the chart."""
    table = _table(html, "heat-table")
    return {(int(k), int(q)): Decimal(v) if v else None for k, q, v in CELL.findall(table)}


def page_trend(html: str) -> dict[int, Decimal | None]:
    """The trend's figures (the page's own series), from the table beside the chart; the chart's
    JSON data must carry the same numbers."""
    body = _table(html, "trend-table")
    body = body[body.index("<tbody>") :]
    first = body[: body.index("</tr>")]
    trend = {int(q): Decimal(v) if v else None for q, v in TREND.findall(first)}
    spec = json.loads(SPEC.search(html).group(1))  # type: ignore[union-attr]
    drawn = spec["series"][0]["values"]
    for quarter, value in trend.items():
        other = drawn[quarter - 1]
        if (value is None) != (other is None) or (
            value is not None and abs(value - Decimal(str(other))) > TOLERANCE
        ):
            raise AssertionError(f"trend Q{quarter}: table {value}, chart {other}")
    return trend


def _differences(page: dict[Any, Any], scan: dict[Any, Any]) -> list[str]:
    wrong = []
    for key in sorted(set(page) | set(scan), key=str):
        a, b = page.get(key), scan.get(key)
        if a is None and b is None:
            continue
        if a is None or b is None or abs(a - b) > TOLERANCE:
            wrong.append(f"{key}: page {a} scan {b}")
    return wrong


def _measure(agreements: int, pemda_count: int, repeat: int, name: str) -> int:
    from django.db import connection
    from django.db.models import F, Sum
    from django.urls import reverse

    from pakta.org.models import Pemda
    from pakta.performance.models import AgreementCount, Realization
    from pakta.performance.synthetic import performance_generate

    print(f"{name}: {agreements:,} agreements in {pemda_count} Pemda, {connection.vendor}")
    started = time.perf_counter()
    performance_generate(
        agreements=agreements, pemda=pemda_count, year=YEAR, seed=SEED, progress=lambda _m: None
    )
    generated = time.perf_counter() - started
    realizations = Realization.objects.count()
    print(f"  generated      : {realizations:,} realizations in {generated:.0f} s (untimed)")
    sizes = (
        AgreementCount.objects.filter(year=YEAR)
        .values("pemda_id", "unit_id")
        .annotate(n=Sum(F("signed") + F("draft") + F("submitted") + F("approved") + F("returned")))
    )
    by_pemda: dict[int, int] = {}
    for row in sizes:
        by_pemda[row["pemda_id"]] = by_pemda.get(row["pemda_id"], 0) + row["n"]
    pemda_id = max(by_pemda, key=lambda p: by_pemda[p])
    unit_id = max((r for r in sizes if r["pemda_id"] == pemda_id), key=lambda r: r["n"])["unit_id"]
    pemda = Pemda.objects.get(pk=pemda_id)
    pemda_reals = Realization.objects.filter(pemda_id=pemda_id).count()
    unit_reals = Realization.objects.filter(agreement__unit_id=unit_id).count()
    print(
        f"  measured       : the largest Pemda ({by_pemda[pemda_id]:,} agreements, "
        f"{pemda_reals:,} realizations) and its largest unit ({unit_reals:,} realizations)"
    )
    client = _client()
    query = {"year": YEAR}
    # The Pemda-level dashboard: one row per Pemda (the national page); the unit-level one: one
    # row per unit (the largest Pemda's dashboard). The official-level page of its largest unit
    # is timed too, and reported beside the ratio, not in it.
    urls = {
        "pemda-level": reverse("performance_national:dashboard", kwargs={"year": YEAR}),
        "unit-level": reverse("performance_dashboard:pemda", kwargs={"pemda": pemda.slug}),
        "official-level": reverse(
            "performance_dashboard:unit", kwargs={"pemda": pemda.slug, "pk": unit_id}
        ),
    }
    scans: dict[str, Any] = {
        "pemda-level": scan_national,
        "unit-level": lambda: scan_pemda(pemda_id),
        "official-level": lambda: scan_unit(pemda_id, unit_id),
    }
    pages: dict[str, str] = {}
    results: dict[str, Any] = {}
    page_best = dict.fromkeys(urls, float("inf"))
    scan_best = dict.fromkeys(urls, float("inf"))
    for level, path in urls.items():  # warm: templates compiled, first-request caches
        assert client.get(path, query).status_code == 200, path
        scans[level]()
    for _attempt in range(repeat):
        for level, path in urls.items():
            t0 = time.perf_counter()
            response = client.get(path, query)
            t1 = time.perf_counter()
            results[level] = scans[level]()
            t2 = time.perf_counter()
            assert response.status_code == 200, (path, response.status_code)
            pages[level] = response.content.decode()
            page_best[level] = min(page_best[level], t1 - t0)
            scan_best[level] = min(scan_best[level], t2 - t1)

    national_cells, national_trend = results["pemda-level"]
    pemda_cells, pemda_trend = results["unit-level"]
    wrong = _differences(page_cells(pages["pemda-level"]), national_cells)
    wrong += _differences(page_trend(pages["pemda-level"]), national_trend)
    wrong += _differences(page_cells(pages["unit-level"]), pemda_cells)
    wrong += _differences(page_trend(pages["unit-level"]), pemda_trend)
    shown = page_cells(pages["official-level"])  # the first page of officials
    shown_keys = {a for a, _q in shown}
    unit_scan = {k: v for k, v in results["official-level"].items() if k[0] in shown_keys}
    wrong += _differences(shown, unit_scan)
    checked = sum(len(page_cells(html)) for html in pages.values()) + 8
    if wrong or not shown or not national_cells:
        print(f"  MISMATCH ({len(wrong)}): {wrong[:5]}")
        print(f"RESULT bench={name} ratio=0 target={TARGET} ok=false")
        return 1
    print(f"  best of {repeat} runs of each, interleaved; {checked:,} figures agree (±{TOLERANCE})")
    rows = (
        ("pemda-level", "national page, one row per Pemda", "all realizations of the year"),
        ("unit-level", "the largest Pemda's dashboard", "that Pemda's realizations"),
        ("official-level", "its largest unit's page", "that unit's realizations"),
    )
    for level, page_text, scan_text in rows:
        print(
            f"  {level:15}: page {page_best[level] * 1000:8.1f} ms ({page_text}); scan "
            f"{scan_best[level] * 1000:8.1f} ms ({scan_text}): "
            f"{scan_best[level] / page_best[level]:.1f}x"
        )
    levels = ("pemda-level", "unit-level")
    page_seconds = sum(page_best[level] for level in levels)
    scan_seconds = sum(scan_best[level] for level in levels)
    ratio = scan_seconds / page_seconds
    print(
        f"  Pemda- and unit-level dashboards: {page_seconds * 1000:.1f} ms, scans "
        f"{scan_seconds * 1000:.1f} ms (the official-level page is reported, not in the ratio)"
    )
    ok = ratio >= TARGET
    print(f"RESULT bench={name} ratio={ratio:.1f} target={TARGET} ok={str(ok).lower()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
