"""`manage.py scheduler`: runs the periodic commands once a day.

`--schedule` hands the daily run to the task worker (``ops.tasks.daily_run_task``, which
reschedules itself: no cron entry, no process of its own; scripts/serve.sh does this); without it the command loops itself, and `--once` runs everything now.

Every command in ``DAILY`` is safe to run more than once a day (each reminds at most once a
day), so a restarted scheduler, or ``--once`` from a systemd timer or cron, never sends twice.
Exactly one scheduler runs per installation (docs/operations.md). A failing command is logged
and the others still run; the scheduler keeps going.
"""

from __future__ import annotations

import logging
import signal
import time
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone

logger = logging.getLogger("pakta.scheduler")

DAILY = (
    # Every reminder registered with notifications.reminders: pacts, agreements, action items,
    # report deadlines, gratification and discipline deadlines (docs/notifications.md). The
    # apps' own commands (send_pact_reminders ...) remain for a run by hand.
    "send_reminders",
    "refresh_crl",  # each CRL promises the next within a week (docs/signing.md)
    "audit_verify",
)


def next_run(now: datetime, at: tuple[int, int]) -> datetime:
    """The next local time ``at`` (hour, minute) strictly after ``now`` (an aware datetime)."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=at[0], minute=at[1], second=0, microsecond=0)
    if candidate <= local:
        candidate = timezone.make_aware(
            datetime.combine(candidate.date() + timedelta(days=1), candidate.time())
        )
    return candidate


def _drop_stale_connections() -> None:
    """Like ``close_old_connections`` between requests; a caller's transaction is left alone."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def run_daily() -> list[str]:
    """Run every daily command; return the names of those that failed."""
    failed = []
    for name in DAILY:
        _drop_stale_connections()
        try:
            call_command(name)
            logger.info("scheduler: %s done", name)
        except (Exception, SystemExit):
            logger.exception("scheduler: %s failed", name)
            failed.append(name)
    _drop_stale_connections()
    return failed


def schedule_daily() -> str:
    """Enqueue the self-rescheduling daily task unless one already waits (database backend)."""
    from django.conf import settings

    from pakta.ops.tasks import daily_at, daily_run_task

    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=daily_run_task.module_path, status="READY"
        ).exists()
        if waiting:
            return "daily task already scheduled."
    due = next_run(timezone.now(), daily_at())
    daily_run_task.using(run_after=due).enqueue(reschedule=True)
    return f"daily task scheduled for {due.isoformat()}."


class Command(BaseCommand):
    help = "Run the daily reminder and audit commands at a fixed local time, forever (or --once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", default="06:00", help="Local time of the daily run, HH:MM.")
        parser.add_argument("--once", action="store_true", help="Run everything now and exit.")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Let the task worker run the daily commands at PAKTA_DAILY_AT (once; idempotent).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            self.stdout.write(schedule_daily())
            return
        if options["once"]:
            failed = run_daily()
            if failed:
                raise CommandError(f"failed: {', '.join(failed)}")
            return
        try:
            hour, minute = (int(part) for part in options["at"].split(":"))
            if not (0 <= hour < 24 and 0 <= minute < 60):
                raise ValueError
            at = (hour, minute)
        except ValueError:
            raise CommandError(f"--at must be HH:MM, not {options['at']!r}.") from None
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        due = next_run(timezone.now(), at)
        logger.info("scheduler: next run at %s", due.isoformat())
        while not stopping:
            if timezone.now() >= due:
                run_daily()
                due = next_run(timezone.now(), at)
                logger.info("scheduler: next run at %s", due.isoformat())
            time.sleep(1)
