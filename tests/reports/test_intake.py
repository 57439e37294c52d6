"""Filing a report on the public page: no login, no JavaScript, nothing about the sender kept."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from pakta.audit.models import AuditEvent
from pakta.core.documents import document_read
from pakta.reports import crypto, keys
from pakta.reports.models import Report
from tests.conftest import PASSWORD, client_for
from tests.reports.conftest import handler_client, jpeg_with_exif, pdf_with_author


def intake_url(pemda: Any) -> str:
    return reverse("report_public:intake", kwargs={"pemda": pemda.slug})


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": Report.Category.GRATIFICATION,
        "what": "Seorang pejabat menerima hadiah dari rekanan.",
        "who": "",
        "when": "",
        "where": "",
        "identity_mode": Report.IdentityMode.ANONYMOUS,
        "identity_name": "",
        "identity_contact": "",
        "strip_metadata": "on",
    }
    data.update(overrides)
    return data


def english_client(**extra: Any) -> Client:
    client = Client(**extra)
    client.cookies["django_language"] = "en"
    return client


def test_the_form_works_without_javascript_or_other_sites(pemda_a: Any, db: Any) -> None:
    response = english_client().get(intake_url(pemda_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script" not in page
    assert 'enctype="multipart/form-data"' in page
    for name in ("what", "who", "when", "where", "category", "evidence", "identity_mode"):
        assert f'name="{name}"' in page
    # Every resource comes from this site: no absolute URL in src/href.
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page)
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_filing_shows_the_receipt_once(pemda_a: Any, handler_a: Any) -> None:
    client = english_client()
    response = client.post(intake_url(pemda_a), form_data())
    assert response.status_code == 200
    page = response.content.decode()
    code = re.search(r'id="receipt">([\d ]{19})<', page).group(1)
    digits = code.replace(" ", "")
    report = Report.objects.get()
    assert report.receipt_hash.startswith("$argon2id$")
    assert digits not in report.receipt_hash and digits != report.receipt_index
    assert response["Cache-Control"] == "no-store"
    # The case page (the reporter is logged in by the receipt page) never shows it again.
    case = client.get(reverse("report_public:case", kwargs={"pemda": pemda_a.slug}))
    assert case.status_code == 200
    assert digits not in case.content.decode() and code not in case.content.decode()
    assert "Seorang pejabat menerima hadiah" in case.content.decode()


def test_bad_input_gets_clear_errors_and_stores_nothing(pemda_a: Any, db: Any) -> None:
    client = english_client()
    response = client.post(intake_url(pemda_a), form_data(what="", category=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    response = client.post(
        intake_url(pemda_a), form_data(identity_mode=Report.IdentityMode.CONFIDENTIAL)
    )
    assert "Give your name to report confidentially" in response.content.decode()
    assert not Report.objects.exists()
    assert not AuditEvent.objects.filter(action="reports.report.submitted").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "The file type of “virus.exe” is not accepted."),
        ("fake.pdf", b"not a pdf at all", "The file “fake.pdf” is not a valid PDF file."),
        ("empty.txt", b"", "The file “empty.txt” is empty."),
    ],
)
def test_refused_files_say_why(pemda_a: Any, db: Any, name: str, content: bytes, message: str):
    response = english_client().post(
        intake_url(pemda_a),
        form_data(evidence=[SimpleUploadedFile(name, content)]),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()


@override_settings(PAKTA_UPLOAD_LIMITS={"report_file": 1024})
def test_too_large_files_are_refused(pemda_a: Any, db: Any) -> None:
    response = english_client().post(
        intake_url(pemda_a),
        form_data(evidence=[SimpleUploadedFile("big.txt", b"a" * 5000)]),
    )
    assert "The file “big.txt” is 5 KB; each file may be at most 1 KB." in response.content.decode()
    assert not Report.objects.exists()


def test_metadata_is_stripped_and_the_original_kept(pemda_a: Any, handler_a: Any) -> None:
    from PIL import Image
    from pypdf import PdfReader

    jpeg = jpeg_with_exif("KameraRahasia")
    pdf = pdf_with_author("Penulis Rahasia")
    response = english_client().post(
        intake_url(pemda_a),
        form_data(
            evidence=[
                SimpleUploadedFile("foto.jpg", jpeg, content_type="image/jpeg"),
                SimpleUploadedFile("surat.pdf", pdf, content_type="application/pdf"),
            ]
        ),
    )
    assert response.status_code == 200
    report = Report.objects.get()
    client = handler_client(handler_a)
    photo, letter = report.attachments.order_by("pk")
    url = reverse("reports:attachment", kwargs={"pemda": "alfa", "pk": photo.pk})
    stripped = client.get(url).content
    original = client.get(url + "?original=1").content
    assert original == jpeg
    assert b"KameraRahasia" in original and b"KameraRahasia" not in stripped
    assert not Image.open(io.BytesIO(stripped)).getexif()
    url = reverse("reports:attachment", kwargs={"pemda": "alfa", "pk": letter.pk})
    clean = PdfReader(io.BytesIO(client.get(url).content))
    assert clean.metadata is None or "/Author" not in clean.metadata
    assert client.get(url + "?original=1").content == pdf
    # The document store holds ciphertext only.
    for attachment in (photo, letter):
        stored = document_read(attachment.document)
        assert not stored.startswith((b"\xff\xd8", b"%PDF"))
        assert attachment.document.original_name == ""


def test_metadata_kept_when_not_asked(pemda_a: Any, handler_a: Any) -> None:
    jpeg = jpeg_with_exif("KameraRahasia")
    english_client().post(
        intake_url(pemda_a),
        form_data(strip_metadata="", evidence=[SimpleUploadedFile("foto.jpg", jpeg)]),
    )
    attachment = Report.objects.get().attachments.get()
    assert attachment.original is None
    client = handler_client(handler_a)
    url = reverse("reports:attachment", kwargs={"pemda": "alfa", "pk": attachment.pk})
    assert client.get(url).content == jpeg


def test_staff_session_is_ignored_on_the_public_pages(
    pemda_a: Any, role_users: dict[str, Any]
) -> None:
    """An official who reports while logged in is anonymous: nothing links their account."""
    client = client_for(role_users["pegawai"])
    session_key = client.cookies["sessionid"].value
    response = client.post(intake_url(pemda_a), form_data())
    assert response.status_code == 200
    assert "sessionid" not in response.cookies  # the staff session is neither read nor replaced
    event = AuditEvent.objects.get(action="reports.report.submitted")
    assert event.actor_id is None and event.actor_label == ""
    assert client.cookies["sessionid"].value == session_key


def test_audit_of_a_submission_holds_ids_only(pemda_a: Any, handler_a: Any) -> None:
    english_client().post(
        intake_url(pemda_a), form_data(what="Rahasia sekali isi laporan ini.", who="Pak Budi")
    )
    event = AuditEvent.objects.get(action="reports.report.submitted")
    text = str(event.summary)
    assert "Rahasia" not in text and "Budi" not in text
    assert set(event.summary) == {"category", "attachments", "excluded", "sealed_to", "assignee_id"}


def test_each_report_has_its_own_key(pemda_a: Any, handler_a: Any) -> None:
    english_client().post(intake_url(pemda_a), form_data())
    english_client().post(intake_url(pemda_a), form_data())
    first, second = Report.objects.order_by("pk")
    private = keys.handler_key_unwrap(key=handler_a.handler_key, password=PASSWORD)
    key = crypto.unseal(private, bytes(first.grants.get(user=handler_a).sealed_key))
    assert crypto.decrypt_json(key, bytes(first.content))["what"].startswith("Seorang pejabat")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, bytes(second.content))


def test_every_public_response_is_private(pemda_a: Any, db: Any) -> None:
    client = english_client(REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT="Agent/1")
    for url in (
        intake_url(pemda_a),
        reverse("report_public:login", kwargs={"pemda": pemda_a.slug}),
        reverse("report_public:case", kwargs={"pemda": pemda_a.slug}),  # a redirect
        reverse("report_public:intake", kwargs={"pemda": "unknown"}),  # a 404
    ):
        response = client.get(url)
        assert response["Cache-Control"] == "no-store", url
        assert response["Referrer-Policy"] == "same-origin", url


def test_the_views_never_see_the_sender() -> None:
    """The middleware strips the address, user agent and referrer before any view runs."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from pakta.reports.middleware import ReportPrivacyMiddleware

    seen: dict[str, Any] = {}

    def view(request: Any) -> HttpResponse:
        seen.update(request.META)
        return HttpResponse("ok")

    request = RequestFactory().get(
        "/lapor/alfa/",
        REMOTE_ADDR="203.0.113.5",
        HTTP_USER_AGENT="Secret/1.0",
        HTTP_REFERER="https://example.org/x",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    ReportPrivacyMiddleware(view)(request)
    assert "203.0.113.5" not in str(seen) and "203.0.113.6" not in str(seen)
    assert "HTTP_USER_AGENT" not in seen and "HTTP_REFERER" not in seen


def test_the_request_loggers_drop_every_public_route() -> None:
    """The loggers that write request paths carry the filter that drops the public routes (the
    end-to-end proof, with a real server and forced errors, is in tests/browser)."""
    from django.conf import settings

    for name in ("django.server", "django.request", "django.security.csrf"):
        assert settings.LOGGING["loggers"][name]["filters"] == ["anonymous_routes"], name
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["anonymous_routes"]


def test_handler_case_pages_are_not_cached(pemda_a: Any, handler_a: Any) -> None:
    client = handler_client(handler_a)
    response = client.get(reverse("reports:list", kwargs={"pemda": pemda_a.slug}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
