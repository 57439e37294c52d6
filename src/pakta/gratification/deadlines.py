"""Deadlines in working days (``pakta.org.workdays.WorkCalendar``: national holidays, cuti
bersama and the Pemda's overrides).

- 30 working days from receipt to KPK (UU 31/1999 jo. UU 20/2001 Pasal 12C(2));
- the Pemda's internal deadlines: to the UPG, and from the UPG to KPK (defaults 10 and 10);
- 20 working days from reporting to complete an incomplete report (Perkom KPK 1/2026);
- 7 working days to deliver KPK's decision (UU 30/2002 Pasal 17).

``deadline_states`` computes the state of many reports at once (one calendar per Pemda, the
arithmetic vectorised with NumPy), so a Pemda's whole list costs what one report costs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from pakta.org.workdays import FIRST_YEAR, LAST_YEAR, WorkCalendar

KPK_DAYS = 30
COMPLETENESS_DAYS = 20
DELIVERY_DAYS = 7
DEFAULT_DAYS_TO_UPG = 10
DEFAULT_DAYS_UPG_TO_KPK = 10
DUE_SOON_DAYS = 3

ON_TIME = "on_time"
DUE_SOON = "due_soon"
LATE = "late"


def settings_for(pemda: object) -> tuple[int, int]:
    """(days to the UPG, days from the UPG to KPK) for a Pemda."""
    from pakta.gratification.models import GratificationSettings

    row = GratificationSettings.objects.filter(pemda=pemda).first()
    if row is None:
        return DEFAULT_DAYS_TO_UPG, DEFAULT_DAYS_UPG_TO_KPK
    return row.days_to_upg, row.days_upg_to_kpk


def busday_calendar(calendar: WorkCalendar) -> np.busdaycalendar:
    """The calendar as one NumPy busdaycalendar, overrides included: every day is a working day
    except the holidays and the weekend days not declared working."""
    return _busday_calendar(calendar.holidays, frozenset(calendar.extra_working))


@lru_cache(maxsize=1024)
def _busday_calendar(holidays: frozenset[dt.date], extra: frozenset[dt.date]) -> np.busdaycalendar:
    start = np.datetime64(f"{FIRST_YEAR}-01-01", "D")
    days = np.arange(start, np.datetime64(f"{LAST_YEAR + 1}-01-01", "D"))
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday (3)
    off = days[weekday >= 5]
    if extra:
        off = np.setdiff1d(off, np.array(sorted(extra), dtype="datetime64[D]"))
    closed = np.union1d(off, np.array(sorted(holidays), dtype="datetime64[D]"))
    return np.busdaycalendar(weekmask="1111111", holidays=closed)


def add_days(calendar: np.busdaycalendar, start: np.ndarray, days: int | np.ndarray) -> np.ndarray:
    """``days`` working days after each start (the start itself does not count)."""
    first = np.busday_offset(start, 0, roll="backward", busdaycal=calendar)
    return np.busday_offset(first, days, roll="forward", busdaycal=calendar)


def deadline_states(
    calendar: WorkCalendar,
    received: Sequence[dt.date] | np.ndarray,
    today: dt.date,
    *,
    days: int = KPK_DAYS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For gifts received on ``received``: (due dates, working days left, state codes 0 on time
    / 1 due in ≤ 3 working days / 2 late). ``left`` is negative once the due date has passed."""
    cal = busday_calendar(calendar)
    start = np.asarray(received, dtype="datetime64[D]")
    due = add_days(cal, start, days)
    now = np.datetime64(today, "D")
    one = np.timedelta64(1, "D")
    ahead = np.busday_count(now + one, due + one, busdaycal=cal)  # working days in (today, due]
    late = due < now
    behind = -np.busday_count(due + one, now + one, busdaycal=cal)  # in (due, today]
    left = np.where(late, behind, ahead)
    state = np.where(late, 2, np.where(ahead <= DUE_SOON_DAYS, 1, 0))
    return due, left, state


STATE_CODES = (ON_TIME, DUE_SOON, LATE)


def deadline_state(calendar: WorkCalendar, due: dt.date, today: dt.date) -> str:
    if today > due:
        return LATE
    if calendar.working_days_between(today, due) <= DUE_SOON_DAYS:
        return DUE_SOON
    return ON_TIME
