"""Every check of a user's secret counts toward the same lockout as a failed login.

An attacker holding a session or an API token must not be able to guess the user's password (or
authenticator code) without limit through the signing confirmation, the second factor, the
password change or the ceremony kiosk.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from pakta.accounts.credentials import locked_out_message
from pakta.accounts.models import User
from pakta.accounts.services import membership_grant
from pakta.core.errors import DomainError, LockedOutError
from pakta.core.roles import Role
from pakta.org.models import Official, Pemda
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact
from pakta.signing.letters import letter_sign
from pakta.signing.models import Signature, SignedDocument
from tests.accounts.test_login import current_code, logged_in_as, login, wrong_code
from tests.conftest import PASSWORD, client_for
from tests.core.test_api import api, token_for
from tests.signing.conftest import simple_pdf, user_for

WRONG = "not-the-password"


def later(minutes: int) -> Any:
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=True)


@pytest.fixture
def open_pact(pemda_a: Pemda, official_a: Official, superadmin: User) -> Pact:
    event = pacts.event_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="Penandatanganan Pakta Integritas 2026",
        date=dt.date(2026, 3, 26),
        place="Aula",
        template=pacts.template_current(pemda_a, superadmin),
    )
    (pact,) = pacts.event_add_participants(
        event=event, officials=[official_a], acting_user=superadmin
    )
    pacts.event_open(event=event, acting_user=superadmin)
    return pact


@pytest.fixture
def signer(official_a: Official, pemda_a: Pemda, superadmin: User) -> User:
    user = user_for(official_a)
    membership_grant(user=user, pemda=pemda_a, role=Role.PEGAWAI, acting_user=superadmin)
    return user


def sign(client: Client, pact: Pact, credential: str) -> Any:
    return client.post(
        f"/api/v1/p/alfa/pacts/{pact.pk}/sign/",
        json.dumps({"credential": credential}),
        content_type="application/json",
    )


def test_twenty_wrong_signing_attempts_lock_the_account_even_for_the_right_password(
    open_pact: Pact, signer: User
) -> None:
    client = api(token_for(signer))
    limit = settings.AXES_FAILURE_LIMIT
    answers = [sign(client, open_pact, f"guess-{n}").status_code for n in range(20)]
    # Wrong until the limit, then locked: the API no longer even looks at the guess.
    assert answers == [400] * limit + [429] * (20 - limit)

    refused = sign(client, open_pact, PASSWORD)
    assert refused.status_code == 429
    assert refused.json()["detail"] == (
        "Terlalu banyak percobaan yang salah: akun ini dikunci selama 15 menit. "
        "Coba lagi nanti atau atur ulang kata sandi Anda."
    )
    assert not Signature.objects.exists()
    open_pact.refresh_from_db()
    assert open_pact.status == Pact.Status.PENDING
    # The same lock as the login page: the password cannot be tried there either.
    browser = Client()
    assert login(browser, signer.username).status_code == 429
    assert logged_in_as(browser) is None

    with later(16):  # the lock expires after AXES_COOLOFF_TIME (15 minutes)
        signed = sign(client, open_pact, PASSWORD)
        assert signed.status_code == 200, signed.content
        assert signed.json()["pact_status"] == "signed"


def test_a_lockout_from_failed_logins_also_stops_signing(open_pact: Pact, signer: User) -> None:
    client = api(token_for(signer))
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), signer.username, WRONG)
    assert sign(client, open_pact, PASSWORD).status_code == 429
    assert not Signature.objects.exists()


def test_wrong_codes_at_the_second_factor_lock_the_account(
    role_users: dict[str, User], client: Client
) -> None:
    user = role_users["admin"]
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    login(client, user.username)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        with later(1):  # past django-otp's own short delay after a wrong code
            client.post("/accounts/2fa/verify/", {"token": wrong_code(device)})
    with later(2):
        response = client.post("/accounts/2fa/verify/", {"token": current_code(device)})
        assert response.status_code == 200  # the form again, not the Pemda
        assert locked_out_message() in response.content.decode()
        assert login(Client(), user.username).status_code == 429


def test_the_old_password_on_the_change_form_is_counted(role_users: dict[str, User]) -> None:
    user = role_users["pegawai"]
    client = client_for(user)
    new = {"new_password1": "a-new-long-passphrase-7", "new_password2": "a-new-long-passphrase-7"}
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/password/", {"old_password": WRONG, **new})
        assert response.status_code == 200
    response = client.post("/accounts/password/", {"old_password": PASSWORD, **new})
    assert response.status_code == 200
    assert locked_out_message() in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # unchanged


def test_a_wrong_confirmation_inside_a_signing_transaction_is_still_counted(
    pemda_a: Pemda, official_a: Official, superadmin: User
) -> None:
    """Letters are stamped and signed in one transaction; the refusal rolls the letter back
    but not the count of failures."""
    user = user_for(official_a)
    membership_grant(user=user, pemda=pemda_a, role=Role.ADMIN, acting_user=superadmin)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        with pytest.raises(DomainError):
            letter_sign(
                pemda=pemda_a,
                pdf=simple_pdf(),
                title="Surat",
                official=official_a,
                acting_user=user,
                credential=WRONG,
            )
    with pytest.raises(LockedOutError):
        letter_sign(
            pemda=pemda_a,
            pdf=simple_pdf(),
            title="Surat",
            official=official_a,
            acting_user=user,
            credential=PASSWORD,
        )
    assert not SignedDocument.objects.filter(kind=SignedDocument.Kind.LETTER).exists()


def test_kiosk_failures_lock_the_signer_and_not_the_operator(
    open_pact: Pact, official_a: Official, signer: User, role_users: dict[str, User]
) -> None:
    operator = client_for(role_users["admin"])
    launcher = f"/p/alfa/pacts/events/{open_pact.event_id}/kiosk/"
    kiosk = reverse("kiosk:home")
    assert operator.post(launcher)["Location"] == kiosk  # kiosk mode: a session of its own
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = operator.post(kiosk, {"nip": official_a.nip, "secret": WRONG, "agree": "on"})
        assert response.status_code == 400 and "NIP atau konfirmasi salah" in response.text
    response = operator.post(kiosk, {"nip": official_a.nip, "secret": PASSWORD, "agree": "on"})
    assert response.status_code == 400  # the kiosk page with the message, not a lockout page
    assert locked_out_message() in response.content.decode()
    assert not Signature.objects.exists()
    assert operator.get(kiosk).status_code == 200  # the kiosk carries on for the next signer
    # The admin who opened the kiosk is not locked: they log in elsewhere as usual.
    assert login(Client(), role_users["admin"].username).status_code == 302
