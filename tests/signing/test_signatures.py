"""PAdES signatures: one incremental signature per person, valid in pyHanko and in pdfsig."""

from __future__ import annotations

from pathlib import Path

import pytest

from pakta.audit.models import AuditEvent
from pakta.core.documents import document_read
from pakta.core.errors import DomainError
from pakta.org.models import Official
from pakta.signing import services as signing
from pakta.signing.models import Signature, SignedDocument
from tests.conftest import PASSWORD
from tests.signing.conftest import pdfsig, sign_as_signer, user_for


def test_signer_and_witness_each_add_a_valid_signature(
    document_a: SignedDocument, official_a: Official, witness_official: Official, tmp_path: Path
) -> None:
    signer_user, witness_user = user_for(official_a), user_for(witness_official)
    first = signing.signature_apply(
        document=document_a,
        official=official_a,
        role="signer",
        acting_user=signer_user,
        credential=PASSWORD,
    )
    second = signing.signature_apply(
        document=document_a,
        official=witness_official,
        role="witness",
        acting_user=witness_user,
        credential=PASSWORD,
    )
    assert isinstance(first, Signature) and isinstance(second, Signature)
    document_a.refresh_from_db()
    checks = signing.document_checks(document_a)
    assert [(c.signer_name, c.status) for c in checks] == [
        ("Hadi Santoso, S.E.", "valid"),
        ("Siti Rahayu", "valid"),
    ]
    output = pdfsig(document_read(document_a.pdf), tmp_path)
    assert output.count("Signature is Valid.") == 2, output
    assert output.count("Certificate is Trusted.") == 2, output
    assert "serialNumber=197001012000031001" in output  # the NIP is in the certificate subject
    assert AuditEvent.objects.filter(action="signing.signature.applied").count() == 2


def test_wrong_password_signs_nothing(document_a: SignedDocument, official_a: Official) -> None:
    before = document_a.pdf.sha256
    with pytest.raises(DomainError):
        signing.signature_apply(
            document=document_a,
            official=official_a,
            role="signer",
            acting_user=user_for(official_a),
            credential="wrong",
        )
    document_a.refresh_from_db()
    assert document_a.pdf.sha256 == before
    assert not Signature.objects.exists()


def test_nobody_signs_for_someone_else(
    document_a: SignedDocument, official_a: Official, witness_official: Official
) -> None:
    with pytest.raises(DomainError):
        signing.signature_apply(
            document=document_a,
            official=official_a,
            role="signer",
            acting_user=user_for(witness_official),
            credential=PASSWORD,
        )


def test_signing_twice_returns_the_same_signature(
    document_a: SignedDocument, official_a: Official
) -> None:
    user = user_for(official_a)
    first = signing.signature_apply(
        document=document_a,
        official=official_a,
        role="signer",
        acting_user=user,
        credential=PASSWORD,
    )
    again = signing.signature_apply(
        document=document_a,
        official=official_a,
        role="signer",
        acting_user=user,
        credential=PASSWORD,
    )
    assert first == again
    assert Signature.objects.count() == 1
    assert AuditEvent.objects.filter(action="signing.signature.applied").count() == 1


def test_uploaded_copy_is_recognised_and_tampering_is_detected(
    document_a: SignedDocument, official_a: Official
) -> None:
    sign_as_signer(document_a, official_a)
    document_a.refresh_from_db()
    signed = document_read(document_a.pdf)
    result = signing.document_verify(content=signed)
    assert result.authentic and result.document == document_a
    tampered = signed + b"\n% appended after signing\n"
    changed = signing.document_verify(content=tampered)
    assert not changed.authentic and changed.document is None
    flipped = bytearray(signed)
    index = signed.index(b"stream") + 40  # a byte of the page content, inside the signed range
    flipped[index] ^= 0xFF
    edited = signing.document_verify(content=bytes(flipped))
    assert not edited.authentic
    assert [c.status for c in edited.checks] == ["modified"]
    assert not signing.document_verify(content=b"not a pdf").readable


def test_revoked_certificate_shows_as_revoked(
    document_a: SignedDocument, official_a: Official, superadmin
) -> None:
    sign_as_signer(document_a, official_a)
    identity = signing.identity_active_for(official_a)
    assert identity is not None
    signing.identity_revoke(identity=identity, reason="key compromise", acting_user=superadmin)
    document_a.refresh_from_db()
    assert [c.status for c in signing.document_checks(document_a)] == ["revoked"]
    from cryptography import x509

    crl = x509.load_der_x509_crl(signing.crl_der())
    assert crl.get_revoked_certificate_by_serial_number(int(identity.serial, 16)) is not None


def test_private_keys_are_not_stored_in_clear(
    document_a: SignedDocument, official_a: Official
) -> None:
    from cryptography.hazmat.primitives import serialization

    from pakta.signing import keystore, pki
    from pakta.signing.models import SigningIdentity

    sign_as_signer(document_a, official_a)
    identity = SigningIdentity.objects.get()
    blob = bytes(identity.key_encrypted)
    der = keystore.unseal(blob, context=f"identity:{identity.serial}".encode())
    assert der not in blob
    key = pki.key_from_der(der)
    assert (
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        == der
    )


def test_a_signed_pdf_validates_offline_with_only_the_ca_as_trust_root(
    document_a: SignedDocument, official_a: Official
) -> None:
    """PAdES B-LT: the chain and the CRL travel in the PDF (document security store), so a
    validator with no network, no Pakta and nothing but the CA certificate can check it, and
    knows the certificate was not revoked."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    from pakta.signing.pdf import _asn1_cert

    sign_as_signer(document_a, official_a)
    document_a.refresh_from_db()
    reader = PdfFileReader(io.BytesIO(document_read(document_a.pdf)))  # type: ignore[arg-type]
    assert reader.root["/DSS"]["/CRLs"], "no CRL in the document security store"
    (signature,) = reader.embedded_signatures
    ca = signing.trust_roots()[0]
    # Only what the PDF carries: the CA as root, revocation data required, no fetching.
    context = DocumentSecurityStore.read_dss(reader).as_validation_context(
        {
            "trust_roots": [_asn1_cert(ca)],
            "allow_fetching": False,
            "revocation_mode": "require",
        }
    )
    status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()


def test_a_signed_pdf_is_checked_from_a_thread_that_runs_an_event_loop(
    document_a: SignedDocument, official_a: Official
) -> None:
    """pyHanko validates with ``asyncio.run``; the check must also work where the caller's thread
    already runs an event loop (an async server, Playwright's sync API in a test run), and say
    "valid", not "not a readable PDF"."""
    import asyncio

    from pakta.signing import pdf

    sign_as_signer(document_a, official_a)
    document_a.refresh_from_db()
    content, roots = document_read(document_a.pdf), signing.trust_roots()

    async def inside_a_loop() -> list[pdf.SignatureCheck]:
        return pdf.validate(content, trust_roots=roots, revoked_serials=set())

    (check,) = asyncio.run(inside_a_loop())
    assert check.status == "valid" and check.signer_name == "Hadi Santoso, S.E."
