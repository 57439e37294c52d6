"""Official letters: stamped with their verification code, signed, and checkable by anyone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.core.documents import document_read
from pakta.core.errors import DomainError
from pakta.org.models import Official, Pemda
from pakta.signing import letters
from pakta.signing.models import SignedDocument
from tests.conftest import PASSWORD, client_for
from tests.portal.test_verification import page_text, upload
from tests.signing.conftest import pdfsig, simple_pdf

pytestmark = pytest.mark.django_db

LETTER = "Surat Edaran Nomor 700/45/2026 tentang Larangan Gratifikasi"


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_letter_signed_through_the_pages_and_checked_by_anyone(
    letter_user: User, bupati: Official, tmp_path: Path
) -> None:
    staff = client_for(letter_user)
    assert staff.get("/p/alfa/letters/").status_code == 200
    response = staff.post(
        "/p/alfa/letters/",
        {
            "title": LETTER,
            "file": SimpleUploadedFile("surat.pdf", simple_pdf(LETTER), "application/pdf"),
            "credential": PASSWORD,
        },
    )
    assert response.status_code == 302, page_text(response)
    letter = SignedDocument.objects.get(kind=SignedDocument.Kind.LETTER)
    assert response["Location"] == f"/p/alfa/letters/{letter.pk}/"
    assert letter.status == SignedDocument.Status.COMPLETED

    detail = page_text(staff.get(response["Location"]))
    assert letter.short_code_display in detail and f"/v/{letter.token}" in detail
    assert "Bambang Wijaya" in detail and "Bupati Alfa" in detail
    download = staff.get(f"/p/alfa/letters/{letter.pk}/pdf")
    assert download["Content-Type"] == "application/pdf"
    signed = download.content

    # The signature validates in poppler, and the stamp is on the page.
    report = pdfsig(signed, tmp_path)
    assert "Signature is Valid." in report and "Certificate is Trusted." in report, report
    assert "Total document signed" in report
    text = pdftotext(signed)
    assert "Ditandatangani secara elektronik" in text
    assert f"Kode verifikasi: {letter.short_code_display}" in text
    assert f"/v/{letter.token}" in text

    # Anyone: the QR code's address, the short code, and the file itself.
    visitor = Client()
    page = page_text(visitor.get(f"/v/{letter.token}"))
    assert LETTER in page and "Bambang Wijaya" in page and "Bupati Alfa" in page
    assert "Kabupaten Alfa" in page
    found = visitor.get("/v/", {"code": letter.short_code_display.lower()})
    assert found["Location"] == f"/v/{letter.token}"
    checked = upload(visitor, signed, name="surat.pdf")
    assert "verdict good" in checked.content.decode()
    assert LETTER in page_text(checked)
    # A copy someone edited after signing is caught.
    forged = signed.replace(b"/Count 1", b"/Count 1 ") + b"\n"
    assert "verdict good" not in upload(visitor, forged).content.decode()

    stamped = AuditEvent.objects.get(action="signing.letter.stamped")
    assert stamped.object_id == str(letter.pk) and stamped.actor == letter_user
    assert stamped.summary["sha256"] == letter.original_sha256
    applied = AuditEvent.objects.get(action="signing.signature.applied")
    assert applied.summary["document_id"] == letter.pk


def test_the_stamp_is_drawn_on_the_last_page(
    pemda_a: Pemda, letter_user: User, bupati: Official
) -> None:
    from weasyprint import HTML

    two_pages = HTML(
        string="<p>Halaman satu</p><p style='page-break-before: always'>Halaman dua</p>"
    ).write_pdf()
    letter = letters.letter_sign(
        pemda=pemda_a,
        pdf=two_pages,
        title="Surat dua halaman",
        official=bupati,
        acting_user=letter_user,
        credential=PASSWORD,
    )
    pages = pdftotext(document_read(letter.pdf)).split("\f")
    assert "Kode verifikasi" not in pages[0]
    assert "Kode verifikasi" in pages[1] and "Halaman dua" in pages[1]


def test_a_wrong_password_keeps_nothing(
    pemda_a: Pemda, letter_user: User, bupati: Official
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        letters.letter_sign(
            pemda=pemda_a,
            pdf=simple_pdf(LETTER),
            title=LETTER,
            official=bupati,
            acting_user=letter_user,
            credential="wrong password",
        )
    assert not SignedDocument.objects.filter(kind=SignedDocument.Kind.LETTER).exists()
    assert AuditEvent.objects.count() == before


def test_only_the_official_signs_as_themselves(
    pemda_a: Pemda, letter_user: User, official_a: Official
) -> None:
    with pytest.raises(DomainError):
        letters.letter_sign(
            pemda=pemda_a,
            pdf=simple_pdf(LETTER),
            title=LETTER,
            official=official_a,  # the Bupati's account cannot sign as the Kepala Dinas
            acting_user=letter_user,
            credential=PASSWORD,
        )
    assert not SignedDocument.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"PK\x03\x04 a zip file", "not a PDF"),
        (b"%PDF-1.7\n garbage without structure", "damaged"),
    ],
)
def test_bad_files_are_refused_with_a_reason(
    pemda_a: Pemda, letter_user: User, bupati: Official, content: bytes, message: str
) -> None:
    with translation.override("en"), pytest.raises(DomainError, match=message):
        letters.letter_sign(
            pemda=pemda_a,
            pdf=content,
            title=LETTER,
            official=bupati,
            acting_user=letter_user,
            credential=PASSWORD,
        )
    assert not SignedDocument.objects.exists()


def test_an_already_signed_pdf_is_refused(
    pemda_a: Pemda, letter_user: User, bupati: Official
) -> None:
    letter = letters.letter_sign(
        pemda=pemda_a,
        pdf=simple_pdf(LETTER),
        title=LETTER,
        official=bupati,
        acting_user=letter_user,
        credential=PASSWORD,
    )
    with translation.override("en"), pytest.raises(DomainError, match="already signed"):
        letters.letter_sign(
            pemda=pemda_a,
            pdf=document_read(letter.pdf),
            title="Lagi",
            official=bupati,
            acting_user=letter_user,
            credential=PASSWORD,
        )


def test_an_account_without_official_is_told_it_cannot_sign(role_users: dict[str, User]) -> None:
    admin = client_for(role_users["admin"])
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = page_text(admin.get("/p/alfa/letters/"))
    assert "not linked to an official" in page
    response = admin.post(
        "/p/alfa/letters/",
        {
            "title": LETTER,
            "file": SimpleUploadedFile("surat.pdf", simple_pdf(LETTER), "application/pdf"),
            "credential": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_letters_of_another_pemda_are_not_found(
    pemda_a: Pemda, letter_user: User, bupati: Official, other_pemda_admin: User
) -> None:
    letter = letters.letter_sign(
        pemda=pemda_a,
        pdf=simple_pdf(LETTER),
        title=LETTER,
        official=bupati,
        acting_user=letter_user,
        credential=PASSWORD,
    )
    other = client_for(other_pemda_admin)
    assert other.get(f"/p/beta/letters/{letter.pk}/").status_code == 404
    assert other.get(f"/p/beta/letters/{letter.pk}/pdf").status_code == 404
    assert LETTER not in page_text(other.get("/p/beta/letters/"))
