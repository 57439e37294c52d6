"""Logging in: by username or NIP, throttling, two-factor for privileged roles, password reset."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from pakta.accounts.forms import LoginForm
from pakta.accounts.models import User
from pakta.accounts.services import user_create
from pakta.audit.models import AuditEvent
from pakta.org.models import Official, Pemda
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def login(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def logged_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def current_code(device: TOTPDevice, offset: int = 0) -> str:
    """The code an authenticator app shows now for ``device`` (``offset`` steps away)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{code:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    valid = {current_code(device, offset) for offset in range(-2, 3)}
    return next(c for c in ("000000", "111111", "222222") if c not in valid)


def after_throttle() -> Any:
    """A few seconds later: after a wrong code django-otp refuses any code for a moment."""
    return time_machine.travel(timezone.now() + dt.timedelta(seconds=10), tick=True)


def in_language(response: Any, message: Any) -> str:
    with translation.override(response["Content-Language"]):
        return str(message)


# --- Username or NIP ----------------------------------------------------------------------------


def test_login_by_username(role_users: dict[str, User], pemda_a: Pemda, client: Client) -> None:
    response = login(client, "pegawai-a")
    assert response.status_code == 302
    assert logged_in_as(client) == str(role_users["pegawai"].pk)
    # One Pemda: home leads straight to it.
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == (
        pemda_a.get_absolute_url()
    )


def test_login_by_nip(official_a: Official, superadmin: User, client: Client) -> None:
    user = user_create(
        username="hadi", password=PASSWORD, acting_user=superadmin, official=official_a
    )
    response = login(client, official_a.nip)
    assert response.status_code == 302
    assert logged_in_as(client) == str(user.pk)


def test_login_by_username_is_case_insensitive(role_users: dict[str, User], client: Client) -> None:
    login(client, "PEGAWAI-A")
    assert logged_in_as(client) == str(role_users["pegawai"].pk)


@pytest.mark.parametrize("username", ["pegawai-a", "nobody", "197001012000031001"])
def test_wrong_password_is_refused_with_one_message(
    username: str, role_users: dict[str, User], official_a: Official, client: Client
) -> None:
    response = login(client, username, "not-the-password")
    assert response.status_code == 200
    assert logged_in_as(client) is None
    # The same sentence whether the account exists or not.
    assert in_language(response, LoginForm.error_messages["invalid_login"]) in (
        response.content.decode()
    )


# --- Throttling ---------------------------------------------------------------------------------


def test_account_is_locked_after_repeated_failures(
    role_users: dict[str, User], client: Client
) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _attempt in range(limit):
        login(client, "pegawai-a", "not-the-password")
    response = login(client, "pegawai-a")  # the right password, too late
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert logged_in_as(client) is None
    # Locked by account, not by address: a colleague behind the same NAT still logs in.
    other = Client()
    login(other, "upg-a")
    assert logged_in_as(other) == str(role_users["upg"].pk)


def test_a_success_before_the_limit_resets_the_count(
    role_users: dict[str, User], client: Client
) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "pegawai-a", "not-the-password")
    login(client, "pegawai-a")
    assert logged_in_as(client) == str(role_users["pegawai"].pk)
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "pegawai-a", "not-the-password")
    login(client, "pegawai-a")
    assert logged_in_as(client) == str(role_users["pegawai"].pk)


def test_nip_and_username_share_one_lockout(
    official_a: Official, superadmin: User, client: Client
) -> None:
    """Alternating the NIP and the username does not double the attempts."""
    user_create(username="hadi", password=PASSWORD, acting_user=superadmin, official=official_a)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, official_a.nip if attempt % 2 else "hadi", "not-the-password")
    assert login(client, official_a.nip).status_code == 429
    assert login(client, "Hadi").status_code == 429
    assert logged_in_as(client) is None


# --- Password hashing ---------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_outside_tests(tmp_path: Any) -> None:
    """Tests use a fast hasher; the settings a server loads put argon2 first."""
    env = {k: v for k, v in os.environ.items() if k not in ("PAKTA_TESTING",)}
    env.update(DJANGO_SETTINGS_MODULE="pakta.settings", PAKTA_VAR_DIR=str(tmp_path))
    code = (
        "import django; django.setup();"
        "from django.conf import settings; from django.contrib.auth.hashers import make_password;"
        "print(settings.TESTING, settings.PASSWORD_HASHERS[0], make_password('x').split('$')[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [
        "False",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "argon2",
    ]


# --- Two-factor ---------------------------------------------------------------------------------


@override_settings(DEMO_MODE=False)
def test_privileged_user_must_enrol_then_reaches_the_pemda(
    role_users: dict[str, User], pemda_a: Pemda, client: Client
) -> None:
    admin = role_users["admin"]
    response = login(client, "admin-a")
    assert response.status_code == 302
    # Logged in with the password, but every page leads to enrolment first.
    response = client.get(pemda_a.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:totp_setup"))

    response = client.get(response["Location"])
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=admin).exists()  # showing the secret writes nothing
    key = client.session["pakta_totp_pending_key"]
    device = TOTPDevice(user=admin, key=key)  # what the user's authenticator app now holds
    assert key in response.content.decode()  # the key to type by hand
    assert "<svg" in response.content.decode()  # and the QR code to scan
    assert client.get(reverse("accounts:totp_setup")).content.decode().count(key) >= 1  # same key

    response = client.post(
        reverse("accounts:totp_setup"),
        {"token": wrong_code(device), "next": pemda_a.get_absolute_url()},
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=admin).exists()
    events = AuditEvent.objects.filter(action="accounts.totp.enrolled")
    assert not events.exists()

    with after_throttle():
        response = client.post(
            reverse("accounts:totp_setup"),
            {"token": current_code(device), "next": pemda_a.get_absolute_url()},
        )
        assert response.status_code == 302
        assert response["Location"] == pemda_a.get_absolute_url()
        assert TOTPDevice.objects.get(user=admin).confirmed
        assert events.count() == 1
        response = client.get(pemda_a.get_absolute_url())
        assert response.status_code == 200
        assert pemda_a.name in response.content.decode()


@override_settings(DEMO_MODE=False)
def test_enrolled_user_is_asked_for_a_code_and_a_wrong_one_is_refused(
    role_users: dict[str, User], pemda_a: Pemda, client: Client
) -> None:
    device = TOTPDevice.objects.create(user=role_users["inspektorat"], name="phone", confirmed=True)
    login(client, "inspektorat-a")
    response = client.get(pemda_a.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:totp_verify"))
    verify = reverse("accounts:totp_verify")
    response = client.post(verify, {"token": wrong_code(device), "next": "/"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert client.get(pemda_a.get_absolute_url()).status_code == 302  # still not through

    with after_throttle():
        device.refresh_from_db()
        response = client.post(
            verify, {"token": current_code(device), "next": pemda_a.get_absolute_url()}
        )
        assert response.status_code == 302
        assert response["Location"] == pemda_a.get_absolute_url()
        assert client.get(pemda_a.get_absolute_url()).status_code == 200


@override_settings(DEMO_MODE=False)
def test_enrolled_user_cannot_enrol_a_second_device_to_skip_the_code(
    role_users: dict[str, User], pemda_a: Pemda, client: Client
) -> None:
    TOTPDevice.objects.create(user=role_users["inspektorat"], name="phone", confirmed=True)
    login(client, "inspektorat-a")
    response = client.get(reverse("accounts:totp_setup"))
    # A password alone must not allow adding an authenticator to an account that has one.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:totp_verify"))
    assert not TOTPDevice.objects.filter(user=role_users["inspektorat"], confirmed=False).exists()


@override_settings(DEMO_MODE=False)
def test_no_api_token_before_the_second_factor(role_users: dict[str, User], client: Client) -> None:
    """A token is a way around the login: only a fully verified session may create one."""
    login(client, "admin-a")
    response = client.post(reverse("accounts:api_token"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:totp_setup"))
    assert not Token.objects.filter(user=role_users["admin"]).exists()


@override_settings(DEMO_MODE=False)
def test_pegawai_is_never_asked_for_a_second_factor(
    role_users: dict[str, User], pemda_a: Pemda, client: Client
) -> None:
    login(client, "pegawai-a")
    response = client.get(pemda_a.get_absolute_url())
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=role_users["pegawai"]).exists()


@override_settings(DEMO_MODE=True)
def test_demo_mode_does_not_force_enrolment_and_says_so(
    role_users: dict[str, User], pemda_a: Pemda, client: Client
) -> None:
    page = client.get(LOGIN).content.decode()
    assert 'class="demo-banner"' in page
    assert "admin.tanjungsari" in page  # the demo accounts are listed

    login(client, "admin-a")
    response = client.get(pemda_a.get_absolute_url())
    assert response.status_code == 200
    assert 'class="demo-banner"' in response.content.decode()


@override_settings(DEMO_MODE=True)
@pytest.mark.parametrize("kind", ["totp", "recovery codes"])
def test_demo_mode_asks_at_once_for_a_device_enrolled_in_another_session(
    role_users: dict[str, User], pemda_a: Pemda, client: Client, kind: str
) -> None:
    """Demo mode does not force enrolment, but a device enrolled meanwhile (in another browser)
    is asked for on the very next page: it is looked up on every request, never kept."""
    admin = role_users["admin"]
    login(client, "admin-a")
    assert client.get(pemda_a.get_absolute_url()).status_code == 200
    model = TOTPDevice if kind == "totp" else StaticDevice
    device = model.objects.create(user=admin, name=kind, confirmed=False)
    assert client.get(pemda_a.get_absolute_url()).status_code == 200  # not confirmed yet
    device.confirmed = True
    device.save()
    response = client.get(pemda_a.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:totp_verify"))


@override_settings(DEMO_MODE=False)
def test_without_demo_mode_no_banner_and_no_demo_accounts(client: Client, db: Any) -> None:
    page = client.get(LOGIN).content.decode()
    assert "demo-banner" not in page
    assert "admin.tanjungsari" not in page
    assert "pakta-demo" not in page


# --- Password reset -----------------------------------------------------------------------------


def test_password_reset_by_email(role_users: dict[str, User], client: Client) -> None:
    user = role_users["pegawai"]
    user.email = "pegawai@alfa.example"
    user.save(update_fields=["email"])

    response = client.post(reverse("accounts:password_reset"), {"email": "pegawai@alfa.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pegawai@alfa.example"]
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body)
    assert link, message.body

    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    new_password = "a-new-long-passphrase-7"
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")

    login(client, "pegawai-a", PASSWORD)
    assert logged_in_as(client) is None
    login(client, "pegawai-a", new_password)
    assert logged_in_as(client) == str(user.pk)
    # The link works once.
    assert not client.get(link.group(1), follow=True).context["validlink"]


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    role_users: dict[str, User], client: Client
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
