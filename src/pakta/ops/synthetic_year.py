"""A full year of content for the officials already loaded: `manage.py generate --year YEAR`.

For every Pemda of the database with officials and no content for the year yet: a pact and a
performance agreement for every official with a current assignment (``pacts.synthetic`` and
``performance.synthetic``, with their counters and aggregates), action plans with items owned by
the OPD and their sub-units, and whistleblowing reports in every stage. Rows are written in bulk
(``pakta.core.bulk``: COPY on PostgreSQL, executemany on SQLite), bypassing the services: benchmark
data only, with no audit events, documents or signatures. Report contents are random bytes, not
ciphertext a handler could open: the lists and counts work, opening a generated report's content
does not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable

from django.db import transaction

from pakta.core.bulk import RowTemplate, allocate_ids, bulk_insert, db_datetime

PLANS_PER_PEMDA = 40
ITEMS_PER_PLAN = 25
REPORTS_PER_10K_OFFICIALS = 100


class YearRefused(Exception):
    """The year already has content of this kind."""


ACTIONS = [
    (
        "transparency",
        "Publikasikan rencana umum pengadaan di laman OPD",
        "Tautan dan tangkapan layar",
    ),
    ("hr_management", "Terapkan seleksi terbuka untuk jabatan administrator", "SK panitia seleksi"),
    ("budget_management", "Rekonsiliasi belanja perjalanan dinas setiap bulan", "Berita acara"),
    ("integrity_in_duties", "Sosialisasi kode etik kepada seluruh pegawai", "Daftar hadir"),
    ("trading_in_influence", "Catat setiap pertemuan dengan pihak berperkara", "Register tamu"),
    ("procurement", "Umumkan pemenang tender paling lambat dua hari kerja", "Pengumuman"),
    ("anticorruption_socialisation", "Pasang maklumat pelayanan di ruang layanan", "Foto"),
]
CATEGORIES = [
    "bribery",
    "gratification",
    "conflict",
    "procurement",
    "position_trading",
    "abuse",
    "other",
]
STAGES = [
    ("received", 0.10),
    ("verification", 0.15),
    ("clarification", 0.10),
    ("investigation", 0.15),
    ("follow_up", 0.10),
    ("closed", 0.40),
]
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    draw, total = rng.random(), 0.0
    for value, share in weighted:
        total += share
        if draw < total:
            return value
    return weighted[-1][0]


def year_generate(
    *, year: int, seed: int = 2024, batch: int = 50_000, progress: Callable[[str], None] = print
) -> dict[str, int]:
    """Pacts, agreements, action plans and reports of ``year`` for every loaded official."""
    from pakta.org.models import Assignment
    from pakta.pacts.synthetic import pacts_generate
    from pakta.performance.models import PerformanceAgreement
    from pakta.performance.synthetic import agreements_generate

    if PerformanceAgreement.objects.filter(year=year).exists():
        raise YearRefused(f"Performance agreements for {year} already exist.")
    started = time.monotonic()
    counts: dict[str, int] = {}
    pacts = pacts_generate(year=year, seed=seed, batch=batch, progress=progress)
    counts.update({k: v for k, v in pacts.items() if k != "seconds"})
    people = list(
        Assignment.objects.filter(end_date=None)
        .order_by("official_id")
        .values_list(
            "official_id", "pemda_id", "position_id", "position__unit_id", "position__title"
        )
    )
    counts.update(
        agreements_generate(
            people=people, year=year, seed=seed, batch=batch, progress=progress, started=started
        )
    )
    officials_per_pemda: dict[int, int] = {}
    for person in people:
        officials_per_pemda[person[1]] = officials_per_pemda.get(person[1], 0) + 1
    counts.update(actionplans_generate(year=year, seed=seed, pemda_ids=sorted(officials_per_pemda)))
    counts.update(reports_generate(year=year, seed=seed, officials_per_pemda=officials_per_pemda))
    progress(f"a year of content for {year} in {time.monotonic() - started:.1f} s")
    return counts


def actionplans_generate(*, year: int, seed: int, pemda_ids: list[int]) -> dict[str, int]:
    """``PLANS_PER_PEMDA`` plans answering KPK letters through the year, ``ITEMS_PER_PLAN`` items
    each, owned by the Pemda's units (round robin), due through the year, in every status."""
    from pakta.actionplans.models import ActionItem, ActionPlan
    from pakta.org.models import Assignment, Unit

    rng = random.Random(seed + 2)  # noqa: S311  (synthetic data, not secrets)
    plan_t, item_t = RowTemplate(ActionPlan), RowTemplate(ActionItem)
    plans = items = 0
    for pemda_id in pemda_ids:
        units = list(
            Unit.objects.filter(pemda_id=pemda_id).order_by("pk").values_list("pk", flat=True)
        )
        heads = dict(
            Assignment.objects.filter(pemda_id=pemda_id, end_date=None)
            .order_by("position__unit_id", "pk")
            .values_list("position__unit_id", "official_id")
        )
        if not units:
            continue
        with transaction.atomic():
            plan_ids = allocate_ids(ActionPlan, PLANS_PER_PEMDA)
            plan_rows, item_rows = [], []
            item_ids = allocate_ids(ActionItem, PLANS_PER_PEMDA * ITEMS_PER_PLAN)
            for n, plan_id in enumerate(plan_ids):
                letter = dt.date(year, 1 + n % 12, 1 + n % 28)
                stamp = db_datetime(dt.datetime(year, letter.month, letter.day, 8, tzinfo=dt.UTC))
                plan_rows.append(
                    plan_t.row(
                        id=plan_id,
                        created_at=stamp,
                        updated_at=stamp,
                        pemda_id=pemda_id,
                        title=f"Rencana aksi {year} atas surat KPK nomor {n + 1}",
                        source="kpk_letter",
                        letter_number=f"R-{1000 + n}/KSP.00/{year}",
                        letter_date=letter,
                    )
                )
                for i in range(ITEMS_PER_PLAN):
                    dimension, title, output = ACTIONS[(n + i) % len(ACTIONS)]
                    unit = units[(n * ITEMS_PER_PLAN + i) * 7 % len(units)]
                    due = letter + dt.timedelta(days=30 + rng.randrange(300))
                    status = _pick(
                        rng,
                        [("open", 0.45), ("submitted", 0.15), ("returned", 0.05), ("done", 0.35)],
                    )
                    item_rows.append(
                        item_t.row(
                            id=item_ids[n * ITEMS_PER_PLAN + i],
                            created_at=stamp,
                            updated_at=stamp,
                            pemda_id=pemda_id,
                            plan_id=plan_id,
                            dimension=dimension,
                            title=title,
                            owner_unit_id=unit,
                            owner_id=heads.get(unit),
                            due_date=due,
                            required_output=output,
                            status=status,
                            return_reason="Bukti belum lengkap" if status == "returned" else "",
                            verified_at=stamp if status == "done" else None,
                        )
                    )
            bulk_insert(ActionPlan, plan_t.names, plan_rows)
            bulk_insert(ActionItem, item_t.names, item_rows)
        plans += len(plan_rows)
        items += len(item_rows)
    return {"action plans": plans, "action items": items}


def reports_generate(
    *, year: int, seed: int, officials_per_pemda: dict[int, int]
) -> dict[str, int]:
    """Whistleblowing reports received through the year (``REPORTS_PER_10K_OFFICIALS`` per
    10,000 officials, at least 20 per Pemda), in every stage, about the Pemda's units."""
    from pakta.org.models import Unit
    from pakta.reports.models import Report

    rng = random.Random(seed + 3)  # noqa: S311  (synthetic data, not secrets)
    report_t = RowTemplate(Report)
    total = 0
    for pemda_id, officials in sorted(officials_per_pemda.items()):
        if Report.objects.filter(pemda_id=pemda_id, created_at__year=year).exists():
            continue
        units = list(
            Unit.objects.filter(pemda_id=pemda_id).order_by("pk").values_list("pk", flat=True)
        )
        count = max(20, officials * REPORTS_PER_10K_OFFICIALS // 10_000)
        rows = []
        with transaction.atomic():
            for n, report_id in enumerate(allocate_ids(Report, count)):
                received = dt.datetime(year, 1, 1, 8, tzinfo=dt.UTC) + dt.timedelta(
                    minutes=rng.randrange(364 * 24 * 60)
                )
                stage = _pick(rng, STAGES)
                changed = received + dt.timedelta(days=rng.randrange(1, 30))
                closed = stage == "closed"
                token = hashlib.sha256(f"{seed}:{pemda_id}:{n}".encode()).digest()
                reference = "".join(ALPHABET[b % len(ALPHABET)] for b in token[:8])
                rows.append(
                    report_t.row(
                        id=report_id,
                        created_at=db_datetime(received),
                        updated_at=db_datetime(changed),
                        pemda_id=pemda_id,
                        reference=f"{reference[:4]}-{reference[4:]}",
                        category=CATEGORIES[n % len(CATEGORIES)],
                        stage=stage,
                        stage_changed_at=db_datetime(changed),
                        due_at=None if closed else db_datetime(changed + dt.timedelta(days=14)),
                        first_response_at=db_datetime(received + dt.timedelta(days=2)),
                        closed_at=db_datetime(changed) if closed else None,
                        outcome=rng.choice(["substantiated", "not_substantiated"])
                        if closed
                        else "",
                        reported_unit_id=units[n * 13 % len(units)] if units else None,
                        identity_mode="anonymous" if n % 3 else "confidential",
                        receipt_index=token.hex(),
                        receipt_hash="synthetic",
                        receipt_salt=token[:16],
                        receipt_opslimit=2,
                        receipt_memlimit=8192,
                        receipt_wrapped_key=token,
                        content=token,
                        content_fingerprint=token.hex(),
                    )
                )
            bulk_insert(Report, report_t.names, rows)
        total += len(rows)
    return {"reports": total}
