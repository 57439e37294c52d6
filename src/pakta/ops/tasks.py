"""The daily run as a periodic task of the worker (no cron entry, no separate scheduler process).

``daily_run_task(reschedule=True)`` runs every command of ``scheduler.DAILY`` (the pact,
performance, action and report reminders, ``send_reminders`` — which calls
``pakta.notifications.reminders.reminders_run`` — the CRL refresh and the audit check), then
enqueues itself for the next ``PAKTA_DAILY_AT`` local time. `manage.py scheduler --schedule`
starts the loop once (scripts/serve.sh does; the Procfile keeps its scheduler process); every command is safe to
run twice a day, so a second loop after a restart never sends twice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger("pakta.scheduler")


def daily_at() -> tuple[int, int]:
    hour, minute = (int(part) for part in settings.PAKTA_DAILY_AT.split(":"))
    return hour, minute


@task()
def daily_run_task(reschedule: bool = False, run: bool = True) -> list[str]:
    """Run the daily commands (unless ``run`` is false: the first enqueue only waits for the
    next run time); with ``reschedule``, enqueue itself again at the next daily time."""
    from pakta.ops.management.commands.scheduler import next_run, run_daily

    failed: list[str] = []
    try:
        if run:
            failed = run_daily()
    finally:
        if reschedule and default_task_backend.supports_defer:
            later = next_run(timezone.now(), daily_at())
            daily_run_task.using(run_after=later).enqueue(reschedule=True)
            logger.info("scheduler: next daily run at %s", later.isoformat())
    return failed
