"""Signing fails closed when the timestamp authority fails, and finishes once it answers again.

A real RFC 3161 timestamp authority runs over HTTP on 127.0.0.1 for the test: a small
``http.server`` whose handler answers each POSTed TimeStampReq with a token from pyHanko's
``DummyTimeStamper``, signed by a TSA certificate issued by a test CA. It can be switched to
answer HTTP 500, as a TSA that is down does.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

from pakta.audit.models import AuditEvent
from pakta.core.documents import document_read
from pakta.org.models import Official
from pakta.signing import services as signing
from pakta.signing.models import DocumentVersion, PendingSignature, Signature, SignedDocument
from tests.conftest import PASSWORD
from tests.signing.conftest import sign_as_signer, user_for


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _issue_tsa() -> tuple[x509.Certificate, x509.Certificate, rsa.RSAPrivateKey]:
    """A test CA and a timestamping certificate it issues (critical EKU timeStamping)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Test TSA Root"))
        .issuer_name(_name("Test TSA Root"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Timestamp Authority"))
        .issuer_name(ca.subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=300))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return ca, tsa, tsa_key


@dataclass
class LocalTSA:
    url: str
    ca_pem: str
    up: bool = True
    requests: list[int] = field(default_factory=list)  # HTTP status of each answer


@pytest.fixture
def tsa() -> Iterator[LocalTSA]:
    ca, tsa_cert, tsa_key = _issue_tsa()
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(_der(tsa_cert)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )
    state = LocalTSA(url="", ca_pem=ca.public_bytes(serialization.Encoding.PEM).decode())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if not state.up:
                state.requests.append(500)
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            response = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            state.requests.append(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(response)))
            self.end_headers()
            self.wfile.write(response)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tsa_settings(settings: Any, tsa: LocalTSA, tmp_path: Path) -> LocalTSA:
    root = tmp_path / "tsa-root.pem"
    root.write_text(tsa.ca_pem)
    settings.PAKTA_TSA_URL = tsa.url
    settings.PAKTA_TRUST_ROOTS = [str(root)]
    return tsa


def test_tsa_down_leaves_the_document_pending_then_the_retry_signs_with_a_timestamp(
    tsa_settings: LocalTSA, document_a: SignedDocument, official_a: Official
) -> None:
    versions_before = DocumentVersion.objects.filter(document=document_a).count()
    pdf_before = document_a.pdf.sha256
    tsa_settings.up = False

    result = signing.signature_apply(
        document=document_a,
        official=official_a,
        role="signer",
        acting_user=user_for(official_a),
        credential=PASSWORD,
    )

    # Fail closed: the consent is kept, nothing is signed, no new version exists.
    assert isinstance(result, PendingSignature)
    assert tsa_settings.requests and set(tsa_settings.requests) == {500}
    document_a.refresh_from_db()
    assert document_a.status == SignedDocument.Status.PENDING_TIMESTAMP
    assert document_a.pdf.sha256 == pdf_before
    assert not Signature.objects.filter(document=document_a).exists()
    assert DocumentVersion.objects.filter(document=document_a).count() == versions_before
    pending_events = AuditEvent.objects.filter(action="signing.signature.pending")
    assert pending_events.count() == 1
    assert pending_events.get().object_id == str(result.pk)
    assert not AuditEvent.objects.filter(action="signing.signature.applied").exists()

    # A retry while the TSA is still down changes nothing but the attempt count.
    assert signing.signature_pending_retry(pending_id=result.pk) is None
    assert PendingSignature.objects.get(pk=result.pk).attempts == 1
    assert not Signature.objects.filter(document=document_a).exists()

    tsa_settings.up = True
    signature = signing.signature_pending_retry(pending_id=result.pk)

    assert isinstance(signature, Signature)
    assert tsa_settings.requests[-1] == 200
    assert not PendingSignature.objects.filter(pk=result.pk).exists()
    document_a.refresh_from_db()
    assert document_a.status == SignedDocument.Status.OPEN
    assert document_a.pdf.sha256 == signature.sha256_after != pdf_before
    assert DocumentVersion.objects.filter(document=document_a).count() == versions_before + 1
    assert AuditEvent.objects.filter(action="signing.signature.applied").count() == 1

    (check,) = signing.document_checks(document_a)
    assert check.timestamped is True
    assert check.status == "valid"
    # The same verdict for the file as a visitor would upload it.
    verification = signing.document_verify(content=document_read(document_a.pdf))
    assert verification.authentic
    assert [c.timestamped for c in verification.checks] == [True]


def test_tsa_up_signs_at_once_with_a_timestamp(
    tsa_settings: LocalTSA, document_a: SignedDocument, official_a: Official
) -> None:
    result = signing.signature_apply(
        document=document_a,
        official=official_a,
        role="signer",
        acting_user=user_for(official_a),
        credential=PASSWORD,
    )
    assert isinstance(result, Signature)
    assert tsa_settings.requests == [200]
    document_a.refresh_from_db()
    (check,) = signing.document_checks(document_a)
    assert (check.status, check.timestamped) == ("valid", True)
    assert not AuditEvent.objects.filter(action="signing.signature.pending").exists()


def test_without_a_tsa_signatures_carry_no_timestamp(
    settings: Any, document_a: SignedDocument, official_a: Official
) -> None:
    """The check can fail: a signature made without a TSA does not claim a timestamp."""
    settings.PAKTA_TSA_URL = ""
    sign_as_signer(document_a, official_a)
    document_a.refresh_from_db()
    (check,) = signing.document_checks(document_a)
    assert (check.status, check.timestamped) == ("valid", False)
