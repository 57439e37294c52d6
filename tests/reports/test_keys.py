"""Handler keys: wrapped by the password, unwrapped at login into the session only, re-wrapped
on a password change, recovered with the recovery key, and the Pemda's optional escrow key."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from pakta.accounts.services import role_request_create, role_request_decide
from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.core.roles import ESCROW_HOLDER
from pakta.reports import crypto, keys, services
from pakta.reports.models import HandlerKey, ReportKeyGrant
from tests.conftest import PASSWORD, client_for
from tests.reports.conftest import handler_client, make_handler, submit

NEW_PASSWORD = "another-long-passphrase-2026"


def login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_enrolment_stores_only_wrapped_keys_and_shows_a_recovery_key_once(
    pemda_a: Any, superadmin: Any
) -> None:
    user = make_handler("eko", pemda_a, superadmin, enrol=False)
    client = client_for(user)
    client.cookies["django_language"] = "en"
    page = client.post(reverse("reports:key", kwargs={"pemda": "alfa"}), {"password": PASSWORD})
    text = page.content.decode()
    assert "It is shown only this once" in text
    key = HandlerKey.objects.get(user=user)
    private = keys.handler_key_unwrap(key=key, password=PASSWORD)
    assert private is not None and crypto.public_of(private) == bytes(key.public_key)
    assert private not in bytes(key.wrapped_private) + bytes(key.recovery_wrapped_private)
    assert keys.handler_key_unwrap(key=key, password="wrong password!") is None
    # The enrolling session is unlocked at once; the recovery key is not shown again.
    assert keys.COOKIE_NAME in client.cookies
    again = client.get(reverse("reports:key", kwargs={"pemda": "alfa"})).content.decode()
    assert "It is shown only this once" not in again
    assert AuditEvent.objects.filter(action="reports.handler_key.enrolled").count() == 1


def test_only_inspektorat_handlers_enrol(role_users: dict[str, Any]) -> None:
    with pytest.raises(DomainError):
        keys.handler_key_enrol(user=role_users["admin"], password=PASSWORD)
    with pytest.raises(DomainError):
        keys.handler_key_enrol(user=role_users["inspektorat"], password="not the password")


def test_login_unwraps_the_key_into_the_session_only(pemda_a: Any, handler_a: Any) -> None:
    client = Client()
    response = login(client, "dewi", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[keys.COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    private = keys.handler_key_unwrap(key=handler_a.handler_key, password=PASSWORD)
    # The server-side session holds the key only encrypted: a dump of it reveals nothing.
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    dumped = json.dumps(session.get_decoded()).encode() + session.session_data.encode()
    for form in (private, crypto.b64(private).encode(), private.hex().encode()):
        assert form not in dumped
    sealed = crypto.unb64(session.get_decoded()[keys.SESSION_KEY]["sealed"])
    assert crypto.decrypt(crypto.unb64(cookie.value), sealed) == private
    # Without the browser's cookie the session's copy is useless.
    other_key = crypto.new_key()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(other_key, sealed)


def test_a_logged_in_handler_reads_straight_away(pemda_a: Any, handler_a: Any) -> None:
    submission = submit(pemda_a, what="Isi yang hanya bisa dibaca penangan.")
    client = Client()
    login(client, "dewi", PASSWORD)
    # Two-factor login is required for the Inspektorat; pass it as the shared fixture does.
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _ = StaticDevice.objects.get_or_create(user=handler_a, name="test")
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    page = client.get(
        reverse("reports:detail", kwargs={"pemda": "alfa", "pk": submission.report.pk})
    )
    assert "Isi yang hanya bisa dibaca penangan." in page.content.decode()
    # Logging out forgets the key.
    client.post(reverse("accounts:logout"))
    client.force_login(handler_a)
    assert keys.SESSION_KEY not in client.session


def test_password_change_rewraps_the_key(pemda_a: Any, handler_a: Any) -> None:
    before = keys.handler_key_unwrap(key=handler_a.handler_key, password=PASSWORD)
    client = handler_client(handler_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    key = HandlerKey.objects.get(user=handler_a)
    assert keys.handler_key_unwrap(key=key, password=PASSWORD) is None
    assert keys.handler_key_unwrap(key=key, password=NEW_PASSWORD) == before
    assert AuditEvent.objects.filter(action="reports.handler_key.rewrapped").exists()


def test_after_a_password_reset_the_recovery_key_restores_access(
    pemda_a: Any, superadmin: Any
) -> None:
    user = make_handler("fajar", pemda_a, superadmin, enrol=False)
    _key, recovery, private = keys.handler_key_enrol(user=user, password=PASSWORD)
    submission = submit(pemda_a, what="Laporan sebelum reset.")
    # An administrator resets the password: it no longer opens the key.
    user.set_password(NEW_PASSWORD)
    user.save()
    client = Client()
    client.cookies["django_language"] = "en"
    login(client, "fajar", NEW_PASSWORD)
    assert client.session.get(keys.LOCKED_SESSION_KEY) is True
    with pytest.raises(DomainError, match="The recovery key is wrong"):
        keys.handler_key_recover(user=user, recovery_code="AAAA-BBBB", password=NEW_PASSWORD)
    new_code, recovered = keys.handler_key_recover(
        user=user, recovery_code=recovery.lower().replace("-", " "), password=NEW_PASSWORD
    )
    assert recovered == private and new_code != recovery
    key = HandlerKey.objects.get(user=user)
    assert keys.handler_key_unwrap(key=key, password=NEW_PASSWORD) == private
    with pytest.raises(DomainError):  # the used recovery key is replaced
        keys.handler_key_recover(user=user, recovery_code=recovery, password=NEW_PASSWORD)
    opened = services.report_open(report=submission.report, user=user, private_key=recovered)
    assert opened is not None and opened.content["what"] == "Laporan sebelum reset."


def test_escrow_is_off_by_default_explicit_and_audited(
    pemda_a: Any, superadmin: Any, role_users: dict[str, Any]
) -> None:
    admin = role_users["admin"]
    first = submit(pemda_a)
    assert not ReportKeyGrant.objects.filter(escrow__isnull=False).exists()
    # Two people decide who holds the key (tests/accounts/test_role_requests.py).
    role_request_decide(
        request=role_request_create(
            user=admin, pemda=pemda_a, role=ESCROW_HOLDER, acting_user=admin
        ),
        approve=True,
        acting_user=superadmin,
    )
    client = client_for(admin)
    page = client.post(reverse("reports:escrow", kwargs={"pemda": "alfa"}), {"action": "enable"})
    code = page.context["escrow_code"]
    assert code
    second = submit(pemda_a)
    assert not first.report.grants.filter(escrow__isnull=False).exists()
    assert second.report.grants.filter(escrow__isnull=False).count() == 1
    assert AuditEvent.objects.filter(action="reports.escrow.enabled", actor=admin).exists()
    # A handler enrolled later gets access to the escrowed report through the escrow key.
    late = make_handler("gita", pemda_a, superadmin)
    assert (
        keys.escrow_recover(pemda=pemda_a, escrow_code=code, to_user=late, acting_user=admin) == 1
    )
    private = keys.handler_key_unwrap(key=late.handler_key, password=PASSWORD)
    assert services.report_open(report=second.report, user=late, private_key=private)
    assert services.report_open(report=first.report, user=late, private_key=private) is None
    event = AuditEvent.objects.get(action="reports.escrow.used")
    assert event.summary == {"to_user_id": late.pk, "reports": 1}
    with pytest.raises(DomainError, match="The escrow key is wrong"):
        keys.escrow_recover(pemda=pemda_a, escrow_code="AAAA", to_user=late, acting_user=admin)
    client.post(reverse("reports:escrow", kwargs={"pemda": "alfa"}), {"action": "disable"})
    third = submit(pemda_a)
    assert not third.report.grants.filter(escrow__isnull=False).exists()
    assert AuditEvent.objects.filter(action="reports.escrow.disabled").exists()
