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
from typing import Any

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


def settings_for(pemda: Any) -> tuple[int, int]:
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


def calendars_for(pemda_ids: Sequence[int]) -> dict[int, WorkCalendar]:
    """One calendar per Pemda; the Pemda without overrides of their own share the national one
    (so many Pemda cost two queries, not one each)."""
    from pakta.org.models import CalendarDay

    own = set(
        CalendarDay.objects.filter(pemda_id__in=list(pemda_ids)).values_list("pemda_id", flat=True)
    )
    shared = WorkCalendar(None)
    return {pid: WorkCalendar(pid) if pid in own else shared for pid in pemda_ids}


def deadline_states_many(
    pemda_ids: np.ndarray, received: np.ndarray, today: dt.date, *, days: int = KPK_DAYS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``deadline_states`` for rows of many Pemda at once, each on its own calendar; the
    results are in the order of the rows."""
    pemda_ids = np.asarray(pemda_ids)
    received = np.asarray(received, dtype="datetime64[D]")
    due = np.empty(len(received), dtype="datetime64[D]")
    left = np.empty(len(received), dtype="int64")
    state = np.empty(len(received), dtype="int8")
    order = np.argsort(pemda_ids, kind="stable")
    unique, starts = np.unique(pemda_ids[order], return_index=True)
    calendars = calendars_for([int(p) for p in unique])
    bounds = [*starts.tolist(), len(order)]
    for i, pid in enumerate(unique.tolist()):
        rows = order[bounds[i] : bounds[i + 1]]
        due[rows], left[rows], state[rows] = deadline_states(
            calendars[pid], received[rows], today, days=days
        )
    return due, left, state


def open_report_states(*, today: dt.date, pemda: Any = None) -> dict[str, Any]:
    """The deadline state (30 working days to KPK) of every open report (of one Pemda, or all):
    report ids and their states, and the counts per state."""
    from pakta.gratification.models import GratificationReport

    reports = GratificationReport.objects.filter(
        status__in=[
            GratificationReport.Status.SUBMITTED,
            GratificationReport.Status.RETURNED,
            GratificationReport.Status.ANALYSIS,
            GratificationReport.Status.INTERNAL,
        ]
    )
    if pemda is not None:
        reports = reports.filter(pemda=pemda)
    rows = list(reports.values_list("pk", "pemda_id", "received_on"))
    if not rows:
        return {
            "ids": np.array([], dtype="int64"),
            "state": np.array([], dtype="int8"),
            "counts": {},
        }
    ids, pemda_ids, received = zip(*rows, strict=True)
    _due, _left, state = deadline_states_many(
        np.array(pemda_ids), np.array(received, dtype="datetime64[D]"), today
    )
    counts = {name: int((state == code).sum()) for code, name in enumerate(STATE_CODES)}
    return {"ids": np.array(ids), "state": state, "counts": counts}
