"""A document nobody has signed is handed out marked "DRAF — belum ditandatangani"; once
signed, the reader gets the stored, signed file itself."""

from __future__ import annotations

import io

from pypdf import PdfReader

from pakta.core.documents import document_read
from pakta.org.models import Official
from pakta.signing import services as signing
from pakta.signing.models import SignedDocument
from tests.signing.conftest import sign_as_signer


def text_of(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_unsigned_copies_carry_the_draft_mark_signed_ones_do_not(
    document_a: SignedDocument, official_a: Official
) -> None:
    stored = document_read(document_a.pdf)  # type: ignore[arg-type]
    draft = signing.document_pdf_for_reader(document_a)
    assert "DRAF" in text_of(draft) and "belum ditandatangani" in text_of(draft)
    assert "DRAF" not in text_of(stored)  # the file to be signed is never marked
    assert document_read(document_a.pdf) == stored  # and nothing was stored

    sign_as_signer(document_a, official_a)
    document_a.refresh_from_db()
    signed = signing.document_pdf_for_reader(document_a)
    assert signed == document_read(document_a.pdf) and "DRAF" not in text_of(signed)
