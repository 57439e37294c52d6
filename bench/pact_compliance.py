#!/usr/bin/env python
"""The pact compliance dashboard as the app serves it, against a scan of the pact table.

    uv run python bench/pact_compliance.py --officials 4300000

A database of national size is generated first (untimed): ``national_generate`` (546 Pemda,
40 OPD each, the officials) and ``pacts_generate`` (a pact for the year for every official,
signed, pending or excused, and the ``ComplianceCount`` counters). Then, interleaved, the best
of ``--repeat`` runs of each, after one untimed warm-up of each (both read from warm caches):

- **dashboard**: the pages a superadmin opens, through ``django.test.Client`` (URL routing,
  middleware, session, permission checks, queries, templates): the national page
  ``/nasional/pakta/<year>/`` (signed, pending, excused per Pemda) and the compliance page of the
  largest Pemda ``/p/<slug>/pacts/compliance/?year=<year>`` (its totals and per unit). The
  median and the smallest Pemda's pages are timed too, and, on its own, the list of who has not
  signed that the page loads after its figures (HTMX; the first 500, by unit and name).
- **scan** (baseline): the hand-written SQL that counts the same figures from the pact table:
  ``SELECT pemda_id, unit_id, status, COUNT(*) FROM pacts_pact WHERE year = ? GROUP BY
  pemda_id, unit_id, status`` (every figure of both pages, for every Pemda).

The figures are checked: every Pemda's row of the national page and every unit's row of the
timed Pemda pages must equal the scan's counts. Result: ratio = scan time / dashboard time
(national page + largest Pemda page), target 20. Both phases only read, so both run on the one
generated database (a fresh copy for each would mean copying gigabytes).

Runs on SQLite, and also on PostgreSQL when DATABASE_URL is set (the URL only names the server:
the bench creates and drops its own database there). Each database run ends with one line
``RESULT bench=<name> ratio=<scan/dashboard> target=20 ok=<true|false>``. ``--rows`` (what
scripts/bench.sh passes to every bench) sets the officials: rows * 20 (``make bench``: 400,000),
and the national 4,300,000 from 100,000 rows on (``make bench-national``).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from _harness import run_engines

ROOT = Path(__file__).resolve().parent.parent
TARGET = 20
NATIONAL_OFFICIALS = 4_300_000
SEED = 2024
YEAR = 2026

Figures = dict[tuple[int, int | None], dict[str, int]]


def officials_for_rows(rows: int) -> int:
    return NATIONAL_OFFICIALS if rows >= 100_000 else rows * 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officials", type=int, default=NATIONAL_OFFICIALS)
    parser.add_argument(
        "--rows", type=int, help="as passed by scripts/bench.sh (see the module docstring)"
    )
    parser.add_argument("--pemda", type=int, default=546, help="Pemda in all")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each phase; the best time counts"
    )
    parser.add_argument(
        "--backend",
        choices=["auto", "sqlite", "postgres"],
        default="auto",
        help="auto: SQLite, and PostgreSQL too when DATABASE_URL is set",
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--name", default="pact_compliance", help=argparse.SUPPRESS)
    args = parser.parse_args()
    officials = officials_for_rows(args.rows) if args.rows else args.officials
    if args.child:
        return run_one(
            args.child, officials, args.pemda, max(1, args.repeat), f"{args.name}_{args.child}"
        )

    return run_engines(__file__, args.backend)


def run_one(backend: str, officials: int, pemda: int, repeat: int, name: str) -> int:
    var_dir = tempfile.mkdtemp(prefix="pakta-bench-compliance-")
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
        return _measure(officials, pemda, repeat, name)
    except Exception:
        traceback.print_exc()
        print(f"RESULT bench={name} ratio=0 target={TARGET} ok=false")
        return 1
    finally:
        database.cleanup()
        shutil.rmtree(var_dir, ignore_errors=True)


class _Database:
    """A freshly migrated database of the bench's own (read by both phases)."""

    def __init__(self, backend: str) -> None:
        from django.db import connection

        self.backend = backend
        self.settings = connection.settings_dict
        if backend == "postgres":
            self.name = f"pakta_bench_compliance_{os.getpid()}"
        else:
            self.name = str(Path(os.environ["PAKTA_VAR_DIR"]) / "compliance.sqlite3")

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
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')
            self._admin(f'CREATE DATABASE "{self.name}"')
        self.settings["NAME"] = self.name
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)

    def cleanup(self) -> None:
        from django.db import connection

        connection.close()
        if self.backend == "postgres":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')


def _generate(officials: int, pemda: int) -> tuple[dict[str, int], float, float]:
    from pakta.org.synthetic import national_generate
    from pakta.pacts.synthetic import pacts_generate

    started = time.perf_counter()
    counts = national_generate(
        officials=officials, pemda=pemda, seed=SEED, progress=lambda _line: None
    )
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    counts.update(pacts_generate(year=YEAR, seed=SEED, progress=lambda _line: None))
    return counts, loaded, time.perf_counter() - started


def _client() -> Any:
    """A superadmin's browser session, with two-factor verification passed (as tests do)."""
    from django.test import Client
    from django_otp.plugins.otp_static.models import StaticDevice

    from pakta.accounts.services import user_create

    user = user_create(
        username="bench", password=None, acting_user=None, is_superuser=True, validate=False
    )
    client = Client()
    client.force_login(user)
    device, _created = StaticDevice.objects.get_or_create(user=user, name="bench")
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


# --- The baseline: hand-written SQL over the pact table --------------------------------------


def scan_all(year: int) -> Figures:
    """Signed / pending / excused per Pemda and unit, counted from every pact of the year."""
    from django.db import connection

    figures: Figures = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pemda_id, unit_id, status, COUNT(*) FROM pacts_pact WHERE year = %s"
            " GROUP BY pemda_id, unit_id, status",
            [year],
        )
        for pemda_id, unit_id, status, n in cursor.fetchall():
            figures.setdefault((pemda_id, unit_id), _zero())[status] = n
    return figures


def scan_pemda(pemda_id: int, year: int) -> Figures:
    """The same for one Pemda (what a Pemda page without counters would run)."""
    from django.db import connection

    figures: Figures = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, status, COUNT(*) FROM pacts_pact WHERE pemda_id = %s AND year = %s"
            " GROUP BY unit_id, status",
            [pemda_id, year],
        )
        for unit_id, status, n in cursor.fetchall():
            figures.setdefault((pemda_id, unit_id), _zero())[status] = n
    return figures


def _zero() -> dict[str, int]:
    return {"signed": 0, "pending": 0, "excused": 0}


# --- The dashboard as served --------------------------------------------------------------------

NATIONAL_ROW = re.compile(
    r'<tr data-pemda="(\d+)">.*?<td class="signed">(\d+)</td>'
    r'<td class="pending">(\d+)</td><td class="excused">(\d+)</td>'
)
UNIT_ROW = re.compile(r"<tr><td>(.*?)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>")


def get_page(client: Any, url: str, headers: dict[str, str] | None = None) -> str:
    response = client.get(url, **(headers or {}))
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return str(response.content.decode())


def national_numbers(page: str) -> dict[int, tuple[int, int, int]]:
    return {int(p): (int(s), int(n), int(e)) for p, s, n, e in NATIONAL_ROW.findall(page)}


def unit_numbers(page: str) -> list[tuple[str, int, int, int]]:
    table = page.split('<table id="per-unit">', 1)[1].split("</table>", 1)[0]
    return sorted(
        (html.unescape(name), int(s), int(p), int(e)) for name, s, p, e in UNIT_ROW.findall(table)
    )


def _per_pemda(figures: Figures) -> dict[int, tuple[int, int, int]]:
    totals: dict[int, tuple[int, int, int]] = {}
    for (pemda_id, _unit), n in figures.items():
        s, p, e = totals.get(pemda_id, (0, 0, 0))
        totals[pemda_id] = (s + n["signed"], p + n["pending"], e + n["excused"])
    return totals


def _expected_units(figures: Figures, pemda_id: int) -> list[tuple[str, int, int, int]]:
    from pakta.org.models import Unit

    names = dict(Unit.objects.filter(pemda_id=pemda_id).values_list("pk", "name"))
    return sorted(
        (
            names.get(unit_id, "(no unit)") if unit_id else "(no unit)",
            n["signed"],
            n["pending"],
            n["excused"],
        )  # type: ignore[arg-type]
        for (p, unit_id), n in figures.items()
        if p == pemda_id
    )


def _timed(function: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def _measure(officials: int, pemda: int, repeat: int, name: str) -> int:
    from django.db import connection

    from pakta.org.models import Pemda
    from pakta.pacts.models import ComplianceCount, Pact

    counts, load_seconds, pact_seconds = _generate(officials, pemda)
    pacts = Pact.objects.filter(year=YEAR).count()
    print(
        f"{name}: {counts['officials']:,} officials, {counts['pemda']} Pemda, "
        f"{counts['units']:,} units, {pacts:,} pacts for {YEAR} "
        f"({counts['signed']:,} signed), {ComplianceCount.objects.filter(year=YEAR).count():,}"
        f" counters, {connection.vendor}"
    )
    print(
        f"  generated (untimed): officials {load_seconds:.0f} s, pacts and counters"
        f" {pact_seconds:.0f} s"
    )
    client = _client()
    national_url = f"/nasional/pakta/{YEAR}/"

    # Warm-up (untimed), and the Pemda whose pages are timed: largest, median, smallest.
    figures = scan_all(YEAR)
    by_pemda = _per_pemda(figures)
    ranked = sorted(by_pemda, key=lambda p: (sum(by_pemda[p]), p))
    sample = {"largest": ranked[-1], "median": ranked[len(ranked) // 2], "smallest": ranked[0]}
    slugs = dict(Pemda.objects.filter(pk__in=sample.values()).values_list("pk", "slug"))
    urls = {label: f"/p/{slugs[pk]}/pacts/compliance/?year={YEAR}" for label, pk in sample.items()}
    # Who has not signed comes in a second request (HTMX) after the figures: timed on its own.
    unsigned_url = urls["largest"].replace("/compliance/?", "/compliance/unsigned/?")
    htmx = {"HTTP_HX_REQUEST": "true"}
    get_page(client, national_url)
    get_page(client, unsigned_url, htmx)
    for url in urls.values():
        get_page(client, url)

    best: dict[str, float] = {}

    def keep(label: str, seconds: float) -> None:
        best[label] = min(best.get(label, float("inf")), seconds)

    pages: dict[str, str] = {}
    pemda_scans: dict[str, Figures] = {}
    for _attempt in range(repeat):
        seconds, figures = _timed(scan_all, YEAR)
        keep("scan", seconds)
        seconds, pages["national"] = _timed(get_page, client, national_url)
        keep("national", seconds)
        for label, url in urls.items():
            seconds, pages[label] = _timed(get_page, client, url)
            keep(label, seconds)
            seconds, pemda_scans[label] = _timed(scan_pemda, sample[label], YEAR)
            keep(f"scan {label}", seconds)
        seconds, unsigned_page = _timed(get_page, client, unsigned_url, htmx)
        keep("unsigned", seconds)

    # The numbers must agree: every Pemda on the national page, every unit on the Pemda pages.
    problems = []
    shown = national_numbers(pages["national"])
    if shown != _per_pemda(figures):
        wrong = [p for p in by_pemda if shown.get(p) != by_pemda[p]]
        problems.append(f"national page differs from the scan for {len(wrong)} Pemda {wrong[:3]}")
    if len(shown) != len(by_pemda) or sum(sum(v) for v in shown.values()) != pacts:
        problems.append(f"national page lists {len(shown)} Pemda")
    for label, pemda_id in sample.items():
        expected = _expected_units(figures, pemda_id)
        if unit_numbers(pages[label]) != expected:
            problems.append(f"{label} Pemda page differs from the scan")
        if _expected_units(pemda_scans[label], pemda_id) != expected:
            problems.append(f"{label} Pemda scan differs from the national scan")
    listed = unsigned_page.count("<small>NIP ")
    not_signed = sum(by_pemda[sample["largest"]][1:])
    if listed != min(500, not_signed):
        problems.append(f"the unsigned list shows {listed} of {not_signed} officials")
    if problems:
        for problem in problems:
            print(f"  MISMATCH: {problem}")
        print(f"RESULT bench={name} ratio=0 target={TARGET} ok=false")
        return 1

    dashboard = best["national"] + best["largest"]
    ratio = best["scan"] / dashboard
    ms = {label: seconds * 1000 for label, seconds in best.items()}
    print(f"  best of {repeat} runs of each, interleaved, after a warm-up; figures agree")
    print(
        f"  scan of the pact table (all Pemda, per unit and status): {ms['scan']:8.1f} ms"
        f"  ({pacts / best['scan']:,.0f} pacts/s)"
    )
    print(f"  national page ({len(shown)} Pemda)                      : {ms['national']:8.1f} ms")
    for label, pemda_id in sample.items():
        size = sum(by_pemda[pemda_id])
        print(
            f"  compliance page, {label:8s} Pemda ({size:6,} pacts)  : {ms[label]:8.1f} ms"
            f"   (its own indexed scan: {ms['scan ' + label]:6.1f} ms)"
        )
    print(f"  dashboard = national page + largest Pemda page          : {dashboard * 1000:8.1f} ms")
    print(
        f"  then, loaded by HTMX, the first {listed} of its {not_signed:,} officials who have"
        f" not signed: {ms['unsigned']:.1f} ms (not in the ratio: no figures)"
    )
    print(f"  ratio scan/dashboard: {ratio:.1f} (target >= {TARGET})")
    median_pemda = statistics.median(sum(v) for v in by_pemda.values())
    print(f"  pacts per Pemda: median {median_pemda:,.0f}, largest {sum(by_pemda[ranked[-1]]):,}")
    ok = ratio >= TARGET
    print(f"RESULT bench={name} ratio={ratio:.1f} target={TARGET} ok={str(ok).lower()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
