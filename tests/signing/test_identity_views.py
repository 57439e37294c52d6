"""The certificate pages of a Pemda's administrator, and the public CRL."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pakta.accounts.models import User
from pakta.org.models import Official, Pemda
from pakta.signing import pki
from pakta.signing import services as signing
from pakta.signing.models import SigningIdentity
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin(role_users: dict[str, User]) -> Client:
    client = client_for(role_users["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name: str, pemda: Pemda, **kwargs: Any) -> str:
    return reverse(f"signing:{name}", kwargs={"pemda": pemda.slug, **kwargs})


def shown(response: Any) -> list[str]:
    found = re.findall(r'<li class="message[^"]*">(.*?)</li>', response.content.decode(), re.S)
    return [html.unescape(text) for text in found]


def national_ca_pkcs12(official: Official, password: bytes) -> bytes:
    """A PKCS#12 file like one from BSrE: a key and a certificate carrying the NIP."""
    ca = pki.create_ca(now=timezone.now())
    pair = pki.issue_certificate(
        ca=ca,
        common_name=official.full_name,
        nip=official.nip,
        organisation="Balai Sertifikasi Elektronik",
        email="",
        now=timezone.now(),
    )
    return pkcs12.serialize_key_and_certificates(
        b"bsre", pair.key, pair.certificate, [ca.certificate], BestAvailableEncryption(password)
    )


def test_issue_revoke_and_the_crl(admin: Client, pemda_a: Pemda, official_a: Official) -> None:
    response = admin.post(url("identity_issue", pemda_a), {"nip": "1970 0101 2000 03 1 001"})
    identity = SigningIdentity.objects.get(official=official_a)
    assert response["Location"] == f"{url('identity_list', pemda_a)}?q={official_a.nip}"
    assert identity.source == "ca" and official_a.nip in identity.subject
    listing = admin.get(response["Location"]).content.decode()
    assert identity.serial in listing and "Valid" in listing and "Hadi Santoso" in listing

    unknown = admin.post(url("identity_issue", pemda_a), {"nip": "199901012020011999"})
    assert "No official of this Pemda has the NIP 199901012020011999." in unknown.content.decode()

    revoke = url("identity_revoke", pemda_a, pk=identity.pk)
    assert "This field is required." in admin.post(revoke, {}).content.decode()
    response = admin.post(revoke, {"reason": "Kunci hilang"}, follow=True)
    assert shown(response) == ["The certificate has been revoked; it is listed in the CRL."]
    page = response.content.decode()
    assert "Revoked" in page and "Kunci hilang" in page
    identity.refresh_from_db()
    assert identity.is_revoked

    crl_response = Client().get(reverse("signing:crl"))  # no login: PDF readers fetch it
    assert crl_response.status_code == 200
    assert crl_response["Content-Type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(crl_response.content)
    assert crl.get_revoked_certificate_by_serial_number(int(identity.serial, 16)) is not None
    ca_certificate = signing.trust_roots()[0]
    assert crl.is_signature_valid(ca_certificate.public_key())  # type: ignore[arg-type]
    assert crl.issuer == ca_certificate.subject


def test_the_crl_and_the_ca_certificate_are_served_without_writing_or_signing(
    admin: Client, pemda_a: Pemda, official_a: Official
) -> None:
    """Anyone may fetch the CRL as often as they like: each answer is one read, the CRL made
    when a certificate was revoked; the CA's certificate is published for outside verifiers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pakta.signing.models import CertificateAuthority

    first = Client().get(reverse("signing:crl")).content  # creates the CA and its first CRL
    number = CertificateAuthority.objects.get().crl_number
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            response = Client().get(reverse("signing:crl"))
            assert response.content == first
    written = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert written == [] and CertificateAuthority.objects.get().crl_number == number
    assert x509.load_der_x509_crl(first).next_update_utc - x509.load_der_x509_crl(
        first
    ).last_update_utc == dt.timedelta(days=7)

    admin.post(url("identity_issue", pemda_a), {"nip": official_a.nip})
    identity = SigningIdentity.objects.get(official=official_a)
    admin.post(url("identity_revoke", pemda_a, pk=identity.pk), {"reason": "Kunci hilang"})
    after = x509.load_der_x509_crl(Client().get(reverse("signing:crl")).content)
    assert after.get_revoked_certificate_by_serial_number(int(identity.serial, 16)) is not None
    assert CertificateAuthority.objects.get().crl_number == number + 1

    # The daily refresh makes a new one, with the revocation still in it.
    call_command("refresh_crl", stdout=io.StringIO())
    refreshed = x509.load_der_x509_crl(Client().get(reverse("signing:crl")).content)
    assert refreshed.get_revoked_certificate_by_serial_number(int(identity.serial, 16))
    assert CertificateAuthority.objects.get().crl_number == number + 2

    ca = signing.trust_roots()[0]
    pem = Client().get(reverse("signing:ca_pem"))
    assert pem.status_code == 200 and x509.load_pem_x509_certificate(pem.content) == ca
    der = Client().get(reverse("signing:ca_der"))
    assert der.status_code == 200 and x509.load_der_x509_certificate(der.content) == ca
    assert der["Content-Type"] == "application/pkix-cert"


def test_a_certificate_is_revoked_once(
    admin: Client, pemda_a: Pemda, official_a: Official, superadmin: User
) -> None:
    identity = signing.identity_issue(official=official_a, acting_user=superadmin)
    signing.identity_revoke(identity=identity, reason="Pensiun", acting_user=superadmin)
    again = admin.post(url("identity_revoke", pemda_a, pk=identity.pk), {"reason": "Lagi"})
    assert "This certificate has already been revoked." in again.content.decode()
    identity.refresh_from_db()
    assert identity.revocation_reason == "Pensiun"


def test_import_pkcs12(admin: Client, pemda_a: Pemda, official_a: Official) -> None:
    data = national_ca_pkcs12(official_a, b"rahasia")
    page = url("identity_import", pemda_a)

    wrong = admin.post(
        page,
        {
            "nip": official_a.nip,
            "password": "salah",
            "file": SimpleUploadedFile("hadi.p12", data, "application/x-pkcs12"),
        },
    )
    assert "The PKCS#12 file cannot be opened" in wrong.content.decode()
    assert not SigningIdentity.objects.exists()

    response = admin.post(
        page,
        {
            "nip": official_a.nip,
            "password": "rahasia",
            "file": SimpleUploadedFile("hadi.p12", data, "application/x-pkcs12"),
        },
        follow=True,
    )
    assert shown(response) == ["The certificate has been imported; its key is stored encrypted."]
    identity = SigningIdentity.objects.get(official=official_a)
    assert identity.source == "p12" and "Balai Sertifikasi Elektronik" in identity.subject
    assert "Imported PKCS#12" in response.content.decode()
    assert identity.not_after > timezone.now() + dt.timedelta(days=300)


def test_other_pemda_certificates_are_not_found(
    admin: Client, pemda_a: Pemda, pemda_b: Pemda, superadmin: User
) -> None:
    from pakta.org import services as org

    official_b = org.official_create(
        pemda=pemda_b, nip="197203042000031004", name="Budi Beta", acting_user=superadmin
    )
    identity = signing.identity_issue(official=official_b, acting_user=superadmin)
    assert admin.get(url("identity_revoke", pemda_a, pk=identity.pk)).status_code == 404
    assert "Budi Beta" not in admin.get(url("identity_list", pemda_a)).content.decode()
    refused = admin.post(url("identity_issue", pemda_a), {"nip": official_b.nip})
    assert "No official of this Pemda has the NIP" in refused.content.decode()


@pytest.mark.parametrize("name", ["identity_list", "identity_issue", "identity_import"])
def test_pegawai_cannot_manage_certificates(
    name: str, pemda_a: Pemda, role_users: dict[str, User]
) -> None:
    pegawai = client_for(role_users["pegawai"])
    assert pegawai.get(url(name, pemda_a)).status_code == 403
    assert pegawai.post(url(name, pemda_a), {"nip": "197001012000031001"}).status_code == 403
    assert not SigningIdentity.objects.exists()
