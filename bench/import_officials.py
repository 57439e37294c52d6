#!/usr/bin/env python
"""Import officials from a CSV file through the import service, against a raw bulk insert.

    uv run python bench/import_officials.py --rows 100000

One CSV file (an HR export in the import template's layout) is loaded twice, each time into a
freshly migrated database holding one Pemda: once through the service (``import_file``: the
upload checks, the row checks and the preview, the confirmation, then the units, positions,
officials, assignments and one audit event per created row, as a clerk's import goes), and once by a raw bulk insert of the same rows into the
same four tables (executemany on SQLite, COPY on PostgreSQL; the CSV is parsed but not
validated, no audit events). Both phases run on the same machine in the same run, so the ratio
service/raw does not depend on how fast the machine is. Target: the service reaches at least a
third of the raw rate.

Runs on SQLite, and also on PostgreSQL when DATABASE_URL is set (the URL only names the server:
the bench creates and drops its own databases there). Each database run ends with one line
``RESULT bench=<name> ratio=<x> target=0.33 ok=<true|false>``.

A second measure reads a 100,000-row XLSX file (``--xlsx-rows``) through the import's reader
and through raw python-calamine in the same run (openpyxl, the former reader, once for
comparison): ``RESULT bench=import_officials_xlsx_read ratio=<raw/ours> target=0.5``.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from _harness import run_engines

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.33
SEED = 2024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="officials in the CSV file")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each phase; the best time counts"
    )
    parser.add_argument(
        "--backend",
        choices=["auto", "sqlite", "postgres"],
        default="auto",
        help="auto: SQLite, and PostgreSQL too when DATABASE_URL is set",
    )
    parser.add_argument(
        "--xlsx-rows",
        type=int,
        default=100_000,
        help="rows of the XLSX file read by the new reader and by raw calamine (0: skip)",
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--name", default="import_officials", help=argparse.SUPPRESS)
    parser.add_argument("--xlsx-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.xlsx_child:
        return _xlsx_child(args.xlsx_child, max(1, args.repeat))
    if args.child:
        return run_one(args.child, args.rows, args.repeat, f"{args.name}_{args.child}")
    failed_read = read_xlsx(args.xlsx_rows, max(1, args.repeat)) if args.xlsx_rows else 0

    failed = run_engines(__file__, args.backend)
    return 1 if failed or failed_read else 0


XLSX_TARGET = 0.5


def read_xlsx(rows: int, repeat: int) -> int:
    """Read a large XLSX export through the import's reader (python-calamine, every cell turned
    into text as the import needs it, in a Django process) and through raw python-calamine
    (cell values as they come), the same file in the same run; openpyxl, the former reader,
    once for comparison. Target: the import's reader at half the raw speed or better."""
    command = [sys.executable, __file__, "--xlsx-child", str(rows), "--repeat", str(repeat)]
    return subprocess.run(command, check=False).returncode


def _xlsx_child(rows: int, repeat: int) -> int:
    import random

    os.environ["DJANGO_SETTINGS_MODULE"] = "pakta.settings"
    os.environ.setdefault("PAKTA_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from openpyxl import Workbook, load_workbook
    from python_calamine import CalamineWorkbook

    from pakta.org.import_files import Source
    from pakta.org.synthetic import hr_rows

    name = "import_officials_xlsx_read"
    table = hr_rows(random.Random(SEED), rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pegawai")
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    print(f"{name}: {rows:,} rows, XLSX {len(content) / 1e6:.1f} MB")

    def ours() -> int:
        source = Source("bench.xlsx", content)
        return sum(1 for _row in source.rows("Pegawai"))

    def raw() -> int:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return len(book.get_sheet_by_name("Pegawai").to_python())

    def openpyxl_read() -> int:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        return sum(1 for _row in book["Pegawai"].iter_rows(values_only=True))

    best = {"ours": float("inf"), "raw": float("inf")}
    counts = {}
    for _attempt in range(repeat):
        for label, read in (("raw", raw), ("ours", ours)):
            started = time.perf_counter()
            counts[label] = read()
            best[label] = min(best[label], time.perf_counter() - started)
    started = time.perf_counter()
    counts["openpyxl"] = openpyxl_read()
    slow = time.perf_counter() - started
    if len(set(counts.values())) != 1 or counts["ours"] != rows + 1:
        print(f"  MISMATCH: rows read {counts}")
        print(f"RESULT bench={name} ratio=0 target={XLSX_TARGET} ok=false")
        return 1
    ratio = best["raw"] / best["ours"]
    print(f"  raw python-calamine : {best['raw']:6.2f} s  {rows / best['raw']:9,.0f} rows/s")
    print(f"  import reader       : {best['ours']:6.2f} s  {rows / best['ours']:9,.0f} rows/s")
    print(f"  openpyxl (former)   : {slow:6.2f} s  {rows / slow:9,.0f} rows/s (one run)")
    ok = ratio >= XLSX_TARGET
    print(f"RESULT bench={name} ratio={ratio:.2f} target={XLSX_TARGET} ok={str(ok).lower()}")
    return 0


def run_one(backend: str, rows: int, repeat: int, name: str) -> int:
    var_dir = tempfile.mkdtemp(prefix="pakta-bench-")
    os.environ["PAKTA_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "pakta.settings"
    os.environ.setdefault("PAKTA_LOG_LEVEL", "WARNING")
    os.environ["PAKTA_DEBUG"] = "false"  # as in production: no query log in memory
    os.environ["PAKTA_IMPORT_MAX_BYTES"] = str(1 << 30)  # the bench file may exceed the default
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    databases = _Databases(backend)
    try:
        databases.prepare()
        return _measure(databases, rows, repeat, name)
    except Exception:
        traceback.print_exc()
        print(f"RESULT bench={name} ratio=0 target={TARGET} ok=false")
        return 1
    finally:
        databases.cleanup()
        shutil.rmtree(var_dir, ignore_errors=True)


class _Databases:
    """A migrated template database, and a fresh copy of it for each phase."""

    def __init__(self, backend: str) -> None:
        from django.db import connection

        self.backend = backend
        self.settings = connection.settings_dict
        self.copies: list[str] = []
        if backend == "postgres":
            self.template = f"pakta_bench_tpl_{os.getpid()}"
        else:
            self.template = str(Path(os.environ["PAKTA_VAR_DIR"]) / "template.sqlite3")

    def prepare(self) -> None:
        from django.core.management import call_command

        if self.backend == "postgres":
            self.copies.append(self.template)
            self._admin(f'CREATE DATABASE "{self.template}"')
        self._use(self.template)
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        self._use(None)

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

    def _use(self, name: str | None) -> None:
        from django.db import connection

        connection.close()
        if name is not None:
            self.settings["NAME"] = name

    def fresh(self, label: str) -> None:
        """Point the connection at a new copy of the migrated template."""
        self._use(None)
        if self.backend == "postgres":
            name = f"pakta_bench_{label}_{os.getpid()}"
            self._admin(f'DROP DATABASE IF EXISTS "{name}"')
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        else:
            name = str(Path(self.template).with_name(f"{label}.sqlite3"))
            shutil.copyfile(self.template, name)
        self.copies.append(name)
        self._use(name)

    def cleanup(self) -> None:
        self._use(None)
        if self.backend == "postgres":
            for name in reversed(self.copies):  # the template last: the copies came from it
                self._admin(f'DROP DATABASE IF EXISTS "{name}"')


def _setup_pemda() -> tuple[Any, Any]:
    """Untimed set-up, through the services: a superadmin and one empty Pemda."""
    from pakta.accounts.services import user_create
    from pakta.org.services import pemda_create

    user = user_create(
        username="bench", password=None, acting_user=None, is_superuser=True, validate=False
    )
    pemda = pemda_create(
        acting_user=user,
        name="Kabupaten Bangku Uji",
        slug="bangku",
        kind="kabupaten",
        kemendagri_code="97.01",
    )
    return user, pemda


def _table_counts(pemda_id: int) -> dict[str, int]:
    from pakta.org.models import Assignment, Official, Position, Unit

    return {
        "units": Unit.objects.filter(pemda_id=pemda_id).count(),
        "positions": Position.objects.filter(pemda_id=pemda_id).count(),
        "officials": Official.objects.filter(pemda_id=pemda_id).count(),
        "assignments": Assignment.objects.filter(pemda_id=pemda_id, end_date=None).count(),
    }


def _measure(databases: _Databases, rows: int, repeat: int, name: str) -> int:
    import random

    from django.db import connection

    from pakta.audit.models import AuditEvent
    from pakta.audit.selectors import audit_chain_verify
    from pakta.core.exports import rows_to_csv
    from pakta.org.imports import import_file
    from pakta.org.synthetic import hr_rows

    table = hr_rows(random.Random(SEED), rows)
    content = rows_to_csv(table[0], table[1:])
    print(f"{name}: {rows:,} officials, CSV {len(content) / 1e6:.1f} MB, {connection.vendor}")

    raw_seconds = service_seconds = float("inf")
    for _attempt in range(repeat):
        # A fresh database for each phase; the best of ``repeat`` runs of each, interleaved,
        # so that a slow disk flush in one run does not decide the ratio.
        databases.fresh("raw")
        _user, pemda = _setup_pemda()
        started = time.perf_counter()
        raw_insert(pemda_id=pemda.pk, content=content)
        raw_seconds = min(raw_seconds, time.perf_counter() - started)
        raw_counts = _table_counts(pemda.pk)

        databases.fresh("service")
        user, pemda = _setup_pemda()
        events_before = AuditEvent.objects.count()
        profiler = None
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        # Upload, check and preview, confirm, apply: every step a clerk's import goes through.
        job = import_file(pemda=pemda, file_name="bench.csv", content=content, acting_user=user)
        service_seconds = min(service_seconds, time.perf_counter() - started)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(os.environ["BENCH_PROFILE"])
        service_counts = _table_counts(pemda.pk)
        events = AuditEvent.objects.count() - events_before
        chain = audit_chain_verify()  # untimed: the bulk-written events must verify

    if not chain.ok:
        print(f"  AUDIT CHAIN BROKEN at #{chain.broken_seq}: {chain.reason}")
        print(f"RESULT bench={name} ratio=0 target={TARGET} ok=false")
        return 1
    if job.status != "done" or service_counts != raw_counts or raw_counts["officials"] != rows:
        print(f"  MISMATCH: job {job.status} {job.errors[:3]}; raw {raw_counts}")
        print(f"            service {service_counts}")
        print(f"RESULT bench={name} ratio=0 target={TARGET} ok=false")
        return 1
    raw_rate, service_rate = rows / raw_seconds, rows / service_seconds
    ratio = service_rate / raw_rate
    shape = ", ".join(f"{k} {v:,}" for k, v in raw_counts.items())
    print(f"  rows written   : {shape}")
    print(f"  best of {repeat} runs of each, on a fresh database each time")
    print(f"  raw bulk insert: {raw_seconds:7.2f} s  {raw_rate:9,.0f} rows/s")
    print(f"  import service : {service_seconds:7.2f} s  {service_rate:9,.0f} rows/s")
    print(f"                   (+ {events:,} audit events; chain verified: {chain.checked:,})")
    ok = ratio >= TARGET
    print(f"RESULT bench={name} ratio={ratio:.2f} target={TARGET} ok={str(ok).lower()}")
    return 0


LEVELS = {
    "II": "jpt_pratama",
    "III": "administrator",
    "IV": "pengawas",
    "FUNGSIONAL": "fungsional",
    "PELAKSANA": "pelaksana",
}


def raw_insert(*, pemda_id: int, content: bytes) -> None:
    """The baseline: parse the CSV and write the same rows with raw SQL, in one transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    headers = next(reader)
    col = {h: i for i, h in enumerate(headers)}
    nip_i, name_i, front_i, back_i = (
        col["NIP"],
        col["NAMA"],
        col["GELAR DEPAN"],
        col["GELAR BELAKANG"],
    )
    gol_i, title_i, level_i = col["GOLONGAN"], col["JABATAN"], col["ESELON/JENJANG"]
    unit_i, parent_i, email_i, start_i = (
        col["UNIT KERJA"],
        col["UNIT INDUK"],
        col["EMAIL"],
        col["TMT JABATAN"],
    )

    units: dict[tuple[str, str], int] = {}
    unit_rows: list[tuple[Any, ...]] = []
    positions: dict[tuple[int, str], int] = {}
    position_rows: list[tuple[Any, ...]] = []
    official_rows: list[tuple[Any, ...]] = []
    assignment_rows: list[tuple[Any, ...]] = []

    def unit_id(parent: str, name: str) -> int:
        key = (parent.lower(), name.lower())
        if key not in units:
            parent_id = unit_id("", parent) if parent else None
            pk = len(unit_rows) + 1
            path = f"{unit_rows[parent_id - 1][8] if parent_id else '/'}{pk}/"
            kind = "sub_unit" if parent_id else "other"
            unit_rows.append((pk, now, now, pemda_id, parent_id, name, "", kind, path, True))
            units[key] = pk
        return units[key]

    for official_id, row in enumerate(reader, start=1):
        nip, title = row[nip_i], row[title_i]
        unit = unit_id(row[parent_i], row[unit_i])
        position = positions.get((unit, title.lower()))
        if position is None:
            position = len(position_rows) + 1
            level = LEVELS.get(row[level_i], "pelaksana")
            head = title.lower().startswith("kepala")
            position_rows.append((position, now, now, pemda_id, unit, title, level, head))
            positions[(unit, title.lower())] = position
        birth = f"{nip[0:4]}-{nip[4:6]}-{nip[6:8]}"
        official_rows.append(
            (
                official_id,
                now,
                now,
                pemda_id,
                nip,
                row[name_i],
                row[front_i],
                row[back_i],
                row[gol_i],
                "L" if nip[14] == "1" else "P",
                birth,
                row[email_i],
            )
        )
        start = row[start_i] or timezone.localdate().isoformat()
        assignment_rows.append((now, now, pemda_id, official_id, position, "definitif", start))

    with transaction.atomic():
        _insert(
            "org_unit",
            "id created_at updated_at pemda_id parent_id name code kind path is_active",
            unit_rows,
        )
        _insert(
            "org_position",
            "id created_at updated_at pemda_id unit_id title level is_unit_head",
            position_rows,
        )
        _insert(
            "org_official",
            "id created_at updated_at pemda_id nip name front_title back_title golongan sex birth_date email",
            official_rows,
        )
        _insert(
            "org_assignment",
            "created_at updated_at pemda_id official_id position_id kind start_date",
            assignment_rows,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in ("org_unit", "org_position", "org_official"):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                    )


def _insert(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    names = columns.replace(" ", ", ")
    raw: Any = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(columns.split()))
        raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


if __name__ == "__main__":
    sys.exit(main())
