#!/usr/bin/env python
"""Deadline states of gratification reports: the service against a NumPy baseline.

    uv run python bench/gratification_deadlines.py             # 20,000 reports, 546 Pemda
    uv run python bench/gratification_deadlines.py --national  # 200,000 reports, 546 Pemda

Generated first (untimed): 546 Pemda with their officials (``national_generate``), one open
gratification report per row received on a random day of the last ten months, spread over the
Pemda, and regional holidays (``CalendarDay`` rows) for one Pemda in ten. Then, interleaved, the
best of ``--repeat`` runs of each:

- **service**: ``pakta.gratification.deadlines.open_report_states`` — the query of open
  reports, one ``WorkCalendar`` per Pemda with overrides (the others share the national one),
  and the 30-working-day state of each report (on time / due in ≤ 3 working days / late).
- **baseline**: the same query, the holidays built directly from the ``holidays`` package plus
  the same ``CalendarDay`` rows (one NumPy calendar shared by the Pemda without overrides, as the
  service does), and ``numpy.busday_count`` per Pemda: late when 30 or more working days passed
  before today, due soon when at most 3 are left.

Both must agree on every report. Result: ratio = service time / baseline time, target ≤ 2.
Runs on SQLite, and also on PostgreSQL when DATABASE_URL is set (the URL only names the server:
the bench creates and drops its own database there). Each database run ends with one line
``RESULT bench=<name> ratio=<service/baseline> target=2 ok=<true|false>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET = 2.0
DEFAULT_REPORTS = 20_000
NATIONAL_REPORTS = 200_000
TODAY = dt.date(2026, 3, 2)
SEED = 2026


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=DEFAULT_REPORTS)
    parser.add_argument("--national", action="store_true", help="200,000 reports, 546 Pemda")
    parser.add_argument("--rows", type=int, help="as passed by scripts/bench.sh: reports = rows")
    parser.add_argument("--pemda", type=int, default=546)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=["auto", "sqlite", "postgres"], default="auto")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--name", default="gratification_deadlines", help=argparse.SUPPRESS)
    args = parser.parse_args()
    reports = NATIONAL_REPORTS if args.national else (args.rows or args.reports)
    if args.child:
        return run_one(args.child, reports, args.pemda, max(1, args.repeat), args.name)
    url = os.environ.get("DATABASE_URL", "")
    backends = (
        (["sqlite", "postgres"] if url else ["sqlite"])
        if args.backend == "auto"
        else [args.backend]
    )
    if "postgres" in backends and not url.startswith("postgres"):
        print("--backend postgres needs DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    failed = 0
    for backend in backends:
        name = f"gratification_deadlines_{backend}"
        env = dict(os.environ)
        if backend == "sqlite":
            env.pop("DATABASE_URL", None)
        command = [sys.executable, __file__, "--child", backend, "--reports", str(reports)]
        command += ["--pemda", str(args.pemda), "--repeat", str(args.repeat), "--name", name]
        failed += subprocess.run(command, env=env, check=False).returncode != 0
    return 1 if failed else 0


def run_one(backend: str, reports: int, pemda: int, repeat: int, name: str) -> int:
    var_dir = tempfile.mkdtemp(prefix="pakta-bench-gratification-")
    os.environ["PAKTA_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "pakta.settings"
    os.environ.setdefault("PAKTA_LOG_LEVEL", "WARNING")
    os.environ["PAKTA_DEBUG"] = "false"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    settings = connection.settings_dict
    db_name = (
        f"pakta_bench_gratification_{os.getpid()}"
        if backend == "postgres"
        else str(Path(var_dir) / "bench.sqlite3")
    )

    def admin(sql: str) -> None:
        import psycopg

        params = {k.lower(): settings[k] or None for k in ("HOST", "PORT", "USER", "PASSWORD")}
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    try:
        connection.close()
        if backend == "postgres":
            admin(f'DROP DATABASE IF EXISTS "{db_name}"')
            admin(f'CREATE DATABASE "{db_name}"')
        settings["NAME"] = db_name
        call_command("migrate", verbosity=0)
        return measure(reports, pemda, repeat, name)
    except Exception:
        traceback.print_exc()
        print(f"RESULT bench={name} ratio=0 target={TARGET:g} ok=false")
        return 1
    finally:
        connection.close()
        if backend == "postgres":
            admin(f'DROP DATABASE IF EXISTS "{db_name}"')
        shutil.rmtree(var_dir, ignore_errors=True)


def generate(reports: int, pemda: int) -> None:
    from django.db import transaction

    from pakta.accounts.models import User
    from pakta.gratification.models import GratificationReport
    from pakta.org.models import CalendarDay, Official
    from pakta.org.synthetic import national_generate

    national_generate(officials=pemda * 2, pemda=pemda, seed=SEED, progress=lambda _l: None)
    rng = random.Random(SEED)
    officials = list(Official.objects.values_list("pk", "pemda_id", "nip"))
    user = User.objects.create(username="bench")
    pemda_ids = sorted({p for _o, p, _n in officials})
    overrides = []
    for pid in pemda_ids[::10]:  # a regional holiday or two for one Pemda in ten
        for _ in range(2):
            day = TODAY - dt.timedelta(days=rng.randrange(1, 300))
            overrides.append(
                CalendarDay(pemda_id=pid, date=day, is_working_day=False, name="Hari jadi")
            )
    CalendarDay.objects.bulk_create(overrides, ignore_conflicts=True)
    batch: list[GratificationReport] = []
    for i in range(reports):
        official_id, pemda_id, nip = officials[rng.randrange(len(officials))]
        received = TODAY - dt.timedelta(days=rng.randrange(0, 300))
        batch.append(
            GratificationReport(
                pemda_id=pemda_id,
                number=f"GRT/2026/{i:06d}",
                type="received",
                status="submitted",
                reporter=user,
                recipient_id=official_id,
                recipient_nip=nip,
                recipient_name="Pegawai",
                giver_name="Pemberi",
                giver_key="pemberi",
                relationship="vendor",
                occasion="Acara",
                received_on=received,
                place="Kantor",
                kind="goods",
                description="Parsel",
                value=rng.randrange(50_000, 5_000_000),
                location="recipient",
                chronology="-",
                reported_on=TODAY,
                kpk_due=TODAY,
                upg_due=TODAY,
                forward_due=TODAY,
            )
        )
        if len(batch) == 10_000:
            with transaction.atomic():
                GratificationReport.objects.bulk_create(batch)
            batch = []
    with transaction.atomic():
        GratificationReport.objects.bulk_create(batch)


def service() -> tuple[Any, Any]:
    from pakta.gratification.deadlines import open_report_states

    result = open_report_states(today=TODAY)
    return result["ids"], result["state"]


def baseline() -> tuple[Any, Any]:
    """The plain way: rows, holidays and numpy.busday_count per Pemda."""
    import holidays
    import numpy as np

    from pakta.gratification.models import GratificationReport
    from pakta.org.models import CalendarDay
    from pakta.org.workdays import FIRST_YEAR, LAST_YEAR

    rows = list(
        GratificationReport.objects.filter(
            status__in=["submitted", "returned", "analysis", "internal"]
        ).values_list("pk", "pemda_id", "received_on")
    )
    ids, pemda_ids, received = (np.array(c) for c in zip(*rows, strict=True))
    received = received.astype("datetime64[D]")
    national = set(
        holidays.country_holidays(
            "ID", years=range(FIRST_YEAR, LAST_YEAR + 1), categories=("public", "government")
        )
    )
    national_rows: dict[dt.date, bool] = {}
    own: dict[int, dict[dt.date, bool]] = {}
    for pid, day, working in CalendarDay.objects.values_list("pemda_id", "date", "is_working_day"):
        (national_rows if pid is None else own.setdefault(pid, {}))[day] = working
    state = np.empty(len(ids), dtype="int8")
    today = np.datetime64(TODAY, "D")
    one = np.timedelta64(1, "D")

    def calendar(overrides: dict[dt.date, bool]) -> Any:
        days = set(national)
        for day, working in overrides.items():
            (days.discard if working else days.add)(day)
        return np.busdaycalendar(
            weekmask="1111100", holidays=np.array(sorted(days), dtype="datetime64[D]")
        )

    shared = calendar(national_rows)  # the Pemda without overrides of their own share it
    order = np.argsort(pemda_ids, kind="stable")
    unique, starts = np.unique(pemda_ids[order], return_index=True)
    bounds = [*starts.tolist(), len(order)]
    for i, pid in enumerate(unique.tolist()):
        cal = calendar(national_rows | own[pid]) if pid in own else shared
        mask = order[bounds[i] : bounds[i + 1]]
        start = received[mask] + one
        passed = np.busday_count(start, today, busdaycal=cal)  # working days in (received, today)
        left = 30 - np.busday_count(start, today + one, busdaycal=cal)
        state[mask] = np.where(passed >= 30, 2, np.where(left <= 3, 1, 0))
    return ids, state


def measure(reports: int, pemda: int, repeat: int, name: str) -> int:
    import numpy as np

    started = time.perf_counter()
    generate(reports, pemda)
    print(
        f"generated {reports:,} reports in {pemda} Pemda in {time.perf_counter() - started:.1f} s"
    )
    best = {"service": float("inf"), "baseline": float("inf")}
    results: dict[str, Any] = {}
    service()  # warm-up: the holidays package, the query plans
    baseline()
    for _ in range(repeat):
        for label, func in (("service", service), ("baseline", baseline)):
            t0 = time.perf_counter()
            results[label] = func()
            best[label] = min(best[label], time.perf_counter() - t0)
    (s_ids, s_state), (b_ids, b_state) = results["service"], results["baseline"]
    s_order, b_order = np.argsort(s_ids), np.argsort(b_ids)
    agree = bool(
        np.array_equal(s_ids[s_order], b_ids[b_order])
        and np.array_equal(s_state[s_order], b_state[b_order])
    )
    counts = {
        label: int((b_state == code).sum())
        for code, label in enumerate(("on_time", "due_soon", "late"))
    }
    ratio = best["service"] / best["baseline"]
    print(
        f"{len(s_ids):,} reports: service {best['service']:.3f} s, baseline {best['baseline']:.3f} s, "
        f"states {counts}, agree={agree}"
    )
    ok = agree and ratio <= TARGET
    print(f"RESULT bench={name} ratio={ratio:.2f} target={TARGET:g} ok={'true' if ok else 'false'}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
