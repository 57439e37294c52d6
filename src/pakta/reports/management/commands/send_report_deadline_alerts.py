"""Alert handlers of cases whose stage deadline is near or passed (run daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pakta.reports.services import report_deadline_alerts_send


class Command(BaseCommand):
    help = "Send in-app alerts for integrity reports whose stage deadline is near or passed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--within-days",
            type=int,
            default=1,
            help="alert this many working days before the deadline (default 1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = report_deadline_alerts_send(within_days=options["within_days"])
        self.stdout.write(f"{count} report(s) alerted.")
