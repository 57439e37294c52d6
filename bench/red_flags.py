#!/usr/bin/env python
"""Cardinal's eleven red-flag indicators: Pakta's engine against a vectorised polars baseline.

    uv run python bench/red_flags.py                 # 20,000 releases
    uv run python bench/red_flags.py --national      # 500,000 releases

Generates compiled releases (546 buyers, each its own procuring entity; about 40,000 tenderers;
2-6 bids each, some disqualified, some late, some with identical prices; one award, sometimes
pending; item classifications), then in the same run:

* the service: ``pakta.procurement.cardinal.Engine`` folding every release and finalising (what
  ``flags_compute`` and ``python -m pakta procurement indicators`` run);
* the baseline: the same eleven indicators written independently as polars expressions over the
  releases flattened into three tables (processes, bids, awards), with the same statistics.

JSON parsing and flattening are not timed (both sides get their input in memory). The bench
checks that both give the same document (OCID, Buyer, ProcuringEntity, Tenderer and Meta), prints
the wall-clock and CPU times of both (best of ``--repeat``, interleaved), and ends with
``RESULT bench=red_flags ratio=<x> target=1.5 ok=<true|false>`` where the ratio is service /
baseline **CPU time** with polars on one thread (the target is "on one core"; ``--threads 0``
gives polars every core, and its CPU time then counts every thread); also false when the service
takes more than a minute of CPU per 500,000 releases. No database is used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any


def _polars_threads() -> None:
    """The issue's target is on one core: polars gets one thread unless ``--threads N`` says
    otherwise (read before polars is imported, as polars reads it once)."""
    threads = "1"
    for at, arg in enumerate(sys.argv):
        if arg == "--threads" and at + 1 < len(sys.argv):
            threads = sys.argv[at + 1]
        elif arg.startswith("--threads="):
            threads = arg.partition("=")[2]
    if threads != "0":
        os.environ["POLARS_MAX_THREADS"] = threads


_polars_threads()

import polars as pl  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from pakta.procurement.cardinal import stats  # noqa: E402
from pakta.procurement.cardinal.engine import Engine  # noqa: E402
from pakta.procurement.cardinal.settings import Settings  # noqa: E402

WIB = dt.timezone(dt.timedelta(hours=7))
BASE = dt.datetime(2024, 1, 1, tzinfo=WIB)


def generate(
    n: int, seed: int = 2024
) -> tuple[list[dict[str, Any]], dict[str, list[Any]], dict[str, list[Any]], dict[str, list[Any]]]:
    rng = random.Random(seed)
    tenderers = max(100, n * 40_000 // 500_000)
    releases = []
    proc: dict[str, list[Any]] = {
        k: []
        for k in (
            "ocid",
            "method",
            "start",
            "end",
            "start_s",
            "end_s",
            "n_tenderers",
            "buyer",
            "cancelled",
        )
    }
    bids: dict[str, list[Any]] = {
        k: [] for k in ("ocid", "idx", "tenderer", "amount", "status", "date")
    }
    awards: dict[str, list[Any]] = {k: [] for k in ("ocid", "status", "supplier", "codes")}
    for i in range(n):
        ocid = f"ocds-bench-{i:07d}"
        buyer = f"B{rng.randrange(546):03d}"
        method = rng.choice(["open", "open", "open", "selective", "limited", "direct"])
        start = BASE + dt.timedelta(days=rng.randrange(330), hours=rng.randrange(24))
        end = start + dt.timedelta(
            days=rng.choice([3, 7, 14, 15, 15, 21, 30]), hours=rng.choice([0, 0, -1, 5])
        )
        cancelled = rng.random() < 0.02
        k = rng.choice([1, 2, 2, 3, 3, 4, 5, 6])
        hps = rng.randrange(50, 5000) * 1_000_000
        details = []
        chosen = rng.sample(range(tenderers), k)
        for j, t in enumerate(chosen):
            amount = float(round(hps * rng.uniform(0.78, 1.0), -3))
            if j > 0 and rng.random() < 0.03:
                amount = details[0]["value"]["amount"]
            status = (
                "disqualified"
                if rng.random() < 0.2
                else ("pending" if rng.random() < 0.02 else "valid")
            )
            late = rng.random() < 0.02
            date = (
                (end + dt.timedelta(hours=2))
                if late
                else (end - dt.timedelta(hours=rng.randrange(1, 48)))
            )
            details.append(
                {
                    "id": f"{ocid}-b{j}",
                    "status": status,
                    "tenderers": [{"id": f"T{t:05d}"}],
                    "value": {"amount": amount, "currency": "IDR"},
                    "date": date.isoformat(),
                }
            )
        valid = [d for d in details if d["status"] == "valid"]
        award_status = "pending" if rng.random() < 0.03 else "active"
        winner = (
            (
                min(valid, key=lambda d: d["value"]["amount"])
                if rng.random() < 0.85
                else rng.choice(valid)
            )["tenderers"][0]["id"]
            if valid
            else None
        )
        release: dict[str, Any] = {
            "ocid": ocid,
            "buyer": {"id": buyer},
            "tender": {
                "status": "cancelled" if cancelled else "complete",
                "procurementMethod": method,
                "procuringEntity": {"id": buyer},
                "numberOfTenderers": k,
                "tenderPeriod": {"startDate": start.isoformat(), "endDate": end.isoformat()},
            },
            "bids": {"details": details},
        }
        codes = []
        if winner is not None:
            codes = [
                f"{rng.choice([43, 44, 72, 81, 85, 30, 39, 42, 47, 56])}{rng.randrange(10**6):06d}"
                for _ in range(rng.randrange(1, 3))
            ]
            release["awards"] = [
                {
                    "id": "a1",
                    "status": award_status,
                    "suppliers": [{"id": winner}],
                    "items": [
                        {"id": str(c), "classification": {"id": code}}
                        for c, code in enumerate(codes)
                    ],
                }
            ]
        releases.append(release)
        for key, value in (
            ("ocid", ocid),
            ("method", method),
            ("start", start.isoformat()),
            ("end", end.isoformat()),
            ("start_s", int(start.timestamp())),
            ("end_s", int(end.timestamp())),
            ("n_tenderers", k),
            ("buyer", buyer),
            ("cancelled", cancelled),
        ):
            proc[key].append(value)
        for j, d in enumerate(details):
            for key, value in (
                ("ocid", ocid),
                ("idx", j),
                ("tenderer", d["tenderers"][0]["id"]),
                ("amount", d["value"]["amount"]),
                ("status", d["status"]),
                ("date", d["date"]),
            ):
                bids[key].append(value)
        if winner is not None:
            for key, value in (
                ("ocid", ocid),
                ("status", award_status),
                ("supplier", winner),
                ("codes", codes),
            ):
                awards[key].append(value)
    return releases, proc, bids, awards


def service(releases: list[dict[str, Any]]) -> dict[str, Any]:
    engine = Engine(Settings.all_defaults())
    for release in releases:
        engine.fold(release)
    return engine.finalize(meta=True)


def _set(doc: dict[str, Any], group: str, key: str, code: str, value: float) -> None:
    doc.setdefault(group, {}).setdefault(key, {})[code] = value


def baseline(
    proc_d: dict[str, list[Any]], bids_d: dict[str, list[Any]], awards_d: dict[str, list[Any]]
) -> dict[str, Any]:
    proc = pl.DataFrame(proc_d).filter(~pl.col("cancelled"))
    live = proc.select("ocid")
    bids = pl.DataFrame(bids_d).join(live, on="ocid", how="semi")
    awards = pl.DataFrame(awards_d).join(live, on="ocid", how="semi")
    doc: dict[str, Any] = {}
    meta: dict[str, dict[str, float]] = {}

    # R003: whole days, truncated; under 15.
    for ocid in proc.filter(((pl.col("end_s") - pl.col("start_s")) // 86400) < 15)["ocid"]:
        _set(doc, "OCID", ocid, "R003", 1.0)
    # R018
    for ocid in proc.filter(
        pl.col("method").is_in(["open", "selective"]) & (pl.col("n_tenderers") == 1)
    )["ocid"]:
        _set(doc, "OCID", ocid, "R018", 1.0)
    # Processes whose every award is final, with exactly one active award (single supplier here).
    final = (
        awards.group_by("ocid")
        .agg(
            pending=(pl.col("status") == "pending").sum(),
            active=(pl.col("status") == "active").sum(),
            supplier=pl.col("supplier").first(),
        )
        .filter((pl.col("pending") == 0) & (pl.col("active") == 1))
        .select("ocid", "supplier")
    )
    valid = bids.filter(pl.col("status") == "valid").join(final, on="ocid")
    # R024 / R058: second-lowest valid bid against the winner's lowest.
    pairs = (
        valid.group_by("ocid")
        .agg(
            winner=pl.col("amount").filter(pl.col("tenderer") == pl.col("supplier")).min(),
            second=pl.col("amount").filter(pl.col("tenderer") != pl.col("supplier")).min(),
            second_id=pl.col("tenderer")
            .filter(pl.col("tenderer") != pl.col("supplier"))
            .sort_by(
                pl.col("amount").filter(pl.col("tenderer") != pl.col("supplier")),
                maintain_order=True,
            )
            .first(),
            supplier=pl.col("supplier").first(),
        )
        .drop_nulls(["winner", "second"])
        .filter(pl.col("second") >= pl.col("winner"))
        .with_columns(ratio=(pl.col("second") - pl.col("winner")) / pl.col("winner"))
    )
    ratios = pairs["ratio"].to_list()
    q1, q3 = stats.quartiles(ratios)
    lower = stats.lower_fence(q1, q3)
    meta["R024"] = {"q1": q1, "q3": q3, "lower_fence": lower}
    if q1 > 0 and lower > 0:
        for row in pairs.filter(pl.col("ratio") <= lower).iter_rows(named=True):
            _set(doc, "OCID", row["ocid"], "R024", row["ratio"])
            _set(doc, "Tenderer", row["supplier"], "R024", 0.0)
            _set(doc, "Tenderer", row["second_id"], "R024", 0.0)
    upper = stats.upper_fence(q1, q3)
    meta["R058"] = {"q1": q1, "q3": q3, "upper_fence": upper}
    if upper > 0:
        for row in pairs.filter(pl.col("ratio") >= upper).iter_rows(named=True):
            _set(doc, "OCID", row["ocid"], "R058", row["ratio"])
            _set(doc, "Tenderer", row["supplier"], "R058", 0.0)
    # R025
    per = valid.unique(["ocid", "tenderer"]).with_columns(
        win=(pl.col("tenderer") == pl.col("supplier")).cast(pl.Int64)
    )
    per = (
        per.group_by("tenderer")
        .agg(wins=pl.col("win").sum(), bids=pl.len())
        .with_columns(ratio=pl.col("wins") / pl.col("bids"))
    )
    upper25 = stats.percentile(per["bids"].cast(pl.Float64).to_list(), 75)
    q1, q3 = stats.quartiles(per["ratio"].to_list())
    lower25 = stats.lower_fence(q1, q3)
    meta["R025"] = {"q1": q1, "q3": q3, "upper_fence": upper25, "lower_fence": lower25}
    if q1 > 0 and lower25 > 0:
        for row in per.filter((pl.col("bids") >= upper25) & (pl.col("ratio") <= lower25)).iter_rows(
            named=True
        ):
            _set(doc, "Tenderer", row["tenderer"], "R025", row["ratio"])
    # R028: a price shared by different tenderers among submitted bids.
    submitted = bids.filter(~pl.col("status").is_in(["invited", "withdrawn"]))
    shared = (
        submitted.group_by("ocid", "amount")
        .agg(t=pl.col("tenderer").unique())
        .filter(pl.col("t").list.len() > 1)
    )
    for row in shared.iter_rows(named=True):
        _set(doc, "OCID", row["ocid"], "R028", 1.0)
        for t in row["t"]:
            _set(doc, "Tenderer", t, "R028", 1.0)
    # R030: a valid bid dated after the end (compared as strings) whose tenderer won.
    active = awards.filter(pl.col("status") == "active").select("ocid", "supplier")
    late = (
        bids.filter(pl.col("status") == "valid")
        .join(proc.select("ocid", "end"), on="ocid")
        .filter(pl.col("date") > pl.col("end"))
        .join(active, left_on=["ocid", "tenderer"], right_on=["ocid", "supplier"], how="semi")
    )
    for row in late.iter_rows(named=True):
        _set(doc, "OCID", row["ocid"], "R030", 1.0)
        _set(doc, "Tenderer", row["tenderer"], "R030", 1.0)
    # R035: one valid tenderer, the supplier of every active award, others disqualified.
    final_all = awards.group_by("ocid").agg(
        pending=(pl.col("status") == "pending").sum(),
        suppliers=pl.col("supplier").filter(pl.col("status") == "active").unique(),
    )
    final_all = final_all.filter(pl.col("pending") == 0)
    r035 = (
        bids.join(final_all, on="ocid")
        .group_by("ocid")
        .agg(
            valid=pl.col("tenderer").filter(pl.col("status") == "valid").unique(),
            disq=pl.col("tenderer").filter(pl.col("status") == "disqualified").unique(),
            suppliers=pl.col("suppliers").first(),
        )
        .filter(pl.col("valid").list.len() == 1)
    )
    for row in r035.iter_rows(named=True):
        if set(row["valid"]) == set(row["suppliers"]):
            n = len(set(row["disq"]) - set(row["valid"]))
            if n >= 1:
                _set(doc, "OCID", row["ocid"], "R035", float(n))
                _set(doc, "Tenderer", row["valid"][0], "R035", 0.0)
    # R036: with an active award, the lowest submitted bid (first of ties) is disqualified.
    with_active = awards.filter(pl.col("status") == "active").select("ocid").unique()
    r036 = (
        submitted.join(with_active, on="ocid")
        .sort("ocid", "amount", "idx")
        .group_by("ocid", maintain_order=True)
        .agg(lowest=pl.col("status").first(), has_valid=(pl.col("status") == "valid").any())
    )
    for ocid in r036.filter((pl.col("lowest") == "disqualified") & pl.col("has_valid"))["ocid"]:
        _set(doc, "OCID", ocid, "R036", 1.0)
    # R038: disqualified / submitted per buyer, procuring entity, tenderer.
    sub = submitted.with_columns(d=(pl.col("status") == "disqualified").cast(pl.Int64)).join(
        proc.select("ocid", "buyer"), on="ocid"
    )
    for group, column, minimum in (
        ("Buyer", "buyer", 2),
        ("ProcuringEntity", "buyer", 2),
        ("Tenderer", "tenderer", 2),
    ):
        g = (
            sub.group_by(column)
            .agg(num=pl.col("d").sum(), den=pl.len())
            .filter(pl.col("den") >= minimum)
            .with_columns(r=pl.col("num") / pl.col("den"))
        )
        if g.height == 0:
            continue
        q1, q3 = stats.quartiles(g["r"].to_list())
        fence = stats.upper_fence(q1, q3)
        meta.setdefault("R038", {}).update(
            {f"{group}_q1": q1, f"{group}_q3": q3, f"{group}_upper_fence": fence}
        )
        if fence > 0:
            for row in g.filter(pl.col("r") >= fence).iter_rows(named=True):
                _set(doc, group, row[column], "R038", row["r"])
    # R048: distinct 2-digit classifications per supplier of active awards, 20+ processes.
    items = awards.filter(pl.col("status") == "active").explode("codes").drop_nulls("codes")
    g = (
        items.group_by("supplier")
        .agg(n=pl.col("ocid").n_unique(), v=pl.col("codes").str.slice(0, 2).n_unique())
        .filter(pl.col("n") >= 20)
    )
    q1, q3 = stats.quartiles(g["v"].cast(pl.Float64).to_list())
    fence = stats.upper_fence(q1, q3)
    meta["R048"] = {"q1": q1, "q3": q3, "upper_fence": fence}
    for row in g.filter(pl.col("v") >= fence).iter_rows(named=True):
        _set(doc, "Tenderer", row["supplier"], "R048", float(row["v"]))
    result = {
        group: doc[group]
        for group in ("OCID", "Buyer", "ProcuringEntity", "Tenderer")
        if group in doc
    }
    result["Meta"] = {
        code: {k: stats.round4(v) for k, v in values.items()}
        for code, values in sorted(meta.items())
    }
    return result


def normalise(document: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for group, entries in document.items():
        if group == "Meta":
            out[group] = {code: dict(sorted(values.items())) for code, values in entries.items()}
        else:
            out[group] = {
                key: {c: round(v, 12) for c, v in sorted(values.items())}
                for key, values in entries.items()
            }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=None)
    parser.add_argument("--rows", type=int, default=None, help="scripts/bench.sh: releases = rows")
    parser.add_argument("--national", action="store_true", help="500,000 releases")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="polars threads (0: polars' default, all cores)"
    )
    args = parser.parse_args()
    n = args.releases or (500_000 if args.national else (args.rows or 20_000))
    started = time.perf_counter()
    releases, proc, bids, awards = generate(n)
    print(
        f"generated {n:,} releases, {len(bids['ocid']):,} bids in {time.perf_counter() - started:.1f}s"
    )
    best_service = best_baseline = cpu_service = cpu_baseline = float("inf")
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        ours = service(releases)
        best_service = min(best_service, time.perf_counter() - t0)
        cpu_service = min(cpu_service, time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        theirs = baseline(proc, bids, awards)
        best_baseline = min(best_baseline, time.perf_counter() - t0)
        cpu_baseline = min(cpu_baseline, time.process_time() - c0)
    same = normalise(ours) == normalise(theirs)
    if not same:
        for group in sorted(set(ours) | set(theirs)):
            a, b = normalise(ours).get(group, {}), normalise(theirs).get(group, {})
            if a != b:
                diff = [k for k in set(a) | set(b) if a.get(k) != b.get(k)][:5]
                print(f"MISMATCH {group}: {[(k, a.get(k), b.get(k)) for k in diff]}")
    flagged = len(ours.get("OCID", {}))
    # What counts is CPU time on one core (the "on one core"; polars on one thread):
    # on a shared machine the wall clock measures the scheduler as much as the code.
    ratio = cpu_service / cpu_baseline
    per_500k = cpu_service * 500_000 / n
    print(
        f"wall clock (best of {args.repeat}): service {best_service:.2f}s, baseline (polars) "
        f"{best_baseline:.2f}s, ratio {best_service / best_baseline:.2f}; "
        f"{flagged:,} processes flagged, same={same}"
    )
    print(
        f"CPU time (best of {args.repeat}, all threads): service {cpu_service:.2f}s, "
        f"baseline {cpu_baseline:.2f}s; polars threads: {pl.thread_pool_size()}"
    )
    print(f"service CPU time scaled to 500,000 releases: {per_500k:.1f}s")
    ok = same and ratio <= 1.5 and per_500k <= 60
    print(f"RESULT bench=red_flags ratio={ratio:.2f} target=1.5 ok={'true' if ok else 'false'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
