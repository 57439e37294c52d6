#!/usr/bin/env python
"""Internal-survey index per unit and per Pemda: the service against a hand-written NumPy baseline.

    uv run python bench/survey_index.py --responses 600000

546 Pemda, each with its own published questionnaire of 30 statements, one open survey and about
40 OPD; the responses (one digit per statement, as the service stores them) are spread over the
surveys and units and bulk-inserted (untimed). Then, in the same run and on the same database:

* the service: ``pakta.surveys.services.survey_scores_compute`` over every survey (it reads the
  surveys, their questionnaires and the responses, and scores them);
* the baseline: one raw SELECT of the same three columns and a vectorised NumPy computation
  written independently (per-column ``bincount`` over a combined survey/unit key).

Both give the index and the seven dimension scores per (survey, unit) and per survey; the bench
checks that they agree, prints both times (best of ``--repeat``) and the ratio service/baseline.
Target: the service within 1.5 times the baseline. Runs on SQLite, and also on PostgreSQL when
DATABASE_URL is set (a database of its own is created and dropped there). Each database run ends
with ``RESULT bench=survey_index ratio=<x> target=1.5 ok=<true|false>``.

``scripts/bench.sh`` passes ``--rows N`` (20,000 for ``make bench``, 100,000 for
``make bench-national``); this bench reads it as ``--responses 6*N``: 120,000 and 600,000.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _harness import run_engines

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5
SEED = 2024
ITEMS = 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=None, help="responses in all (600000)")
    parser.add_argument(
        "--rows", type=int, default=None, help="scripts/bench.sh size: 6x responses"
    )
    parser.add_argument("--pemda", type=int, default=546)
    parser.add_argument("--units", type=int, default=40, help="OPD per Pemda")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=["auto", "sqlite", "postgres"], default="auto")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    responses = args.responses or (args.rows * 6 if args.rows else 120_000)
    if args.child:
        return run_one(args.child, responses, args.pemda, args.units, args.repeat)
    return run_engines(__file__, args.backend)


def run_one(backend: str, responses: int, pemda_count: int, units: int, repeat: int) -> int:
    var_dir = tempfile.mkdtemp(prefix="pakta-bench-survey-")
    os.environ["PAKTA_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "pakta.settings"
    os.environ.setdefault("PAKTA_LOG_LEVEL", "WARNING")
    os.environ["PAKTA_DEBUG"] = "false"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection

    settings = connection.settings_dict
    admin_db = None
    if backend == "postgres":
        admin_db = f"pakta_bench_survey_{os.getpid()}"
        _pg_admin(settings, f'CREATE DATABASE "{admin_db}"')
        connection.close()
        settings["NAME"] = admin_db
    try:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return _measure(responses, pemda_count, units, repeat)
    finally:
        connection.close()
        if admin_db:
            _pg_admin(settings, f'DROP DATABASE IF EXISTS "{admin_db}"')
        shutil.rmtree(var_dir, ignore_errors=True)


def _pg_admin(settings: dict[str, Any], sql: str) -> None:
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    ) as admin:
        admin.execute(sql)  # type: ignore[arg-type]


# --- Set-up (untimed) ------------------------------------------------------------------------------


def _setup(responses: int, pemda_count: int, units_per_pemda: int) -> list[Any]:
    """Pemda, questionnaires and surveys through the services; units and responses in bulk."""
    from django.db import connection, transaction
    from django.utils import timezone

    from pakta.accounts.services import user_create
    from pakta.core.bulk import bulk_insert, db_datetime
    from pakta.org.models import Pemda, Unit
    from pakta.org.services import pemda_create
    from pakta.surveys import services
    from pakta.surveys.models import Dimension, Survey, SurveyResponse

    rng = random.Random(SEED)
    user = user_create(
        username="bench", password=None, acting_user=None, is_superuser=True, validate=False
    )
    dimensions = list(Dimension.values)
    questions = [
        (dimensions[n % len(dimensions)], f"Pernyataan {n + 1}", n % 4 == 3) for n in range(ITEMS)
    ]
    with transaction.atomic():
        for n in range(pemda_count):
            pemda = pemda_create(
                acting_user=user,
                name=f"Kabupaten Uji {n}",
                slug=f"uji-{n}",
                kind="kabupaten",
                kemendagri_code=f"9{n // 100:01d}.{n % 100:02d}",
            )
            questionnaire = services.questionnaire_create(
                pemda=pemda, acting_user=user, questions=questions
            )
            questionnaire = services.questionnaire_publish(
                questionnaire=questionnaire, acting_user=user
            )
            survey = services.survey_create(
                pemda=pemda,
                questionnaire=questionnaire,
                title="Survei Integritas Internal",
                year=2024,
                acting_user=user,
            )
            services.survey_open(survey=survey, acting_user=user)
        now = db_datetime(timezone.now())
        pemda_ids = list(Pemda.objects.order_by("pk").values_list("pk", flat=True))
        unit_rows = []
        next_id = (Unit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        units: dict[int, list[int]] = {}
        for pemda_id in pemda_ids:
            for u in range(units_per_pemda):
                unit_rows.append(
                    (
                        next_id,
                        now,
                        now,
                        pemda_id,
                        None,
                        f"Dinas {u}",
                        "",
                        "dinas",
                        f"/{next_id}/",
                        True,
                    )
                )
                units.setdefault(pemda_id, []).append(next_id)
                next_id += 1
        bulk_insert(
            Unit,
            (
                "id",
                "created_at",
                "updated_at",
                "pemda_id",
                "parent_id",
                "name",
                "code",
                "kind",
                "path",
                "is_active",
            ),
            unit_rows,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('org_unit', 'id'), "
                    "(SELECT MAX(id) FROM org_unit))"
                )
        surveys = list(Survey.objects.order_by("pk"))
        survey_units = [(s.pk, units[s.pemda_id]) for s in surveys]
        import uuid

        day = timezone.localdate()
        rows = []
        for _ in range(responses):
            survey_id, unit_ids = survey_units[rng.randrange(len(survey_units))]
            # Some questions left unanswered ("0"), answers skewed per unit.
            bias = unit_ids[0] % 3
            answer = "".join(
                "0"
                if rng.random() < 0.03
                else str(min(5, rng.randint(1, 5) + (bias and rng.random() < 0.3)))
                for _ in range(ITEMS)
            )
            rows.append(
                (
                    uuid.uuid4().hex if connection.vendor == "sqlite" else uuid.uuid4(),
                    survey_id,
                    rng.choice(unit_ids),
                    day,
                    answer,
                )
            )
        bulk_insert(SurveyResponse, ("id", "survey_id", "unit_id", "submitted_on", "answers"), rows)
    return surveys


# --- The two computations --------------------------------------------------------------------------


def service(surveys_queryset: Any) -> dict[int, Any]:
    from pakta.surveys.services import survey_scores_compute

    return survey_scores_compute(surveys=list(surveys_queryset))


def baseline() -> dict[tuple[int, int], tuple[int, float]]:
    """Raw SQL and NumPy, written apart from the service: (survey, unit) -> (respondents, index);
    unit -1 is the whole Pemda. All questionnaires share one layout here (checked by the caller)."""
    import numpy as np
    from django.db import connection

    from pakta.surveys.models import Question

    with connection.cursor() as cursor:
        cursor.execute("SELECT survey_id, unit_id, answers FROM surveys_surveyresponse")
        rows = cursor.fetchall()
    first = Question.objects.order_by("questionnaire_id").values_list(
        "questionnaire_id", flat=True
    )[0]
    layout = list(
        Question.objects.filter(questionnaire_id=first)
        .order_by("position")
        .values_list("dimension", "reverse_scored")
    )
    survey_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    unit_ids = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    digits = (
        np.frombuffer("".join(r[2] for r in rows).encode(), dtype=np.uint8)
        .reshape(len(rows), ITEMS)
        .astype(np.int64)
        - 48
    )
    answered = digits > 0
    score = np.where(answered, (digits - 1) * 25.0, 0.0)
    reverse = np.array([r for _d, r in layout])
    score[:, reverse] = np.where(answered[:, reverse], 100.0 - score[:, reverse], 0.0)
    dims = sorted({d for d, _r in layout})
    columns = {d: [i for i, (dd, _r) in enumerate(layout) if dd == d] for d in dims}

    def index_of(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        groups, inverse = np.unique(keys, return_inverse=True)
        n = len(groups)
        item_mean = np.empty((n, ITEMS))
        for j in range(ITEMS):
            total = np.bincount(inverse, weights=score[:, j], minlength=n)
            count = np.bincount(inverse, weights=answered[:, j], minlength=n)
            with np.errstate(invalid="ignore", divide="ignore"):
                item_mean[:, j] = total / count
        dim_scores = np.column_stack([np.nanmean(item_mean[:, columns[d]], axis=1) for d in dims])
        return groups, np.bincount(inverse, minlength=n), np.nanmean(dim_scores, axis=1)

    result: dict[tuple[int, int], tuple[int, float]] = {}
    key = survey_ids * 10_000_000 + unit_ids
    groups, sizes, index = index_of(key)
    for g, size, value in zip(groups.tolist(), sizes.tolist(), index.tolist(), strict=True):
        result[(g // 10_000_000, g % 10_000_000)] = (size, value)
    groups, sizes, index = index_of(survey_ids)
    for g, size, value in zip(groups.tolist(), sizes.tolist(), index.tolist(), strict=True):
        result[(g, -1)] = (size, value)
    return result


def _measure(responses: int, pemda_count: int, units: int, repeat: int) -> int:
    import warnings

    from django.db import connection

    from pakta.surveys.models import Survey

    warnings.simplefilter("ignore", RuntimeWarning)  # nanmean of an all-NaN slice
    started = time.perf_counter()
    _setup(responses, pemda_count, units)
    print(
        f"survey_index: {responses:,} responses x {ITEMS} answers, {pemda_count} Pemda, "
        f"{units} OPD each, {connection.vendor} (set-up {time.perf_counter() - started:.0f} s)"
    )
    service_seconds = baseline_seconds = float("inf")
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        expected = baseline()
        baseline_seconds = min(baseline_seconds, time.perf_counter() - started)
        started = time.perf_counter()
        got = service(Survey.objects.all())
        service_seconds = min(service_seconds, time.perf_counter() - started)
    mismatches = []
    for (survey_id, unit_id), (size, value) in expected.items():
        scores = got[survey_id]
        group = scores.total if unit_id == -1 else scores.units[unit_id]
        if group.respondents != size or abs((group.index or 0) - value) > 1e-9:
            mismatches.append((survey_id, unit_id, size, value, group.respondents, group.index))
    groups = len(expected)
    if mismatches or sum(len(s.units) + 1 for s in got.values()) != groups:
        print(f"  MISMATCH in {len(mismatches)} of {groups} groups: {mismatches[:3]}")
        print(f"RESULT bench=survey_index ratio=0 target={TARGET} ok=false")
        return 1
    ratio = service_seconds / baseline_seconds
    print(f"  groups scored  : {groups:,} ({len(got)} Pemda totals and their units); all agree")
    print(f"  NumPy baseline : {baseline_seconds:7.3f} s")
    print(f"  service        : {service_seconds:7.3f} s")
    ok = ratio <= TARGET
    print(f"RESULT bench=survey_index ratio={ratio:.2f} target={TARGET} ok={str(ok).lower()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
