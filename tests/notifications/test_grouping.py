"""A burst of tasks of one kind is one notification ("40 pakta integritas menunggu tanda tangan
Anda", linking to the list), in-app and by e-mail, in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from pakta.accounts.models import User
from pakta.notifications.models import Notification
from pakta.notifications.services import (
    burst_window,
    message_send,
    notification_digests_send,
    todo_announce,
)
from pakta.org.models import Official, Pemda
from pakta.pacts.todo import _pacts_to_sign, _pacts_to_witness
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
INBOX = "/p/alfa/pacts/inbox/"


def _one_pact(user: User, pemda: Pemda, n: int) -> int:
    return message_send(
        users=[user],
        render=lambda u: (f"Pakta integritas nomor {n} menunggu kesaksian Anda", "Buka"),
        url=f"{INBOX}{n}/",
        pemda=pemda,
        kind="pacts.witness",
        group=_pacts_to_witness,
        group_url=INBOX,
    )


def test_forty_pacts_in_a_burst_are_one_notification_and_two_emails(
    role_users: dict[str, User], pemda_a: Pemda, django_capture_on_commit_callbacks: Any
) -> None:
    witness, other = role_users["kepala_opd"], role_users["pegawai"]
    witness.email = "saksi@example.test"
    witness.save()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(40):  # forty subordinates sign, one request each
            _one_pact(witness, pemda_a, n)
        _one_pact(other, pemda_a, 99)
    notification = Notification.objects.get(user=witness)
    assert notification.count == 40
    assert notification.message == ("40 pakta integritas menunggu tanda tangan Anda sebagai saksi")
    assert notification.message_en == (
        "40 integrity pacts wait for your countersignature as witness"
    )
    assert notification.url == INBOX
    # The other user's single pact stays a single notification with its own link.
    single = Notification.objects.get(user=other)
    assert single.count == 1 and single.url == f"{INBOX}99/"
    assert "nomor 99" in single.message
    # E-mail: the first pact at once; nothing more while the burst lasts.
    assert [m.subject for m in mail.outbox] == ["Pakta integritas nomor 0 menunggu kesaksian Anda"]
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_digests_send() == 0
    # When the window closes: one summary of the forty, with the list's link; only once.
    later = timezone.now() + burst_window() + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_digests_send(now=later) == 1
        assert notification_digests_send(now=later) == 0
    assert len(mail.outbox) == 2
    summary = mail.outbox[1]
    assert summary.to == ["saksi@example.test"]
    assert summary.subject == "40 pakta integritas menunggu tanda tangan Anda sebagai saksi"
    assert INBOX in summary.body and "Buka Pakta untuk melihat semuanya." in summary.body


def test_the_grouped_notification_is_shown_in_the_readers_language(
    role_users: dict[str, User], pemda_a: Pemda
) -> None:
    user = role_users["kepala_opd"]
    for n in range(3):
        _one_pact(user, pemda_a, n)
    client = client_for(user)
    page = client.get("/notifications/").content.decode()
    assert "3 pakta integritas menunggu tanda tangan Anda sebagai saksi" in page
    client.cookies["django_language"] = "en"
    page = client.get("/notifications/").content.decode()
    assert "3 integrity pacts wait for your countersignature as witness" in page


def test_a_new_burst_after_reading_or_after_the_window(
    role_users: dict[str, User], pemda_a: Pemda
) -> None:
    user = role_users["kepala_opd"]
    _one_pact(user, pemda_a, 1)
    _one_pact(user, pemda_a, 2)
    first = Notification.objects.get(user=user)
    assert first.count == 2
    # Read: the next pact starts a new burst, shown on its own.
    client_for(user).post("/notifications/", {"id": first.pk})
    _one_pact(user, pemda_a, 3)
    assert Notification.objects.filter(user=user).count() == 2
    newest = Notification.objects.filter(user=user).order_by("-pk").first()
    assert newest is not None and newest.count == 1 and "nomor 3" in newest.message
    # Unread but older than the window: a new notification too.
    Notification.objects.filter(pk=newest.pk).update(
        created_at=timezone.now() - burst_window() - dt.timedelta(minutes=1)
    )
    _one_pact(user, pemda_a, 4)
    assert Notification.objects.filter(user=user).count() == 3
    # Messages without a kind are never grouped.
    for _ in range(2):
        message_send(users=[user], render=lambda u: ("Buku pakta siap", ""), pemda=pemda_a)
    assert Notification.objects.filter(user=user, message="Buku pakta siap").count() == 2


def test_several_tasks_for_one_official_in_one_call_are_one_notification(
    official_a: Official, pemda_a: Pemda, superadmin: User, django_capture_on_commit_callbacks: Any
) -> None:
    from pakta.accounts.services import user_create

    account = user_create(
        username="hadi", password=None, acting_user=superadmin, validate=False, official=official_a
    )
    account.email = "hadi@example.test"
    account.save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = todo_announce(
            official_ids=[official_a.pk] * 3,
            render=lambda u: ("Pakta integritas 2026 menunggu tanda tangan Anda", ""),
            url=INBOX,
            pemda=pemda_a,
            kind="pacts.sign",
            group=_pacts_to_sign,
            group_url=INBOX,
        )
    assert sent == 1
    notification = Notification.objects.get(user=account)
    assert notification.count == 3
    assert notification.message == "3 pakta integritas menunggu tanda tangan Anda"
    assert notification.message_en == "3 integrity pacts wait for your signature"
    assert [m.subject for m in mail.outbox] == ["3 pakta integritas menunggu tanda tangan Anda"]
