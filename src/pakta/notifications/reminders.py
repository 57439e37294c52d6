"""The reminder runner every app registers with.

An app registers a function ``(now) -> int`` that sends its reminders for the day (through
``message_send``) and returns how many it sent; it must be safe to call more than once a day
(remind at most once a day per item). The scheduler runs ``send_reminders`` daily, which calls
every registered function.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.utils import timezone

logger = logging.getLogger("pakta.reminders")

Reminder = Callable[[dt.datetime], int]
REMINDERS: dict[str, Reminder] = {}


def register_reminder(name: str, func: Reminder) -> None:
    """Register ``func`` under ``name`` (``"<app>.<what>"``); call it from the app's ``ready``."""
    REMINDERS[name] = func


def reminders_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every registered reminder; a failing one is logged and the others still run."""
    now = now or timezone.now()
    sent: dict[str, int] = {}
    for name, func in sorted(REMINDERS.items()):
        try:
            sent[name] = func(now)
        except Exception:
            logger.exception("reminder %s failed", name)
            sent[name] = -1
    return sent
