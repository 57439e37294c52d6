"""Working days: the Indonesian calendar with the overrides an administrator records."""

from __future__ import annotations

import datetime as dt

import pytest

from pakta.org.models import CalendarDay, Pemda
from pakta.org.workdays import WorkCalendar, add_working_days, working_days_between

pytestmark = pytest.mark.django_db


def test_lebaran_and_cuti_bersama_are_not_working_days() -> None:
    # Idul Fitri 1447 H falls on 20-21 March 2026, with cuti bersama around it.
    calendar = WorkCalendar()
    assert not calendar.is_working_day(dt.date(2026, 3, 20))
    assert not calendar.is_working_day(dt.date(2026, 3, 21))
    assert calendar.is_working_day(dt.date(2026, 3, 26))
    # Friday 13 March 2026 + 1 working day is Monday 16 March.
    assert add_working_days(dt.date(2026, 3, 13), 1) == dt.date(2026, 3, 16)
    assert working_days_between(dt.date(2026, 3, 13), dt.date(2026, 3, 16)) == 1
    assert working_days_between(dt.date(2026, 3, 16), dt.date(2026, 3, 13)) == -1


def test_an_override_adds_a_regional_holiday_for_one_pemda_only(
    pemda_a: Pemda, pemda_b: Pemda
) -> None:
    pemda, other = pemda_a, pemda_b
    day = dt.date(2026, 6, 10)  # a Wednesday
    CalendarDay.objects.create(pemda=pemda, date=day, name="Hari jadi kabupaten")
    assert not WorkCalendar(pemda).is_working_day(day)
    assert WorkCalendar(other).is_working_day(day)
    assert add_working_days(dt.date(2026, 6, 9), 1, pemda=pemda) == dt.date(2026, 6, 11)
    assert add_working_days(dt.date(2026, 6, 9), 1, pemda=other) == day


def test_a_national_override_can_make_a_saturday_a_working_day() -> None:
    saturday = dt.date(2026, 6, 13)
    CalendarDay.objects.create(date=saturday, is_working_day=True, name="Hari kerja pengganti")
    calendar = WorkCalendar()
    assert calendar.is_working_day(saturday)
    assert calendar.add_working_days(dt.date(2026, 6, 12), 1) == saturday
    assert calendar.working_days_between(dt.date(2026, 6, 12), dt.date(2026, 6, 15)) == 2


def test_a_pemda_override_wins_over_a_national_one_on_the_same_day(
    pemda_a: Pemda, pemda_b: Pemda
) -> None:
    saturday = dt.date(2026, 6, 13)
    CalendarDay.objects.create(date=saturday, is_working_day=True, name="Hari kerja pengganti")
    CalendarDay.objects.create(pemda=pemda_a, date=saturday, name="Hari jadi kabupaten")
    assert not WorkCalendar(pemda_a).is_working_day(saturday)
    assert WorkCalendar(pemda_b).is_working_day(saturday)
    assert WorkCalendar().is_working_day(saturday)
