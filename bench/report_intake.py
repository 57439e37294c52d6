#!/usr/bin/env python
"""Encrypted report intake through the service, against plain ORM inserts of the same content.

    uv run python bench/report_intake.py --reports 2000

Each report has a 1 MB attachment. Phase "service": ``report_submit`` with everything it does
(validation, recusal check, a fresh report key, the content encrypted with SecretBox and the
file with AEGIS-256, the ciphertext into the document store, the key sealed to every enrolled handler,
assignment, one audit event, in-app notifications). Phase "plain": the same rows and the same
bytes written unencrypted through the ORM (the report row, the file into the document store,
the attachment row), one transaction per report, no audit. Both run in the same process, on
fresh copies of one migrated database, so the ratio does not depend on the machine.

The receipt's argon2id work (the verification hash and the key-wrap derivation, at production
cost) is excluded from the timed phase: it is measured on ``--argon2-samples`` receipts and
reported separately. The timed phase gets receipts whose slow parts are copied from a sample
(each with its own code and index).

Runs on SQLite, and on PostgreSQL too when DATABASE_URL is set (the bench creates and drops its
own databases there). Ends with ``RESULT bench=report_intake ratio=<x> target=0.5 ok=<bool>``.
``--rows`` (what scripts/bench.sh passes to every bench) sets ``--reports`` to rows / 100.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _harness import Databases, run_engines

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.5
HANDLERS = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=2000, help="reports in each phase")
    parser.add_argument(
        "--rows", type=int, help="as passed by scripts/bench.sh: reports = rows/100"
    )
    parser.add_argument("--size", type=int, default=1024 * 1024, help="attachment bytes")
    parser.add_argument("--argon2-samples", type=int, default=5, help="receipts timed for argon2")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each phase; best counts")
    parser.add_argument(
        "--backend",
        choices=["auto", "sqlite", "postgres"],
        default="auto",
        help="auto: SQLite, and PostgreSQL too when DATABASE_URL is set",
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--name", default="report_intake", help=argparse.SUPPRESS)
    args = parser.parse_args()
    reports = max(20, args.rows // 100) if args.rows else args.reports
    if args.child:
        return run_one(
            args.child,
            reports,
            args.size,
            args.argon2_samples,
            args.repeat,
            f"{args.name}_{args.child}",
        )

    return run_engines(__file__, args.backend)


def run_one(backend: str, reports: int, size: int, samples: int, repeat: int, name: str) -> int:
    var_dir = tempfile.mkdtemp(prefix="pakta-bench-reports-")
    os.environ["PAKTA_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "pakta.settings"
    os.environ.setdefault("PAKTA_LOG_LEVEL", "WARNING")
    os.environ["PAKTA_DEBUG"] = "false"
    os.environ["PAKTA_TASKS_IMMEDIATE"] = "1"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    settings.PAKTA_REPORT_MAX_FILE_BYTES = max(size, 1024 * 1024) + 1024
    databases = Databases(backend, "reports", setup=_setup)
    try:
        return _measure(databases, reports, size, samples, repeat, name)
    finally:
        databases.cleanup()
        shutil.rmtree(var_dir, ignore_errors=True)


def _setup() -> None:
    """Untimed: a Pemda with an Inspektorat of three handlers who enrolled report keys."""
    from pakta.accounts.services import membership_grant, user_create
    from pakta.org.services import pemda_create
    from pakta.reports.keys import handler_key_enrol

    root = user_create(
        username="bench", password=None, acting_user=None, is_superuser=True, validate=False
    )
    pemda = pemda_create(
        acting_user=root,
        name="Kabupaten Bangku Uji",
        slug="bangku",
        kind="kabupaten",
        kemendagri_code="97.01",
    )
    for n in range(HANDLERS):
        user = user_create(username=f"penangan{n}", password="bench-password-123", acting_user=root)
        membership_grant(user=user, pemda=pemda, role="inspektorat", acting_user=root)
        handler_key_enrol(user=user, password="bench-password-123")


def _attachment(n: int, block: bytes) -> bytes:
    # A PDF-looking file, different for each report (the document store deduplicates).
    return b"%PDF-1.4\n%" + f"{n:08d}".encode() + block[18:]


def _content(n: int) -> dict[str, str]:
    return {
        "what": f"Laporan {n}: pungutan liar pada layanan perizinan, disertai bukti transfer. " * 4,
        "who": "Kepala seksi perizinan",
        "when": "Maret 2026",
        "where": "Kantor pelayanan terpadu",
    }


def _plain_phase(first: int, reports: int, block: bytes) -> float:
    import json

    from django.db import transaction
    from django.utils import timezone

    from pakta.core.documents import document_store
    from pakta.org.models import Pemda
    from pakta.reports.models import Report, ReportAttachment

    pemda = Pemda.objects.get(slug="bangku")
    started = time.perf_counter()
    for n in range(first, first + reports):
        content = _content(n)
        data = _attachment(n, block)
        with transaction.atomic():
            report = Report.objects.create(
                pemda=pemda,
                category="bribery",
                stage_changed_at=timezone.now(),
                identity_mode="anonymous",
                receipt_index=f"plain{n:059d}",
                receipt_hash="",
                receipt_salt=b"",
                receipt_opslimit=0,
                receipt_memlimit=0,
                receipt_wrapped_key=b"",
                content=json.dumps(content).encode(),
                content_fingerprint="",
            )
            document = document_store(
                content=data, content_type="application/pdf", original_name="bukti.pdf"
            )
            ReportAttachment.objects.create(
                report=report,
                document=document,
                meta=json.dumps({"name": "bukti.pdf", "size": len(data)}).encode(),
            )
    return time.perf_counter() - started


def _receipts(reports: int, sample: Any) -> list[Any]:
    """Receipts with their own codes and indexes; the argon2 parts are the sample's (untimed)."""
    from dataclasses import replace

    from pakta.reports import receipts

    prepared = []
    for _ in range(reports):
        code = receipts.new_receipt()
        prepared.append(replace(sample, code=code, index=receipts.receipt_index(code)))
    return prepared


def _service_phase(first: int, block: bytes, prepared: list[Any]) -> float:
    from pakta.org.models import Pemda
    from pakta.reports.attachments import Upload
    from pakta.reports.services import report_submit

    pemda = Pemda.objects.get(slug="bangku")
    started = time.perf_counter()
    for offset, receipt in enumerate(prepared):
        n = first + offset
        report_submit(
            pemda=pemda,
            category="bribery",
            uploads=[Upload(name="bukti.pdf", data=_attachment(n, block))],
            receipt=receipt,
            **_content(n),
        )
    return time.perf_counter() - started


def _measure(
    databases: Databases, reports: int, size: int, samples: int, repeat: int, name: str
) -> int:
    from django.db import connection
    from django.urls import reverse

    from pakta.reports import receipts
    from pakta.reports.models import Report, ReportKeyGrant

    reverse("reports:list", kwargs={"pemda": "bangku"})  # load the URL configuration untimed
    block = os.urandom(size)
    print(
        f"{name}: {reports:,} reports with a {size / 1e6:.1f} MB attachment each, "
        f"{HANDLERS} handlers, {connection.vendor}"
    )
    started = time.perf_counter()
    sample = None
    for _ in range(max(1, samples)):
        sample = receipts.receipt_prepare()
    argon2_each = (time.perf_counter() - started) / max(1, samples)

    # Warm, untimed and on a database of its own: the first intake of a process loads what the
    # later ones reuse (the holiday calendar for the deadlines, translations), as a server does
    # once at its first request.
    databases.fresh("warm")
    _plain_phase(reports, 1, block)
    _service_phase(reports, block, _receipts(1, sample))

    # The phases alternate in chunks on one fresh database, so that a change in the machine's
    # load (or the disk flushing earlier writes) falls on both alike. Each run twice: the
    # faster run counts.
    plain = service = float("inf")
    chunk = 20
    for attempt in range(repeat):
        os.sync()
        databases.fresh(f"run{attempt}")
        plain_time = service_time = 0.0
        for first in range(0, reports, chunk):
            count = min(chunk, reports - first)
            plain_time += _plain_phase(first, count, block)
            prepared = _receipts(count, sample)
            service_time += _service_phase(first, block, prepared)
        print(f"  run {attempt + 1}: plain {plain_time:.2f} s, encrypted {service_time:.2f} s")
        plain, service = min(plain, plain_time), min(service, service_time)
        stored = Report.objects.exclude(receipt_index__startswith="plain").count()
        grants = ReportKeyGrant.objects.count()
        if stored != reports or grants != reports * HANDLERS:
            print(f"FAILED: {stored} reports, {grants} sealed keys", file=sys.stderr)
            return 1

    plain_rate, service_rate = reports / plain, reports / service
    ratio = service_rate / plain_rate
    print(f"  plain ORM inserts:       {plain_rate:8.1f} reports/s ({plain:.1f} s)")
    print(f"  encrypted intake:        {service_rate:8.1f} reports/s ({service:.1f} s)")
    print(f"  ratio encrypted/plain:   {ratio:8.2f} (target >= {TARGET})")
    print(
        f"  receipt argon2 (not timed above): {argon2_each * 1000:.0f} ms per report "
        "(argon2id verification hash + key-wrap derivation, production cost)"
    )
    ok = ratio >= TARGET
    print(f"RESULT bench={name} ratio={ratio:.2f} target={TARGET} ok={'true' if ok else 'false'}")
    return 0  # a missed target is reported in the RESULT line; only a crash fails (bench/README.md)


if __name__ == "__main__":
    raise SystemExit(main())
