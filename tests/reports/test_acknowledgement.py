"""The signed acknowledgement: proof of when a report was filed, without its content."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from pakta.org.models import Official
from pakta.reports import receipts
from pakta.signing import services as signing
from pakta.signing.models import Signature, SignedDocument, SigningIdentity
from tests.reports.conftest import submit
from tests.signing.conftest import pdfsig


def reporter(pemda: Any, code: str) -> Client:
    client = Client()
    client.post(reverse("report_public:login", kwargs={"pemda": pemda.slug}), {"receipt": code})
    return client


def test_the_reporter_downloads_a_sealed_acknowledgement(
    pemda_a: Any, handler_a: Any, inspektorat_head: Any, tmp_path: Path
) -> None:
    submission = submit(pemda_a, what="Isi laporan yang tidak boleh ada di tanda terima XYZ123.")
    client = reporter(pemda_a, submission.receipt)
    url = reverse("report_public:acknowledgement", kwargs={"pemda": pemda_a.slug})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    pdf = response.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    report = submission.report
    report.refresh_from_db()
    assert report.reference in text and pemda_a.name in text
    assert "XYZ123" not in text and submission.receipt not in text
    # The commitment printed is the argon2id hash: whoever holds the code can prove it is theirs.
    assert report.receipt_hash[:40] in text.replace("\n", "")
    assert receipts.receipt_verify(report.receipt_hash, submission.receipt)
    # Sealed once, with the organisational e-seal of the Inspektorat: in no person's name,
    # not even the head of the Inspektorat's, who is recorded here.
    document = report.receipt_document
    assert document.kind == SignedDocument.Kind.RECEIPT
    seal = document.signatures.get()
    assert seal.role == Signature.Role.SEAL and seal.official is None
    assert seal.signer_name == f"Inspektorat {pemda_a.name}"
    assert (
        seal.identity.kind == SigningIdentity.Kind.ORGANISATION and seal.identity.official is None
    )
    assert not SigningIdentity.objects.filter(official__isnull=False).exists()
    assert client.get(url).content == pdf  # the same document again, not a new one
    assert SignedDocument.objects.filter(kind=SignedDocument.Kind.RECEIPT).count() == 1
    # The certificate in the PDF is the organisation's: no person's name or NIP anywhere in it.
    certificate = embedded_signer(pdf)
    assert certificate.subject.rfc4514_string() == (
        f"CN=Inspektorat {pemda_a.name},2.5.4.97=KD:ID-{pemda_a.kemendagri_code},"
        f"OU=Inspektorat,O={pemda_a.name},C=ID"
    )
    assert certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER) == []
    der = certificate.public_bytes(serialization.Encoding.DER)
    for official in Official.objects.filter(pemda=pemda_a):
        assert official.nip.encode() not in der and official.name.encode() not in der
    # It verifies like every signed document of the system, in pyHanko and in poppler.
    result = signing.document_verify(content=pdf)
    assert result.document == document
    assert [c.status for c in result.checks] == ["valid"]
    assert [c.signer_name for c in result.checks] == [f"Inspektorat {pemda_a.name}"]
    checked = pdfsig(pdf, tmp_path)
    assert "Signature is Valid" in checked
    assert f"Signer Certificate Common Name: Inspektorat {pemda_a.name}" in checked
    assert inspektorat_head.name not in checked


def test_no_head_of_inspektorat_is_needed(pemda_a: Any, handler_a: Any, tmp_path: Path) -> None:
    heads = Official.objects.filter(
        pemda=pemda_a,
        assignments__position__is_unit_head=True,
        assignments__position__unit__kind="inspektorat",
    )
    assert not heads.exists()  # the Pemda has recorded no head of its Inspektorat
    submission = submit(pemda_a)
    client = reporter(pemda_a, submission.receipt)
    response = client.get(reverse("report_public:acknowledgement", kwargs={"pemda": pemda_a.slug}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Signature is Valid" in pdfsig(response.content, tmp_path)


def test_when_the_timestamp_authority_fails_the_reporter_is_told_plainly(
    pemda_a: Any, handler_a: Any, tsa_settings: Any
) -> None:
    """Fail closed, and say so: no seal without its timestamp, and no error status either."""
    submission = submit(pemda_a)
    client = reporter(pemda_a, submission.receipt)
    url = reverse("report_public:acknowledgement", kwargs={"pemda": pemda_a.slug})
    tsa_settings.up = False

    response = client.get(url)  # English: the default of these tests
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The signed acknowledgement cannot be made right now" in page
    assert "Your report has been received and your receipt code stays valid" in page
    assert submission.report.reference in page  # the reporter's own case page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(url)
    assert indonesian.status_code == 200
    assert "Tanda terima bertanda tangan tidak dapat dibuat saat ini" in indonesian.content.decode()
    assert "kode tanda terima Anda tetap berlaku" in indonesian.content.decode()
    assert set(tsa_settings.requests) == {500}
    assert not Signature.objects.exists() and not SigningIdentity.objects.exists()

    # The receipt code still opens the report.
    again = reporter(pemda_a, submission.receipt)
    case = again.get(reverse("report_public:case", kwargs={"pemda": pemda_a.slug}))
    assert case.status_code == 200 and submission.report.reference in case.content.decode()

    # Once the authority answers, the same acknowledgement is sealed, with a timestamp.
    tsa_settings.up = True
    response = again.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert SignedDocument.objects.filter(kind=SignedDocument.Kind.RECEIPT).count() == 1
    result = signing.document_verify(content=response.content)
    assert [(c.status, c.timestamped) for c in result.checks] == [("valid", True)]


def test_the_receipt_page_says_what_happens_when_the_seal_cannot_be_made(
    pemda_a: Any, handler_a: Any
) -> None:
    client = Client()
    response = client.post(
        reverse("report_public:intake", kwargs={"pemda": pemda_a.slug}),
        {
            "category": "bribery",
            "what": "Pungutan liar pada layanan perizinan di loket dua.",
            "identity_mode": "anonymous",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="receipt"' in page, page
    assert "sealed by the Inspektorat as an organisation, not signed by a person" in page
    assert "your receipt code stays valid" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.post(
        reverse("report_public:intake", kwargs={"pemda": pemda_a.slug}),
        {
            "category": "bribery",
            "what": "Pungutan liar pada layanan perizinan di loket tiga.",
            "identity_mode": "anonymous",
        },
    )
    page = response.content.decode()
    assert 'id="receipt"' in page, page
    assert "dibubuhi segel oleh Inspektorat sebagai instansi" in page
    assert "kode tanda terima Anda tetap berlaku" in page


def embedded_signer(pdf: bytes) -> x509.Certificate:
    from pyhanko.pdf_utils.reader import PdfFileReader

    (embedded,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return x509.load_der_x509_certificate(embedded.signer_cert.dump())
