"""Deadlines of case stages, in working days (no weekends, no Indonesian public holidays).

Holidays come from the ``holidays`` package, Indonesia's calendar with its public holidays and
the government's collective leave days (cuti bersama). A stage's deadline is the end of its
last working day in the Pemda's time zone.

Stage targets follow the national complaint system SP4N-LAPOR! (first response within 3 days;
5 / 14 / 60 days for the later steps); ``PAKTA_REPORT_STAGE_DAYS`` overrides any of them and
``PAKTA_REPORT_FIRST_RESPONSE_DAYS`` the first one.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

import holidays
from django.conf import settings

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


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year, categories=("public", "government"))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def stage_deadline(stage: str, entered_at: dt.datetime, timezone_name: str) -> dt.datetime | None:
    """The end of the last working day allowed for ``stage`` entered at ``entered_at``."""
    days = stage_days(stage)
    if days is None:
        return None
    zone = zoneinfo.ZoneInfo(timezone_name or settings.TIME_ZONE)
    last = add_working_days(entered_at.astimezone(zone).date(), days)
    return dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=zone)
