"""The signed acknowledgement: proof of when a report was filed, without its content."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from pakta.reports import receipts
from pakta.signing import services as signing
from pakta.signing.models import Signature, SignedDocument
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
    # Sealed once, in the institution's name, by the head of the Inspektorat.
    document = report.receipt_document
    assert document.kind == SignedDocument.Kind.RECEIPT
    seal = document.signatures.get()
    assert seal.role == Signature.Role.SEAL and seal.official == inspektorat_head
    assert client.get(url).content == pdf  # the same document again, not a new one
    assert SignedDocument.objects.filter(kind=SignedDocument.Kind.RECEIPT).count() == 1
    # It verifies like every signed document of the system, in pyHanko and in poppler.
    result = signing.document_verify(content=pdf)
    assert result.document == document
    assert [c.status for c in result.checks] == ["valid"]
    assert "Signature is Valid" in pdfsig(pdf, tmp_path)


def test_without_a_head_of_inspektorat_the_reporter_is_told_to_wait(
    pemda_a: Any, handler_a: Any
) -> None:
    submission = submit(pemda_a)
    client = reporter(pemda_a, submission.receipt)
    response = client.get(reverse("report_public:acknowledgement", kwargs={"pemda": pemda_a.slug}))
    assert response.status_code == 503
    assert "The acknowledgement cannot be signed yet" in response.content.decode()
    assert not SignedDocument.objects.filter(kind=SignedDocument.Kind.RECEIPT).exists()
