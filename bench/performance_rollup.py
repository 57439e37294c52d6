#!/usr/bin/env python
"""Performance dashboards (read from the kept aggregates) against a scan of the realizations.

    uv run python bench/performance_rollup.py --agreements 400000

National synthetic data (untimed, ``pakta.performance.synthetic.performance_generate``): Pemda
shaped like the country's 546 (``--pemda``), ``--agreements`` officials with one agreement each,
five indicators, targets for TW I-III (TW IV takes the annual target) and realizations for four
quarters (95% verified), and the aggregates rebuilt in bulk. Then, in the same run and on the same
database, for the largest Pemda and its largest unit:

* the dashboards as the app serves them: ``GET`` of the Pemda dashboard and of the unit dashboard
  through ``django.test.Client`` (a logged-in superadmin; middleware, selectors, templates, SVG);
* the baseline: hand-written SQL that computes the same numbers by scanning the realization table
  joined to the indicators, quarterly targets and agreements, applying the capaian formula of
  each polarity (higher/lower is better), the cap and the rounding in SQL.

The numbers the pages show (each heat-map cell and trend point, read from the served HTML) must
agree with the scan's to 0.02 percentage points. It prints both times (best of ``--repeat``,
interleaved) and the ratio scan/dashboard. Target: the dashboards at least 20 times faster.
Both phases only read, so they share one generated database (not a fresh copy per phase).

Runs on SQLite, and also on PostgreSQL when DATABASE_URL is set (a database of its own is created
and dropped there). Each database run ends with
``RESULT bench=performance_rollup ratio=<x> target=20 ok=<true|false>``. ``scripts/bench.sh``
passes ``--rows N`` (20,000 / 100,000): agreements = 4 x rows (80,000 / 400,000, the national
size: 8 million realizations). See bench/README.md and docs/scale.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any

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
        return run_one(args.child, agreements, args.pemda, max(1, args.repeat), args.name)
    url = os.environ.get("DATABASE_URL", "")
    if args.backend == "auto":
        backends = ["sqlite", "postgres"] if url else ["sqlite"]
    else:
        backends = [args.backend]
    if "postgres" in backends and not url.startswith("postgres"):
        print("--backend postgres needs DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    failed = 0
    for backend in backends:
        name = f"performance_rollup_{backend}" if len(backends) > 1 else "performance_rollup"
        env = dict(os.environ)
        if backend == "sqlite":
            env.pop("DATABASE_URL", None)
        command = [sys.executable, __file__, "--child", backend, "--agreements", str(agreements)]
        command += ["--pemda", str(args.pemda), "--repeat", str(args.repeat), "--name", name]
        failed += subprocess.run(command, env=env, check=False).returncode != 0
    return 1 if failed else 0


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
            SELECT a.unit_id AS unit_id, r.agreement_id AS agreement_id, r.quarter AS quarter,
                   i.weight AS weight, ROUND({clamp}, 2) AS capaian
            FROM {Realization._meta.db_table} r
            JOIN {PerformanceAgreement._meta.db_table} a ON a.id = r.agreement_id
            JOIN {Indicator._meta.db_table} i ON i.id = r.indicator_id
            LEFT JOIN {QuarterTarget._meta.db_table} qt
                   ON qt.indicator_id = r.indicator_id AND qt.quarter = r.quarter
            WHERE r.pemda_id = %s AND r.status = 'verified' AND a.year = %s
              AND a.is_current AND a.status = 'signed' {where}
              AND i.weight > 0 AND {target} > 0
        ) s
        GROUP BY {group}, s.quarter
    """


def _ratio(ws: Any, wt: Any) -> Decimal | None:
    if not wt:
        return None
    return (Decimal(str(ws)) / Decimal(str(wt))).quantize(Decimal("0.01"))


def scan_pemda(pemda_id: int) -> tuple[dict[tuple[int, int], Decimal | None], dict[int, Any]]:
    """Per (unit, quarter) and per quarter, from the realizations."""
    from django.db import connection

    cells: dict[tuple[int, int], Decimal | None] = {}
    totals: dict[int, list[Decimal]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_scan_sql("s.unit_id", ""), [pemda_id, YEAR])
        for unit_id, quarter, ws, wt in cursor.fetchall():
            cells[(unit_id, quarter)] = _ratio(ws, wt)
            acc = totals.setdefault(quarter, [Decimal(0), Decimal(0)])
            acc[0] += Decimal(str(ws))
            acc[1] += Decimal(str(wt))
    return cells, {q: _ratio(ws, wt) for q, (ws, wt) in totals.items()}


def scan_unit(pemda_id: int, unit_id: int) -> dict[tuple[int, int], Decimal | None]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_scan_sql("s.agreement_id", "AND a.unit_id = %s"), [pemda_id, YEAR, unit_id])
        return {(a, q): _ratio(ws, wt) for a, q, ws, wt in cursor.fetchall()}


# --- Reading the served pages -------------------------------------------------------------------

CELL = re.compile(r'<td class="num" data-key="(\d+)" data-quarter="(\d)" data-value="([^"]*)">')
POINT = re.compile(r'class="series series-main">.*?</g>\s*</g>|class="point" data-quarter', re.S)
TREND = re.compile(r'class="point" data-quarter="(\d)" data-value="([^"]+)"')


def page_cells(html: str) -> dict[tuple[int, int], Decimal | None]:
    return {(int(k), int(q)): Decimal(v) if v else None for k, q, v in CELL.findall(html)}


def page_trend(html: str) -> dict[int, Decimal]:
    main = html[html.index('class="series series-main"') :]
    main = main[: main.index("</svg>")]
    other = main.find('class="series series-other"')
    if other >= 0:
        main = main[:other]
    return {int(q): Decimal(v) for q, v in TREND.findall(main)}


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
    pemda_url = reverse("performance_dashboard:pemda", kwargs={"pemda": pemda.slug})
    unit_url = reverse("performance_dashboard:unit", kwargs={"pemda": pemda.slug, "pk": unit_id})
    query = {"year": YEAR}

    def dashboards() -> tuple[str, str]:
        first = client.get(pemda_url, query)
        second = client.get(unit_url, query)
        assert first.status_code == 200 and second.status_code == 200, (first, second)
        return first.content.decode(), second.content.decode()

    def scans() -> tuple[Any, Any]:
        return scan_pemda(pemda_id), scan_unit(pemda_id, unit_id)

    dashboards()  # warm: templates compiled, caches of the first request
    scans()
    page_seconds = scan_seconds = float("inf")
    best_pemda = best_unit = float("inf")
    scan_pemda_best = scan_unit_best = float("inf")
    for _attempt in range(repeat):
        t0 = time.perf_counter()
        pemda_html = client.get(pemda_url, query).content.decode()
        t1 = time.perf_counter()
        unit_html = client.get(unit_url, query).content.decode()
        t2 = time.perf_counter()
        (cells, trend) = scan_pemda(pemda_id)
        t3 = time.perf_counter()
        unit_cells = scan_unit(pemda_id, unit_id)
        t4 = time.perf_counter()
        best_pemda, best_unit = min(best_pemda, t1 - t0), min(best_unit, t2 - t1)
        scan_pemda_best, scan_unit_best = (
            min(scan_pemda_best, t3 - t2),
            min(scan_unit_best, t4 - t3),
        )
        page_seconds = min(page_seconds, t2 - t0)
        scan_seconds = min(scan_seconds, t4 - t2)

    wrong = _differences(page_cells(pemda_html), cells)
    wrong += _differences(page_trend(pemda_html), trend)
    shown = page_cells(unit_html)  # the first page of officials
    wrong += _differences(
        shown, {k: v for k, v in unit_cells.items() if k[0] in {a for a, _q in shown}}
    )
    checked = len(page_cells(pemda_html)) + len(shown) + 4
    if wrong or not shown:
        print(f"  MISMATCH ({len(wrong)}): {wrong[:5]}")
        print(f"RESULT bench={name} ratio=0 target={TARGET} ok=false")
        return 1
    ratio = scan_seconds / page_seconds
    print(f"  best of {repeat} runs of each, interleaved; {checked} figures agree (±{TOLERANCE})")
    print(
        f"  dashboards     : {page_seconds * 1000:8.1f} ms  (Pemda {best_pemda * 1000:.1f} ms, "
        f"unit {best_unit * 1000:.1f} ms; full pages through the test client)"
    )
    print(
        f"  scan (SQL)     : {scan_seconds * 1000:8.1f} ms  (Pemda {scan_pemda_best * 1000:.1f} "
        f"ms, unit {scan_unit_best * 1000:.1f} ms)"
    )
    ok = ratio >= TARGET
    print(f"RESULT bench={name} ratio={ratio:.1f} target={TARGET} ok={str(ok).lower()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
