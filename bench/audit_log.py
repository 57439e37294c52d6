#!/usr/bin/env python
"""The transparency log: appending through the audit service against plain SQL inserts of the
same rows, and inclusion proofs in a tree of 10 million leaves against a primary-key lookup.

    uv run python bench/audit_log.py --events 100000

Phase "service": ``audit_record_many`` in batches of ``--batch`` events, one transaction each,
as imports and bulk services call it: every event canonicalised and hashed (its RFC 9162 leaf
hash), the perfect subtrees it completes hashed and inserted, the head (sequence, hash, frontier)
locked and moved. Phase "plain": the same event rows (same columns and values, hashes computed
beforehand, the summary serialised to JSON in the timed loop) inserted with plain SQL in the same batches and transactions (``executemany`` on
SQLite, ``COPY`` on PostgreSQL), nothing else. Each phase starts on a fresh copy of a migrated
database; they alternate ``--repeat`` times and the best of each counts. Target: the service
reaches half the plain rate. Single-event transactions (``audit_record`` per change, as most
services call it) are timed too and printed beside it.

Proofs: a tree of ``--proof-leaves`` leaves (default 10,000,000 from ``--rows 100000`` on, else
100 x rows) is written untimed: the leaf hashes as event rows and every perfect subtree as node
rows, exactly as the service would have. Then ``--samples`` inclusion proofs at random leaves
(``pakta.audit.log.inclusion_proof``: two queries, about 24 hashes) are timed against as many
ORM primary-key lookups of an event, and each proof is verified against the root. Target: a
proof costs at most 20 primary-key lookups and its median is under 10 ms (the 99th
percentile is printed beside it).

Runs SQLite, and PostgreSQL too when DATABASE_URL is set. Ends each database run with
``RESULT bench=audit_log_<db> ...`` and ``RESULT bench=audit_proof_<db> ...``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _harness import Databases, run_engines

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.5
PROOF_TARGET = 20.0  # at most this many primary-key lookups
PROOF_MS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="events in each phase")
    parser.add_argument("--rows", type=int, help="as passed by scripts/bench.sh: events = rows")
    parser.add_argument("--batch", type=int, default=1000, help="events per transaction")
    parser.add_argument("--single", type=int, default=2000, help="single-event transactions")
    parser.add_argument("--proof-leaves", type=int, help="leaves of the proof tree")
    parser.add_argument("--samples", type=int, default=2000, help="proofs and lookups timed")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each phase; best counts")
    parser.add_argument(
        "--backend",
        choices=["auto", "sqlite", "postgres"],
        default="auto",
        help="auto: SQLite, and PostgreSQL too when DATABASE_URL is set",
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    events = args.rows if args.rows else args.events
    leaves = args.proof_leaves or (10_000_000 if events >= 100_000 else events * 100)
    if args.child:
        return run_one(args, args.child, events, leaves)
    return run_engines(__file__, args.backend)


def run_one(args: Any, backend: str, events: int, leaves: int) -> int:
    var_dir = tempfile.mkdtemp(prefix="pakta-bench-audit-")
    os.environ["PAKTA_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "pakta.settings"
    os.environ.setdefault("PAKTA_LOG_LEVEL", "WARNING")
    os.environ["PAKTA_DEBUG"] = "false"
    os.environ["PAKTA_TASKS_IMMEDIATE"] = "1"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    databases = Databases(backend, "audit")
    try:
        _append_bench(databases, backend, events, args.batch, args.single, args.repeat)
        _proof_bench(databases, backend, leaves, args.samples)
    finally:
        databases.cleanup()
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0  # a missed target is reported in the RESULT line; only a crash fails


# --- Appending ------------------------------------------------------------------------------


def _pending(count: int) -> list[Any]:
    from pakta.audit.services import PendingEvent

    return [
        PendingEvent(
            action="org.official.created",
            object_type="org.official",
            object_id=str(100_000 + n),
            pemda_id=None,
            summary={
                "nip": f"1970010120000{n % 100000:05d}",
                "position_id": n % 800,
                "import_id": 1,
            },
        )
        for n in range(count)
    ]


def _plain_rows(pending: list[Any]) -> list[tuple[Any, ...]]:
    from django.utils import timezone

    from pakta.core.bulk import db_datetime

    now = db_datetime(timezone.now())
    rows = []
    prev = "0" * 64
    for seq, event in enumerate(pending, start=1):
        digest = hashlib.sha256(f"{seq}".encode()).hexdigest()  # computed beforehand, untimed
        summary = event.summary  # serialised in the timed phase, as any insert of it must
        rows.append(
            (
                seq,
                now,
                None,
                "",
                None,
                event.action,
                event.object_type,
                event.object_id,
                summary,
                "",
                prev,
                digest,
            )
        )
        prev = digest
    return rows


def _service_phase(pending: list[Any], batch: int) -> float:
    from django.db import transaction

    from pakta.audit.services import audit_record_many

    start = time.perf_counter()
    for first in range(0, len(pending), batch):
        with transaction.atomic():
            audit_record_many(actor=None, events=pending[first : first + batch])
    return time.perf_counter() - start


def _plain_phase(rows: list[tuple[Any, ...]], batch: int) -> float:
    from django.db import transaction

    from pakta.audit.models import AuditEvent
    from pakta.audit.services import _EVENT_COLUMNS
    from pakta.core.bulk import bulk_insert

    dumps = json.dumps
    start = time.perf_counter()
    for first in range(0, len(rows), batch):
        chunk = [(*row[:8], dumps(row[8]), *row[9:]) for row in rows[first : first + batch]]
        with transaction.atomic():
            bulk_insert(AuditEvent, _EVENT_COLUMNS, chunk)
    return time.perf_counter() - start


def _single_service(pending: list[Any]) -> float:
    from django.db import transaction

    from pakta.audit.services import audit_record_many

    start = time.perf_counter()
    for event in pending:
        with transaction.atomic():
            audit_record_many(actor=None, events=[event])
    return time.perf_counter() - start


def _single_plain(rows: list[tuple[Any, ...]]) -> float:
    from django.db import connection, transaction

    from pakta.audit.models import AuditEvent
    from pakta.audit.services import _EVENT_COLUMNS

    names = ", ".join(_EVENT_COLUMNS)
    marks = ", ".join(["%s"] * len(_EVENT_COLUMNS))
    sql = f"INSERT INTO {AuditEvent._meta.db_table} ({names}) VALUES ({marks})"
    start = time.perf_counter()
    for row in rows:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [*row[:8], json.dumps(row[8]), *row[9:]])
    return time.perf_counter() - start


def _written() -> list[tuple[Any, ...]]:
    from pakta.audit.models import AuditEvent

    return list(
        AuditEvent.objects.order_by("seq").values_list("seq", "action", "object_id", "summary")
    )


def _append_bench(
    databases: Databases, backend: str, events: int, batch: int, single: int, repeat: int
) -> None:
    from pakta.audit.verify import log_verify

    pending = _pending(events)
    rows = _plain_rows(pending)
    service_times, plain_times = [], []
    for _ in range(repeat):
        databases.fresh("service")
        service_times.append(_service_phase(pending, batch))
        service_rows = _written()
        report = log_verify()
        assert report.ok and report.events == events, report
        databases.fresh("plain")
        plain_times.append(_plain_phase(rows, batch))
        assert _written() == service_rows, "both phases must write the same rows"
    service, plain = min(service_times), min(plain_times)
    print(
        f"{backend}: {events} events in batches of {batch}: service {events / service:,.0f}/s "
        f"({service:.2f} s), plain SQL {events / plain:,.0f}/s ({plain:.2f} s)"
    )
    databases.fresh("service")
    one = _single_service(pending[:single])
    databases.fresh("plain")
    one_plain = _single_plain(rows[:single])
    print(
        f"{backend}: {single} single-event transactions: service {single / one:,.0f}/s, "
        f"plain SQL {single / one_plain:,.0f}/s, ratio {one_plain / one:.2f} (not the target)"
    )
    ratio = plain / service
    ok = ratio >= TARGET
    print(
        f"RESULT bench=audit_log_{backend} ratio={ratio:.2f} target={TARGET} "
        f"ok={'true' if ok else 'false'}"
    )


# --- Proofs at 10 million leaves -------------------------------------------------------------


def _build_tree(leaves: int) -> bytes:
    """Untimed: ``leaves`` event rows (leaf hashes only matter here) and every perfect subtree."""
    from django.db import transaction
    from django.utils import timezone

    from pakta.audit.merkle import TreeBuilder
    from pakta.audit.models import AuditEvent, ChainHead, MerkleNode
    from pakta.audit.services import _EVENT_COLUMNS, STORED_FROM_LEVEL, node_id
    from pakta.core.bulk import bulk_insert, db_datetime

    now = db_datetime(timezone.now())
    tree = TreeBuilder()
    chunk = 200_000
    started = time.perf_counter()
    prev = "0" * 64
    for first in range(0, leaves, chunk):
        events, nodes = [], []
        for index in range(first, min(leaves, first + chunk)):
            leaf = hashlib.sha256(b"\x00" + index.to_bytes(8, "big")).digest()
            digest = leaf.hex()
            events.append((index + 1, now, None, "", None, "bench", "", "", "{}", "", prev, digest))
            prev = digest
            nodes += [
                (node_id(level, i), h)
                for (level, i), h in tree.append(leaf)
                if level >= STORED_FROM_LEVEL
            ]
        with transaction.atomic():
            bulk_insert(AuditEvent, _EVENT_COLUMNS, events)
            bulk_insert(MerkleNode, ("id", "hash"), nodes)
    ChainHead.objects.update_or_create(
        pk=1, defaults={"seq": leaves, "hash": prev, "frontier": b"".join(tree.frontier)}
    )
    print(f"proof tree of {leaves:,} leaves written in {time.perf_counter() - started:.0f} s")
    return tree.root()


def _proof_bench(databases: Databases, backend: str, leaves: int, samples: int) -> None:
    from django.db import connection

    from pakta.audit import log, merkle
    from pakta.audit.models import AuditEvent

    databases.fresh("proofs")
    root = _build_tree(leaves)
    if backend == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    assert log.root_at(leaves) == root
    rng = random.Random(9162)
    indexes = [rng.randrange(leaves) for _ in range(samples)]
    keys = [rng.randrange(1, leaves + 1) for _ in range(samples)]
    for index in indexes[:50]:  # warm-up, and every proof checked
        proof = log.inclusion_proof(index, leaves)
        assert merkle.verify_inclusion(proof.leaf_hash, index, leaves, proof.path, root)
    for key in keys[:50]:
        AuditEvent.objects.filter(pk=key).first()
    proof_times, lookup_times = [], []
    for index, key in zip(indexes, keys, strict=True):
        start = time.perf_counter()
        log.inclusion_proof(index, leaves)
        proof_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        AuditEvent.objects.filter(pk=key).first()
        lookup_times.append(time.perf_counter() - start)
    proof_ms = statistics.median(proof_times) * 1000
    proof_p99 = sorted(proof_times)[int(len(proof_times) * 0.99)] * 1000
    lookup_ms = statistics.median(lookup_times) * 1000
    ratio = proof_ms / lookup_ms
    ok = ratio <= PROOF_TARGET and proof_ms < PROOF_MS
    print(
        f"{backend}: inclusion proof at {leaves:,} leaves: median {proof_ms:.2f} ms, "
        f"p99 {proof_p99:.2f} ms; primary-key lookup {lookup_ms:.3f} ms"
    )
    print(
        f"RESULT bench=audit_proof_{backend} ratio={ratio:.1f} target=<={PROOF_TARGET:g} "
        f"ok={'true' if ok else 'false'}"
    )


if __name__ == "__main__":
    sys.exit(main())
