"""The one place that sends: an in-app message now, the e-mail after the commit, each in the
recipient's language; the daily reminder runner keeps going when one app's reminder fails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils.translation import gettext as _

from pakta.accounts.models import User
from pakta.notifications import reminders
from pakta.notifications.models import Notification
from pakta.notifications.services import message_send

pytestmark = pytest.mark.django_db


def test_a_message_reaches_the_inbox_and_the_mailbox_after_commit(
    role_users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    user = role_users["pegawai"]
    user.email = "pegawai@example.test"
    user.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = message_send(
            users=[user],
            render=lambda u: (_("Notifications"), f"Halo {u.username}"),
            url="/p/a/",
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert sent == 1
    notification = Notification.objects.get(user=user)
    assert notification.message == "Notifikasi"  # the Indonesian default
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pegawai@example.test"]
    assert mail.outbox[0].subject == "Notifikasi"
    assert "/p/a/" in mail.outbox[0].body


def test_a_failing_reminder_does_not_stop_the_others(monkeypatch: Any) -> None:
    monkeypatch.setattr(reminders, "REMINDERS", {})
    seen: list[str] = []

    def broken(now: dt.datetime) -> int:
        raise RuntimeError("boom")

    def working(now: dt.datetime) -> int:
        seen.append("ok")
        return 3

    reminders.register_reminder("a.broken", broken)
    reminders.register_reminder("b.working", working)
    assert reminders.reminders_run() == {"a.broken": -1, "b.working": 3}
    assert seen == ["ok"]
