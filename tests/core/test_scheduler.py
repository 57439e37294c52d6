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
    # One runner for every app's reminders (send_reminders), then the CRL and the audit check.
    assert DAILY == ("send_reminders", "refresh_crl", "audit_verify")
    for name in (
        "pacts.overdue",
        "performance.agreements",
        "actionplans.items",
        "reports.deadlines",
    ):
        assert f"{name}: 0" in out
    assert "audit chain OK" in out  # audit_verify
    assert "CRL refreshed" in out  # refresh_crl
    assert mail.outbox == []  # nothing is due in an empty database


@pytest.mark.django_db
def test_a_bad_time_is_refused() -> None:
    with pytest.raises(CommandError, match="HH:MM"):
        call_command("scheduler", "--at", "25:00")


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_daily_commands_and_reschedules_itself(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """`scheduler --schedule` hands the daily run to the task worker (the database backend of
    `make run`): the task runs every daily command (``send_reminders`` calls every registered
    reminder) and enqueues itself again at the next PAKTA_DAILY_AT (no cron entry)."""
    from django_tasks_db.models import DBTaskResult

    from pakta.notifications import reminders
    from pakta.ops.tasks import daily_run_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    calls: list[datetime] = []
    monkeypatch.setitem(reminders.REMINDERS, "test.count", lambda now: calls.append(now) or 0)

    call_command("scheduler", "--schedule")
    call_command("scheduler", "--schedule")  # a restart does not start a second loop
    waiting = DBTaskResult.objects.filter(task_path=daily_run_task.module_path, status="READY")
    assert waiting.count() == 1
    assert (waiting.get().run_after.astimezone(UTC).hour, calls) == (23, [])  # 06:00 WIB

    failed = daily_run_task.call(reschedule=True)  # what the worker does at 06:00
    assert failed == [] and len(calls) == 1  # the registered reminder ran, once
    assert "audit chain OK" in capsys.readouterr().out
    assert waiting.count() == 2  # the next day's run is queued
