"""The scheduler of the Procfile runs the daily commands once a day at a fixed local time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from pakta.ops.management.commands.scheduler import DAILY, next_run


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # 05:00 WIB: today at 06:00.
        (datetime(2026, 3, 1, 22, 0, tzinfo=UTC), "2026-03-02 06:00:00+07:00"),
        # 06:00 WIB exactly: it has just run, so tomorrow.
        (datetime(2026, 3, 1, 23, 0, tzinfo=UTC), "2026-03-03 06:00:00+07:00"),
        # 17:00 WIB: tomorrow, across the end of the month.
        (datetime(2026, 3, 31, 10, 0, tzinfo=UTC), "2026-04-01 06:00:00+07:00"),
    ],
)
def test_next_run_is_the_next_local_time(now: datetime, expected: str) -> None:
    assert str(next_run(now, (6, 0))) == expected


@pytest.mark.django_db
def test_once_runs_every_daily_command(capsys: Any) -> None:
    call_command("scheduler", "--once")

    out = capsys.readouterr().out
    assert "reminded=" in out  # send_pact_reminders
    assert "audit chain OK" in out  # audit_verify
    assert "CRL refreshed" in out  # refresh_crl
    assert len(DAILY) == 7
    assert "send_reminders" in DAILY  # every reminder registered with notifications.reminders
    assert mail.outbox == []  # nothing is due in an empty database


@pytest.mark.django_db
def test_a_bad_time_is_refused() -> None:
    with pytest.raises(CommandError, match="HH:MM"):
        call_command("scheduler", "--at", "25:00")
