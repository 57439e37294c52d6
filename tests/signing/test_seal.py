"""The organisational e-seal of a Pemda's Inspektorat: a certificate issued to the organisation.

Receipts the system issues on its own (a whistleblower's acknowledgement) are sealed with it,
so that no request, anonymous or not, makes a signature in a named official's identity.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.core.documents import document_read
from pakta.core.errors import DomainError
from pakta.org.models import Official, Pemda
from pakta.signing import pki
from pakta.signing import services as signing
from pakta.signing.models import Signature, SignedDocument, SigningIdentity
from tests.conftest import client_for
from tests.signing.conftest import pdfsig, simple_pdf

pytestmark = pytest.mark.django_db


def receipt(pemda: Pemda, title: str = "Tanda terima laporan WBS-1") -> SignedDocument:
    return signing.signed_document_create(
        pemda=pemda,
        kind=SignedDocument.Kind.RECEIPT,
        title=title,
        render=lambda doc: simple_pdf(f"TANDA TERIMA {doc.token}"),
        acting_user=None,
    )


def test_the_seal_certificate_is_issued_to_the_organisation_for_sealing(
    pemda_a: Pemda, official_a: Official
) -> None:
    identity = signing.seal_issue(pemda=pemda_a, acting_user=None)
    assert identity.kind == SigningIdentity.Kind.ORGANISATION and identity.is_seal
    assert identity.official is None and identity.pemda == pemda_a
    certificate = pki.cert_from_pem(identity.certificate_pem)

    # The subject names the organisation in the legal-person style of ETSI EN 319 412-3.
    assert [(a.oid, a.value) for a in certificate.subject] == [
        (NameOID.COUNTRY_NAME, "ID"),
        (NameOID.ORGANIZATION_NAME, "Kabupaten Alfa"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, "Inspektorat"),
        (NameOID.ORGANIZATION_IDENTIFIER, "KD:ID-98.01"),
        (NameOID.COMMON_NAME, "Inspektorat Kabupaten Alfa"),
    ]
    # Nothing of a person: no serialNumber (where an official's certificate has the NIP), no
    # name, no e-mail address.
    assert certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER) == []
    assert official_a.nip not in identity.subject and "Hadi" not in identity.subject
    with pytest.raises(x509.ExtensionNotFound):
        certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)

    # Key usage for sealing: digitalSignature + contentCommitment, critical, nothing else.
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature and usage.value.content_commitment
    assert not (
        usage.value.key_encipherment
        or usage.value.data_encipherment
        or usage.value.key_agreement
        or usage.value.key_cert_sign
        or usage.value.crl_sign
    )
    extended = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(extended) == [ExtendedKeyUsageOID.EMAIL_PROTECTION]
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name[0].value == settings.SITE_URL.rstrip("/") + "/signing/crl.der"

    # Issued by the deployment CA, and audited without any person in it.
    root = signing.trust_roots()[0]
    assert certificate.issuer == root.subject
    root.public_key().verify(  # type: ignore[union-attr, call-arg]
        certificate.signature,
        certificate.tbs_certificate_bytes,
        padding.PKCS1v15(),  # type: ignore[arg-type]
        certificate.signature_hash_algorithm,  # type: ignore[arg-type]
    )
    event = AuditEvent.objects.get(action="signing.seal.issued")
    assert event.summary == {"serial": identity.serial}


def test_a_seal_without_a_holder_and_a_person_without_an_official_are_refused(
    pemda_a: Pemda, official_a: Official
) -> None:
    seal = signing.seal_issue(pemda=pemda_a, acting_user=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        SigningIdentity.objects.filter(pk=seal.pk).update(official=official_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        SigningIdentity.objects.filter(pk=seal.pk).update(kind=SigningIdentity.Kind.PERSON)


def test_a_receipt_is_sealed_in_the_organisations_name_and_verifies(
    pemda_a: Pemda, official_a: Official, tmp_path: Path
) -> None:
    assert not SigningIdentity.objects.exists()  # issued on first need
    document = receipt(pemda_a)
    seal = signing.institution_seal_apply(document=document, acting_user=None)

    assert seal.role == Signature.Role.SEAL and seal.official is None
    assert seal.signer_name == "Inspektorat Kabupaten Alfa"
    assert seal.identity.is_seal and seal.identity.pemda == pemda_a
    document.refresh_from_db()
    assert document.pdf is not None
    content = document_read(document.pdf)
    (check,) = signing.document_checks(document)
    assert (check.status, check.signer_name) == ("valid", "Inspektorat Kabupaten Alfa")
    assert signing.document_verify(content=content).authentic
    report = pdfsig(content, tmp_path)
    assert "Signature is Valid" in report
    assert "Signer Certificate Common Name: Inspektorat Kabupaten Alfa" in report

    # Idempotent, and the next receipt is sealed with the same seal.
    assert signing.institution_seal_apply(document=document, acting_user=None) == seal
    other = signing.institution_seal_apply(document=receipt(pemda_a, "Lain"), acting_user=None)
    assert other.identity == seal.identity
    assert SigningIdentity.objects.count() == 1
    applied = AuditEvent.objects.filter(action="signing.signature.applied").first()
    assert applied is not None and applied.summary["official_id"] is None


def test_only_receipts_are_sealed(pemda_a: Pemda) -> None:
    pact = signing.signed_document_create(
        pemda=pemda_a,
        kind=SignedDocument.Kind.PACT,
        title="Pakta",
        render=lambda doc: simple_pdf(),
        acting_user=None,
    )
    with pytest.raises(DomainError, match="Hanya tanda terima yang dapat dibubuhi segel"):
        signing.institution_seal_apply(document=pact, acting_user=None)
    assert not SigningIdentity.objects.exists()


def test_a_signature_without_an_official_can_only_be_a_seal(pemda_a: Pemda) -> None:
    seal = signing.institution_seal_apply(document=receipt(pemda_a), acting_user=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=seal.pk).update(role=Signature.Role.SIGNER)


def test_each_pemda_has_its_own_seal(pemda_a: Pemda, pemda_b: Pemda) -> None:
    a = signing.institution_seal_apply(document=receipt(pemda_a), acting_user=None)
    b = signing.institution_seal_apply(document=receipt(pemda_b), acting_user=None)
    assert a.identity != b.identity
    assert b.signer_name == "Inspektorat Kota Beta"
    assert "KD:ID-98.71" in b.identity.subject


def test_the_admin_sees_and_revokes_the_seal_and_a_new_one_is_issued(
    pemda_a: Pemda, pemda_b: Pemda, role_users: dict[str, User]
) -> None:
    admin = client_for(role_users["admin"])
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    listing_url = reverse("signing:identity_list", kwargs={"pemda": pemda_a.slug})
    assert "No seal yet." in admin.get(listing_url).content.decode()

    first = signing.institution_seal_apply(document=receipt(pemda_a), acting_user=None)
    other_pemda = signing.institution_seal_apply(document=receipt(pemda_b), acting_user=None)
    page = admin.get(listing_url).content.decode()
    assert "Organisational e-seal" in page and "Inspektorat Kabupaten Alfa" in page
    assert first.identity.serial in page and other_pemda.identity.serial not in page
    foreign = reverse(
        "signing:identity_revoke", kwargs={"pemda": pemda_a.slug, "pk": other_pemda.identity.pk}
    )
    assert admin.get(foreign).status_code == 404

    revoke = reverse(
        "signing:identity_revoke", kwargs={"pemda": pemda_a.slug, "pk": first.identity.pk}
    )
    form = admin.get(revoke).content.decode()
    assert "A new seal is issued automatically" in form
    response = admin.post(revoke, {"reason": "Kunci bocor"})
    assert response.status_code == 302 and response["Location"].startswith(listing_url)
    page = admin.get(listing_url).content.decode()
    assert "Revoked" in page and "Kunci bocor" in page
    assert AuditEvent.objects.filter(action="signing.identity.revoked").exists()

    # Receipts sealed before show the revoked certificate; the next receipt gets a new seal.
    (check,) = signing.document_checks(first.document)
    assert check.status == "revoked"
    second = signing.institution_seal_apply(document=receipt(pemda_a, "Baru"), acting_user=None)
    assert second.identity != first.identity and not second.identity.is_revoked
    (check,) = signing.document_checks(second.document)
    assert check.status == "valid"


def test_the_pegawai_cannot_revoke_the_seal(pemda_a: Pemda, role_users: dict[str, User]) -> None:
    seal = signing.seal_issue(pemda=pemda_a, acting_user=None)
    pegawai = client_for(role_users["pegawai"])
    revoke = reverse("signing:identity_revoke", kwargs={"pemda": pemda_a.slug, "pk": seal.pk})
    assert pegawai.post(revoke, {"reason": "x"}).status_code == 403
    seal.refresh_from_db()
    assert not seal.is_revoked


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_receipts_make_one_seal(pemda_a: Pemda) -> None:
    """Reporters of the same Pemda download their first acknowledgements at the same moment:
    the Pemda gets one seal, not one per request (8 threads on PostgreSQL, 4 on SQLite)."""
    threads = 8 if connection.vendor == "postgresql" else 4
    documents = [receipt(pemda_a, f"Tanda terima {n}") for n in range(threads)]
    barrier = threading.Barrier(threads)
    results: list[Signature] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def seal(document_id: int) -> None:
        try:
            document = SignedDocument.objects.get(pk=document_id)
            barrier.wait(timeout=60)
            result = signing.institution_seal_apply(document=document, acting_user=None)
            with lock:
                results.append(result)
        except BaseException as error:  # every failure is reported by the test
            with lock:
                errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    workers = [threading.Thread(target=seal, args=(d.pk,)) for d in documents]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert not errors, [f"{type(e).__name__}: {e}" for e in errors]
    assert len(results) == threads
    assert SigningIdentity.objects.filter(kind=SigningIdentity.Kind.ORGANISATION).count() == 1
    assert len({r.identity_id for r in results}) == 1
    assert AuditEvent.objects.filter(action="signing.seal.issued").count() == 1
