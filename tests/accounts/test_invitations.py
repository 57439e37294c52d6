"""Accounts created by an administrator: an invitation e-mail with a link to choose the password,
valid 72 hours and once; and "Forgot your password?" works for them too."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.org.models import Pemda
from tests.accounts.test_login import logged_in_as, login
from tests.conftest import client_for

NEW_PASSWORD = "a-new-long-passphrase-7"


def create_user(admin: Client, capture: Any, username: str = "siti") -> Any:
    with capture(execute=True):
        return admin.post(
            "/p/alfa/users/new/",
            {"username": username, "email": "siti@alfa.example", "role": "pegawai"},
            follow=True,
        )


def link_in(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def choose_password(client: Client, link: str, password: str = NEW_PASSWORD) -> Any:
    page = client.get(link, follow=True)
    assert page.context["validlink"], "the link should still be valid"
    return client.post(
        page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_an_invited_user_follows_the_link_sets_a_password_and_logs_in(
    role_users: dict[str, User], pemda_a: Pemda, django_capture_on_commit_callbacks: Any
) -> None:
    admin = client_for(role_users["admin"])
    created = create_user(admin, django_capture_on_commit_callbacks)
    assert "dikirimi tautan melalui e-mail" in created.content.decode()
    user = User.objects.get(username="siti")
    assert not user.has_usable_password()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@alfa.example"]
    assert message.subject == "Akun Pakta Anda: tetapkan kata sandi Anda"
    assert "Nama pengguna Anda adalah siti" in message.body
    assert "selama 72 jam" in message.body
    link = link_in(message)
    assert link.startswith("/accounts/invitation/")

    visitor = Client()
    page = visitor.get(link, follow=True)
    assert "Selamat datang di Pakta" in page.content.decode()
    done = choose_password(visitor, link)
    assert done.status_code == 302
    login(visitor, "siti", NEW_PASSWORD)
    assert logged_in_as(visitor) == str(user.pk)
    assert AuditEvent.objects.filter(action="accounts.invitation.sent", object_id=user.pk).exists()

    # Once only: the same link no longer opens the form.
    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "sudah digunakan" in again.content.decode()


def test_the_invitation_expires_after_72_hours(
    role_users: dict[str, User], pemda_a: Pemda, django_capture_on_commit_callbacks: Any
) -> None:
    # Every moment under time_machine: Django's tokens use the naive local clock.
    start = timezone.now()
    admin = client_for(role_users["admin"])
    with time_machine.travel(start, tick=False):
        create_user(admin, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    with time_machine.travel(start + dt.timedelta(hours=71), tick=False):
        assert Client().get(link, follow=True).context["validlink"]
    with time_machine.travel(start + dt.timedelta(hours=73), tick=False):
        assert not Client().get(link, follow=True).context["validlink"]


def test_an_invited_user_whose_link_expired_resets_the_password(
    role_users: dict[str, User], pemda_a: Pemda, django_capture_on_commit_callbacks: Any
) -> None:
    create_user(client_for(role_users["admin"]), django_capture_on_commit_callbacks)
    invitation = link_in(mail.outbox[0])
    visitor = Client()
    response = visitor.post("/accounts/password-reset/", {"email": "siti@alfa.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 2  # "Forgot your password?" no longer skips the account
    reset = link_in(mail.outbox[1])
    assert reset.startswith("/accounts/reset/")
    # An invitation token is no reset token (each has its own salt).
    uid, token = invitation.strip("/").split("/")[-2:]
    assert not visitor.get(f"/accounts/reset/{uid}/{token}/", follow=True).context["validlink"]

    assert choose_password(visitor, reset).status_code == 302
    login(visitor, "siti", NEW_PASSWORD)
    assert logged_in_as(visitor) == str(User.objects.get(username="siti").pk)
    # Setting the password used up the invitation as well.
    assert not Client().get(invitation, follow=True).context["validlink"]
