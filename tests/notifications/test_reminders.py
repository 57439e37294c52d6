"""Reminders to sign: an e-mail in Indonesian and an in-app notification, at most once a day."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.audit.selectors import audit_chain_verify
from pakta.notifications.models import Notification
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts.models import Pact
from pakta.pacts.reminders import pacts_remind
from tests.conftest import client_for
from tests.pacts.event_world import EventWorld, build_event_world
from tests.signing.conftest import user_for

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def world(pemda_a: Pemda, official_a: Official, unit_a: Unit, superadmin: User) -> EventWorld:
    return build_event_world(pemda_a, official_a, unit_a, superadmin)


def test_event_reminder_mails_and_notifies_each_pending_official_with_an_account(
    world: EventWorld, role_users: dict[str, User]
) -> None:
    dewi_pact, joko_pact = world.pending
    dewi = User.objects.get(official=dewi_pact.official)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=WIB), tick=False):
        run = pacts_remind(event=world.event, acting_user=role_users["admin"])

    assert (run.reminded, run.emailed, run.notified, run.no_account) == (1, 1, 1, 1)
    (email,) = mail.outbox
    assert email.to == ["dewi@example.test"]  # the official's address: the account has none
    with translation.override("id"):
        subject = gettext("Reminder: please sign your %(year)s integrity pact") % {"year": 2026}
        greeting = gettext("Dear %(name)s,") % {"name": "Dewi Lestari"}
    assert email.subject == subject  # rendered in Indonesian, whatever the sender's language
    assert greeting in email.body
    assert "26 Maret 2026" in email.body and world.event.title in email.body
    (note,) = Notification.objects.filter(user=dewi)
    assert note.message == subject and note.pemda == world.event.pemda and note.read_at is None
    # Both lead to the official's own signing page for this pact, which they may open.
    sign_url = reverse("pacts:pact_sign", kwargs={"pemda": "alfa", "pk": dewi_pact.pk})
    assert note.url == sign_url and f"http://127.0.0.1:8000{sign_url}" in email.body
    assert client_for(dewi).get(sign_url).status_code == 200
    # Nobody else: signers, the excused official and Joko (no account) get nothing.
    assert Notification.objects.filter(message=subject).count() == 1
    dewi_pact.refresh_from_db()
    joko_pact.refresh_from_db()
    assert dewi_pact.last_reminded_at is not None and joko_pact.last_reminded_at is None

    event = AuditEvent.objects.get(action="pacts.reminders.sent")
    assert event.summary["reminded"] == 1 and event.summary["pact_ids"] == [dewi_pact.pk]
    assert "dewi@example.test" not in str(event.summary)  # ids and counts only
    assert audit_chain_verify().ok


def test_the_same_pact_is_reminded_once_a_day(
    world: EventWorld, role_users: dict[str, User]
) -> None:
    admin = role_users["admin"]
    with time_machine.travel(dt.datetime(2026, 3, 20, 8, 0, tzinfo=WIB), tick=False):
        pacts_remind(event=world.event, acting_user=admin)
    with time_machine.travel(dt.datetime(2026, 3, 20, 23, 30, tzinfo=WIB), tick=False):
        again = pacts_remind(event=world.event, acting_user=admin)
    assert (again.reminded, again.already_today) == (0, 1)
    # (Besides the witness told when the pact he witnesses was signed.)
    reminders = Notification.objects.exclude(message__endswith="sebagai saksi")
    assert len(mail.outbox) == 1 and reminders.count() == 1
    # The next morning (WIB) it may be reminded again.
    with time_machine.travel(dt.datetime(2026, 3, 21, 7, 0, tzinfo=WIB), tick=False):
        next_day = pacts_remind(event=world.event, acting_user=admin)
    assert next_day.reminded == 1 and len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="pacts.reminders.sent").count() == 3  # one per run


def test_reminder_button_on_the_event_report(
    world: EventWorld, role_users: dict[str, User]
) -> None:
    url = reverse("pactreports:event_remind", kwargs={"pemda": "alfa", "pk": world.event.pk})
    assert client_for(role_users["inspektorat"]).post(url).status_code == 403
    assert not mail.outbox
    response = client_for(role_users["admin"]).post(url, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(f"/events/{world.event.pk}/report/")
    assert len(mail.outbox) == 1
    levels = [m.level_tag for m in response.context["messages"]]
    assert "success" in levels and "warning" in levels  # reminded one; one has no account


def test_command_reminds_overdue_pacts_across_pemda_once_a_day(
    world: EventWorld, pemda_b: Pemda, superadmin: User
) -> None:
    unit_b = org.unit_create(pemda=pemda_b, name="Dinas Beta", acting_user=superadmin)
    position_b = org.position_create(
        pemda=pemda_b,
        unit=unit_b,
        title="Kepala Dinas Beta",
        level="jpt_pratama",
        acting_user=superadmin,
    )
    official_b = org.official_create(
        pemda=pemda_b,
        nip="197203032000031009",
        name="Yusuf Beta",
        acting_user=superadmin,
        email="yusuf@example.test",
    )
    org.assignment_start(
        official=official_b,
        position=position_b,
        start_date=dt.date(2026, 1, 5),
        acting_user=superadmin,
    )  # a pact due 30 days later
    yusuf = user_for(official_b)
    dewi_event_pact = world.pending[0]

    # 1 February: Yusuf's pact (due 4 February) is not overdue yet; Dewi's event pact neither.
    with time_machine.travel(dt.datetime(2026, 2, 1, 6, 0, tzinfo=WIB), tick=False):
        call_command("send_pact_reminders", stdout=StringIO())
    assert not Notification.objects.filter(user=yusuf).exists()
    dewi_event_pact.refresh_from_db()
    assert dewi_event_pact.last_reminded_at is None

    # 10 April: both are overdue; run twice the same day, each pact is reminded once.
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 4, 10, 6, 0, tzinfo=WIB), tick=False):
        call_command("send_pact_reminders", stdout=out)
        sent = len(mail.outbox)
        call_command("send_pact_reminders", stdout=StringIO())
    assert len(mail.outbox) == sent
    assert "reminded=" in out.getvalue()
    assert Notification.objects.filter(user=yusuf).count() == 1
    assert any(m.to == ["yusuf@example.test"] for m in mail.outbox)
    with translation.override("id"):
        overdue = gettext("Reminder: your %(year)s integrity pact is overdue") % {"year": 2026}
    assert [m.subject for m in mail.outbox if m.to == ["yusuf@example.test"]] == [overdue]
    dewi_event_pact.refresh_from_db()
    assert dewi_event_pact.last_reminded_at is not None
    # Signed and excused pacts are never reminded.
    assert (
        not Pact.objects.exclude(status=Pact.Status.PENDING)
        .filter(last_reminded_at__isnull=False)
        .exists()
    )
    # One audit event per Pemda reached per run, holding ids and counts only.
    runs = AuditEvent.objects.filter(action="pacts.reminders.sent")
    assert {world.event.pemda_id, pemda_b.pk} <= {e.pemda_id for e in runs}
    # The second run of 10 April reached nobody: one event across Pemda says so.
    last = runs.order_by("-seq").first()
    assert last is not None and last.pemda_id is None and last.summary["reminded"] == 0
    assert all(e.summary["scope"] == "overdue" for e in runs)
    assert audit_chain_verify().ok


def test_remind_needs_a_scope(role_users: dict[str, User]) -> None:
    from pakta.core.errors import DomainError

    with pytest.raises(DomainError):
        pacts_remind(acting_user=role_users["admin"])
