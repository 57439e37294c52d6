"""Kiosk mode: a session of its own confined to the kiosk, one-time PINs for officials without an
account (valid only for their pact of the event, counted toward the lockout), and accounts with
invitation links for the participants who have an e-mail address."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from pakta.accounts.models import User
from pakta.core.documents import document_read
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts import kiosk as kiosks
from pakta.pacts import services as pacts
from pakta.pacts.models import Kiosk, KioskPin, Pact
from pakta.signing.models import Signature
from tests.conftest import PASSWORD, client_for
from tests.kit import assert_refused
from tests.pacts.event_world import EventWorld, build_event_world
from tests.signing.conftest import pdfsig

JOKO = "198105052006041005"  # a participant without an account (event_world)
DEWI = "198003032005012003"  # a participant with an account


@pytest.fixture
def world(pemda_a: Pemda, official_a: Official, unit_a: Unit, superadmin: User) -> EventWorld:
    return build_event_world(pemda_a, official_a, unit_a, superadmin)


def _kiosk(world: EventWorld, by: User) -> Kiosk:
    token = kiosks.kiosk_open(event=world.event, acting_user=by)
    kiosk = kiosks.kiosk_get(token)
    assert kiosk is not None
    return kiosk


def test_a_pin_signs_only_its_own_pact_once(
    world: EventWorld, superadmin: User, tmp_path: Path
) -> None:
    kiosk = _kiosk(world, superadmin)
    (issued,) = kiosks.kiosk_pins_issue(event=world.event, acting_user=superadmin)
    assert issued.pact.official.nip == JOKO and len(issued.pin) == 6
    assert KioskPin.objects.get().pin_hash != issued.pin  # only a hash is kept

    wrong = "000000" if issued.pin != "000000" else "111111"
    with assert_refused(Signature, Pact, KioskPin, match="NIP atau konfirmasi salah"):
        kiosks.kiosk_sign(kiosk=kiosk, nip=JOKO, secret=wrong)
    # Joko's PIN is no one else's confirmation.
    with assert_refused(Signature, Pact, KioskPin, match="NIP atau konfirmasi salah"):
        kiosks.kiosk_sign(kiosk=kiosk, nip=DEWI, secret=issued.pin)

    signature = kiosks.kiosk_sign(kiosk=kiosk, nip=JOKO, secret=issued.pin)
    assert isinstance(signature, Signature) and signature.official.nip == JOKO
    pact = Pact.objects.get(pk=issued.pact.pk)
    assert pact.status == Pact.Status.SIGNED
    assert "Signature is Valid." in pdfsig(document_read(pact.document.pdf), tmp_path)
    with assert_refused(Signature, Pact, match="sudah menandatangani"):
        kiosks.kiosk_sign(kiosk=kiosk, nip=JOKO, secret=issued.pin)

    # An account holder signs with their password, not with a PIN.
    signed = kiosks.kiosk_sign(kiosk=kiosk, nip=DEWI, secret=PASSWORD)
    assert signed.official.nip == DEWI


def test_wrong_pins_count_toward_the_lockout(
    world: EventWorld, superadmin: User, settings: Any
) -> None:
    kiosk = _kiosk(world, superadmin)
    (issued,) = kiosks.kiosk_pins_issue(event=world.event, acting_user=superadmin)
    wrong = "000000" if issued.pin != "000000" else "111111"
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        with assert_refused(Signature, KioskPin, match="NIP atau konfirmasi salah"):
            kiosks.kiosk_sign(kiosk=kiosk, nip=JOKO, secret=wrong)
    with assert_refused(Signature, KioskPin, match="Terlalu banyak"):
        kiosks.kiosk_sign(kiosk=kiosk, nip=JOKO, secret=issued.pin)


def test_kiosk_mode_is_a_session_of_its_own_confined_to_the_kiosk(
    world: EventWorld, superadmin: User, role_users: dict[str, User]
) -> None:
    admin = client_for(role_users["admin"])
    event = world.event
    launcher = reverse("pacts:event_kiosk", kwargs={"pemda": event.pemda.slug, "pk": event.pk})
    pins = admin.post(
        reverse("pacts:event_kiosk_pins", kwargs={"pemda": event.pemda.slug, "pk": event.pk})
    )
    assert pins.status_code == 200 and "Joko Susilo" in pins.text
    pin = re.search(r'<code class="pin">(\d{6})</code>', pins.text).group(1)  # type: ignore[union-attr]

    response = admin.post(launcher)
    assert response["Location"] == reverse("kiosk:home")
    home = admin.get(reverse("kiosk:home"))
    assert home.status_code == 200 and "Tandatangani Pakta Integritas Anda" in home.text
    assert "mainnav" not in home.text and "/audit" not in home.text and "Keluar" not in home.text
    # Every other address leads back to the kiosk; the admin is logged out here.
    for path in (event.get_absolute_url(), reverse("home"), reverse("accounts:login")):
        assert admin.get(path)["Location"] == reverse("kiosk:home"), path

    bad = admin.post(reverse("kiosk:home"), {"nip": JOKO, "secret": "", "agree": "on"})
    assert bad.status_code == 400 and "Masukkan kata sandi, kode aplikasi autentikator" in bad.text
    unticked = admin.post(reverse("kiosk:home"), {"nip": JOKO, "secret": pin})
    assert unticked.status_code == 400 and "Centang kotak" in unticked.text
    assert not Signature.objects.filter(official__nip=JOKO).exists()
    done = admin.post(reverse("kiosk:home"), {"nip": JOKO, "secret": pin, "agree": "on"})
    assert done["Location"] == reverse("kiosk:done")
    thanks = admin.get(reverse("kiosk:done"))
    assert "Terima kasih" in thanks.text and "Joko Susilo" in thanks.text
    assert 'http-equiv="refresh"' in thanks.text  # back to an empty form by itself

    # Ending kiosk mode takes an admin's password (a wrong one counts and ends nothing).
    close = reverse("kiosk:close")
    refused = admin.post(close, {"login": role_users["admin"].username, "password": "salah"})
    assert refused.status_code == 400 and "Hanya admin Pemda ini" in refused.text
    assert Kiosk.objects.get().closed_at is None
    pegawai = admin.post(close, {"login": role_users["pegawai"].username, "password": PASSWORD})
    assert pegawai.status_code == 400
    ended = admin.post(close, {"login": role_users["admin"].username, "password": PASSWORD})
    assert ended["Location"] == reverse("accounts:login")
    assert admin.get(reverse("accounts:login")).status_code == 200
    # No kiosk session any more, and none without an admin opening one.
    assert "Mode anjungan tidak aktif" in admin.get(reverse("kiosk:home")).text
    assert "Mode anjungan tidak aktif" in Client().get(reverse("kiosk:home")).text


def test_accounts_for_participants_with_an_e_mail_address(
    world: EventWorld,
    superadmin: User,
    role_users: dict[str, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = world.event
    unit = world.other_unit
    position = org.position_create(
        pemda=event.pemda,
        unit=unit,
        title="Kepala Bidang Pajak",
        level="administrator",
        acting_user=superadmin,
    )
    sari = org.official_create(
        pemda=event.pemda,
        nip="198206062008012006",
        name="Sari Wulandari",
        email="sari@example.test",
        acting_user=superadmin,
    )
    org.assignment_start(
        official=sari, position=position, start_date=world.event.date, acting_user=superadmin
    )
    pacts.event_add_participants(event=event, officials=[sari], acting_user=superadmin)
    admin = client_for(role_users["admin"])
    url = reverse("pacts:event_accounts", kwargs={"pemda": event.pemda.slug, "pk": event.pk})
    with django_capture_on_commit_callbacks(execute=True):
        page = admin.post(url, follow=True)
    assert "1 akun dibuat" in page.text
    user = User.objects.get(official=sari)
    assert not user.has_usable_password() and user.email == "sari@example.test"
    (invitation,) = [m for m in mail.outbox if "sari@example.test" in m.to]
    assert "/accounts/" in invitation.body
    # Nobody is left to invite: a clear refusal, nothing created.
    with assert_refused(User, match="tidak ada yang dikirim"):
        kiosks.event_accounts_provision(event=event, acting_user=superadmin)


def test_an_account_holder_signs_with_their_authenticator_code(
    world: EventWorld, superadmin: User
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.test_login import current_code, wrong_code

    kiosk = _kiosk(world, superadmin)
    dewi = User.objects.get(official__nip=DEWI)
    device = TOTPDevice.objects.create(user=dewi, name="ponsel", confirmed=True)
    code, wrong = current_code(device), wrong_code(device)
    with assert_refused(Signature, Pact, match="NIP atau konfirmasi salah"):
        kiosks.kiosk_sign(kiosk=kiosk, nip=DEWI, secret=wrong)
    # django-otp throttles the device for a second after a wrong code (as a person would wait).
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()
    signature = kiosks.kiosk_sign(kiosk=kiosk, nip=DEWI, secret=code)
    assert signature.official.nip == DEWI
