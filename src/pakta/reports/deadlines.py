"""Deadlines of case stages, in working days (no weekends, no Indonesian public holidays).

Holidays come from ``org.workdays`` (the ``holidays`` package plus overrides), Indonesia's calendar with its public holidays and
the government's collective leave days (cuti bersama). A stage's deadline is the end of its
last working day in the Pemda's time zone.

Stage targets follow the national complaint system SP4N-LAPOR! (first response within 3 days;
5 / 14 / 60 days for the later steps); ``PAKTA_REPORT_STAGE_DAYS`` overrides any of them and
``PAKTA_REPORT_FIRST_RESPONSE_DAYS`` the first one.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings

from pakta.org.workdays import WorkCalendar

DEFAULT_STAGE_DAYS: dict[str, int] = {
    "received": 3,  # first response
    "verification": 5,
    "clarification": 14,
    "investigation": 60,
    "substantiated": 5,
    "not_substantiated": 5,
    "follow_up": 30,
}


def stage_days(stage: str) -> int | None:
    """Working days allowed in ``stage``; None for a stage without deadline (closed)."""
    days = dict(DEFAULT_STAGE_DAYS)
    days["received"] = int(getattr(settings, "PAKTA_REPORT_FIRST_RESPONSE_DAYS", days["received"]))
    days.update(getattr(settings, "PAKTA_REPORT_STAGE_DAYS", {}) or {})
    return days.get(stage)


def is_working_day(day: dt.date) -> bool:
    return WorkCalendar().is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    return WorkCalendar().add_working_days(start, days)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    return WorkCalendar().working_days_between(start, end)


def stage_deadline(stage: str, entered_at: dt.datetime, timezone_name: str) -> dt.datetime | None:
    """The end of the last working day allowed for ``stage`` entered at ``entered_at``."""
    days = stage_days(stage)
    if days is None:
        return None
    zone = zoneinfo.ZoneInfo(timezone_name or settings.TIME_ZONE)
    last = add_working_days(entered_at.astimezone(zone).date(), days)
    return dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=zone)
