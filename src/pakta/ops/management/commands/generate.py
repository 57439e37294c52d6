"""Bulk-load national-scale synthetic data for benchmarks: `manage.py generate`.

    python -m pakta generate --officials 4300000 --pemda 546
    python -m pakta generate --officials 4300000 --pemda 546 --pacts 2026   # and a year of pacts
    python -m pakta generate --pacts 2026 --pacts-only                      # pacts for loaded data
    python -m pakta generate --officials 60000 --pemda 1 --units 2000       # the largest Pemda
    python -m pakta generate --officials 60000 --pemda 1 --units 2000 --year 2026   # and a year

Writes straight into the tables (COPY on PostgreSQL, executemany on SQLite), bypassing the
services: the data are synthetic, meant for benchmarks, and record no audit events. Never run it
against a database holding real data. Timings on this machine are in docs/scale.md.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pakta.org.synthetic import NATIONAL_PEMDA, GenerateRefused, national_generate


class Command(BaseCommand):
    help = "Bulk-load synthetic Pemda, units, positions and officials for benchmarks (no audit)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--officials", type=int, default=4_300_000, help="officials in all")
        parser.add_argument("--pemda", type=int, default=NATIONAL_PEMDA, help="Pemda in all")
        parser.add_argument("--seed", type=int, default=2024, help="random seed (names, sizes)")
        parser.add_argument(
            "--units",
            type=int,
            default=0,
            help="units per Pemda in all: sub-units are added under the OPD (e.g. 2000)",
        )
        parser.add_argument(
            "--batch", type=int, default=50_000, help="officials per insert and commit"
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="add to Pemda generated earlier instead of refusing (new codes, new NIPs)",
        )
        parser.add_argument(
            "--pacts",
            type=int,
            metavar="YEAR",
            help="then a pact for YEAR for every official (signed, pending, excused) and counters",
        )
        parser.add_argument(
            "--year",
            type=int,
            metavar="YEAR",
            help="then a full year of content: pacts, performance agreements with realizations, "
            "action plans and whistleblowing reports (implies --pacts YEAR)",
        )
        parser.add_argument(
            "--pacts-only",
            action="store_true",
            help="load no officials: only the pacts of --pacts YEAR, for the officials already there",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from pakta.ops.synthetic_year import YearRefused, year_generate
        from pakta.pacts.synthetic import PactsRefused, pacts_generate

        started = time.monotonic()
        full_year = options["year"]
        year = options["pacts"]
        if full_year is not None and year is not None and year != full_year:
            raise CommandError("--year already generates the pacts of that year.")
        if options["pacts_only"] and not (year or full_year):
            raise CommandError("--pacts-only needs --pacts YEAR.")
        for value in (year, full_year):
            if value is not None and not 2000 <= value <= 2100:
                raise CommandError("--pacts and --year take a year between 2000 and 2100.")
        counts: dict[str, int] = {}
        try:
            if not options["pacts_only"]:
                counts = national_generate(
                    officials=options["officials"],
                    pemda=options["pemda"],
                    seed=options["seed"],
                    batch=max(1, options["batch"]),
                    append=options["append"],
                    units=max(0, options["units"]),
                    progress=lambda line: self.stdout.write(line),
                )
            if full_year is not None:
                counts.update(
                    year_generate(
                        year=full_year,
                        seed=options["seed"],
                        batch=max(1, options["batch"]),
                        progress=lambda line: self.stdout.write(line),
                    )
                )
            elif year is not None:
                pacts = pacts_generate(
                    year=year,
                    seed=options["seed"],
                    batch=max(1, options["batch"]),
                    progress=lambda line: self.stdout.write(line),
                )
                counts.update({k: v for k, v in pacts.items() if k != "seconds"})
        except (GenerateRefused, PactsRefused, YearRefused, ValueError) as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{k} {v:,}" for k, v in counts.items() if k != "seconds")
        self.stdout.write(
            self.style.SUCCESS(f"generated {summary} in {time.monotonic() - started:.1f} s")
        )
