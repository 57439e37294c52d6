"""The public verification page (/v/<token>), the short-code form and the upload check.

Each test reads the page as a visitor would: no login, only what the HTML says.
"""

from __future__ import annotations

import hashlib
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.core.documents import document_read
from pakta.pacts.models import Pact
from pakta.signing import services as signing
from pakta.signing.models import SignedDocument
from tests.signing.conftest import simple_pdf

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    """The visible text of a page, tags removed and white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def upload(client: Client, content: bytes, name: str = "dokumen.pdf", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/v/check/",
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        **extra,
    )


def test_verification_page_shows_signers_witness_hash_and_validity(signed_pact: Pact) -> None:
    document = signed_pact.document
    response = Client().get(f"/v/{document.token}")
    assert response.status_code == 200
    text = page_text(response)
    assert document.title in text
    assert "Kabupaten Alfa" in text
    # Both people, their roles and positions; the pact's signer and the leader as witness.
    assert "Hadi Santoso, S.E." in text and "Kepala Dinas Kesehatan" in text
    assert "Bambang Wijaya" in text
    assert "Penanda tangan" in text or "Signer" in text
    assert "Saksi" in text or "Witness" in text
    # Signing times, in the Pemda's time zone (WIB), the Indonesian way (20.57 WIB).
    for signature in document.signatures.all():
        local = timezone.localtime(signature.signed_at)
        assert f"{local:%H.%M} WIB" in text
    # Who issued each certificate, and where an outside verifier gets that CA's certificate.
    assert text.count("Pakta Root CA") == 2
    assert 'href="/signing/ca.pem"' in response.content.decode()
    assert 'href="/signing/crl.der"' in response.content.decode()
    # The SHA-256 of the current PDF, which is the bytes we serve.
    pdf_hash = hashlib.sha256(document_read(document.pdf)).hexdigest()
    assert pdf_hash in text
    assert text.count("status-valid") == 0  # class names are not text...
    assert response.content.decode().count("status-valid") == 2  # ...but both badges say valid
    assert document.get_status_display() in text


def test_verification_page_reveals_no_account_data(signed_pact: Pact) -> None:
    document = signed_pact.document
    html = Client().get(f"/v/{document.token}").content.decode()
    signer_user = User.objects.get(official=signed_pact.official)
    assert signer_user.username not in html
    assert "@" not in page_text(Client().get(f"/v/{document.token}"))
    # The certificate serial and the internal ids of the document are not shown.
    serial = document.signatures.first().identity.serial
    assert serial not in html
    assert f"/{document.pk}/" not in html


def test_revoked_signer_shows_revoked(signed_pact: Pact, superadmin: User) -> None:
    document = signed_pact.document
    signer = document.signatures.get(role="signer")
    signing.identity_revoke(identity=signer.identity, reason="Key lost", acting_user=superadmin)
    response = Client().get(f"/v/{document.token}")
    html = response.content.decode()
    assert html.count("status-revoked") == 1
    assert html.count("status-valid") == 1  # the witness's signature still holds
    assert "revoked" in page_text(response).lower() or "dicabut" in page_text(response).lower()


def test_a_page_seen_before_a_change_shows_the_change_at_once(
    signed_pact: Pact, superadmin: User
) -> None:
    """The page is kept per document state: a revocation, then a withdrawal, show on the very
    next visit; each visitor's copy carries its own CSRF token, and the upload works with it."""
    document = signed_pact.document
    first = Client(enforce_csrf_checks=True)
    html = first.get(f"/v/{document.token}").content.decode()
    assert html.count("status-valid") == 2
    signer = document.signatures.get(role="signer")
    signing.identity_revoke(identity=signer.identity, reason="Key lost", acting_user=superadmin)
    html = Client().get(f"/v/{document.token}").content.decode()
    assert html.count("status-revoked") == 1 and html.count("status-valid") == 1
    signing.signed_document_withdraw(
        document=document, reason="Diterbitkan keliru", acting_user=superadmin
    )
    second = Client(enforce_csrf_checks=True)
    response = second.get(f"/v/{document.token}")
    assert "Diterbitkan keliru" in page_text(response)
    tokens = [
        re.findall(
            r'name="csrfmiddlewaretoken" value="([^"]+)"',
            c.get(f"/v/{document.token}").content.decode(),
        )
        for c in (first, second)
    ]
    assert all(tokens) and tokens[0][0] != tokens[1][0]
    assert "csrf-placeholder" not in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("d.pdf", document_read(document.pdf), content_type="application/pdf")
    checked = second.post("/v/check/", {"file": pdf, "csrfmiddlewaretoken": tokens[1][0]})
    assert checked.status_code == 200


def test_unknown_token_is_a_404_in_indonesian(db) -> None:
    response = Client().get("/v/tidak-ada-dokumen-ini")
    assert response.status_code == 404
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_short_code_lookup_redirects_whatever_the_typing(signed_pact: Pact) -> None:
    document = signed_pact.document
    code = document.short_code
    for typed in (document.short_code_display, code.lower(), f" {code[:5]} {code[5:]} "):
        response = Client().get("/v/", {"code": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == f"/v/{document.token}"
        assert "no-store" in response["Cache-Control"]


def test_unknown_or_malformed_short_code_gets_an_error(db) -> None:
    response = Client().get("/v/", {"code": "ZZZZZ-99999"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    malformed = Client().get("/v/", {"code": "abc"})
    assert "errorlist" in malformed.content.decode()
    assert page_text(response) != page_text(malformed)  # two different explanations


def test_verification_pages_are_not_stored_by_caches(signed_pact: Pact) -> None:
    client = Client()
    for url in ("/v/", f"/v/{signed_pact.document.token}", "/v/check/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "noindex" in response["X-Robots-Tag"], url
    assert "no-store" in upload(client, b"%PDF-1.4 broken")["Cache-Control"]


def test_no_resources_from_other_hosts(signed_pact: Pact) -> None:
    for url in ("/v/", f"/v/{signed_pact.document.token}", "/publik/alfa/pakta/"):
        html = Client().get(url).content.decode()
        external = re.findall(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", html)
        assert not external, (url, external)
        assert "@import" not in html and "url(http" not in html


def test_visiting_writes_nothing(signed_pact: Pact) -> None:
    """No audit event, no session: nothing is recorded about the visitor."""
    before = AuditEvent.objects.count()
    client = Client()
    client.get(f"/v/{signed_pact.document.token}")
    upload(client, document_read(signed_pact.document.pdf))
    client.get("/publik/alfa/pakta/")
    assert AuditEvent.objects.count() == before
    assert "sessionid" not in client.cookies


def test_upload_of_the_signed_pdf_is_authentic(signed_pact: Pact) -> None:
    document = signed_pact.document
    response = upload(Client(), document_read(document.pdf))
    assert response.status_code == 200
    text = page_text(response)
    assert "verdict good" in response.content.decode()
    assert document.title in text
    assert "Hadi Santoso, S.E." in text and "Bambang Wijaya" in text
    assert f"/v/{document.token}" in response.content.decode()


def test_upload_of_an_earlier_version_is_authentic_but_not_the_latest(signed_pact: Pact) -> None:
    document = signed_pact.document
    first = document.versions.get(signatures=1)
    response = upload(Client(), document_read(first.pdf))
    html = response.content.decode()
    assert "verdict good" in html
    text = page_text(response)
    assert "Hadi Santoso, S.E." in text
    assert "Bambang Wijaya" not in text.split("SHA-256")[0]  # the witness signed later


def test_upload_with_bytes_appended_is_modified(signed_pact: Pact) -> None:
    tampered = document_read(signed_pact.document.pdf) + b"\n% appended after signing\n"
    response = upload(Client(), tampered)
    html = response.content.decode()
    assert "verdict good" not in html
    assert "status-modified" in html
    assert signed_pact.document.title not in page_text(response)  # not recognised as ours


def test_upload_of_a_random_pdf_is_not_issued_here(db) -> None:
    response = upload(Client(), simple_pdf("Surat palsu dari Bupati"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "verdict bad" in html and "verdict good" not in html
    assert "status-" not in html  # no signature to list


def test_non_pdf_upload_gets_a_clear_error(db) -> None:
    response = upload(Client(), b"GIF89a not a pdf at all", name="foto.gif")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist' in html
    assert "PDF" in page_text(response)
    assert "verdict" not in html


def test_oversized_upload_is_refused(db, settings) -> None:
    from pakta.signing import letters

    content = b"%PDF-1.4\n" + b"0" * (letters.PDF_MAX_BYTES + 1)
    response = upload(Client(), content)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert "20 MB" in page_text(response)


def test_upload_needs_the_csrf_token(signed_pact: Pact) -> None:
    client = Client(enforce_csrf_checks=True)
    assert upload(client, document_read(signed_pact.document.pdf)).status_code == 403


def test_checks_are_cached_and_follow_revocation(signed_pact: Pact, superadmin: User) -> None:
    """A page hit validates the PDF once; a revocation changes the cached answer at once."""
    from pakta.signing import verification as selectors

    cache.clear()
    document = SignedDocument.objects.get(pk=signed_pact.document_id)
    started = time.perf_counter()
    first = selectors.document_checks_cached(document)
    uncached = time.perf_counter() - started
    started = time.perf_counter()
    again = selectors.document_checks_cached(document)
    cached = time.perf_counter() - started
    assert [c.status for c in first.checks] == [c.status for c in again.checks] == ["valid"] * 2
    assert cached < uncached
    signer = document.signatures.get(role="signer")
    signing.identity_revoke(identity=signer.identity, reason="Key lost", acting_user=superadmin)
    after = selectors.document_checks_cached(document)
    assert sorted(c.status for c in after.checks) == ["revoked", "valid"]
