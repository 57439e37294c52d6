"""The public verification pages in Chromium: the "Periksa berkas" upload form on /v/, the
short code, and the language switch on /v/, /v/<token> and /publik/<pemda>/pakta/.

Each form is sent by the browser itself, so these tests fail if the browser's request is
refused (the CSRF check once refused every form because the pages sent
``Referrer-Policy: no-referrer`` and Chromium then sent ``Origin: null``). ``Traffic`` records
what the browser sent and received: nothing goes to another host, every public response says
``no-store`` and ``same-origin``, and every form post carries the page's real origin.

A screenshot of each verdict is written to ``PAKTA_SCREENSHOT_DIR`` when that variable is set
(to ``tmp_path`` otherwise), for looking at the page.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from pakta.accounts.models import User
from pakta.core.documents import document_read
from pakta.core.public import is_public_path
from pakta.org.models import Official, Pemda
from pakta.pacts.models import Pact
from pakta.signing.letters import PDF_MAX_BYTES
from tests.portal.conftest import sign_pact
from tests.portal.test_browser import in_thread
from tests.signing.conftest import simple_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


class Traffic:
    """Every request and response of a page, and the errors on its console."""

    def __init__(self, page: Any) -> None:
        self.requests: list[Any] = []
        self.responses: list[Any] = []
        self.console_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request))
        page.on("response", lambda response: self.responses.append(response))
        page.on("console", lambda message: self._console(message))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def posts(self) -> list[Any]:
        return [request for request in self.requests if request.method == "POST"]

    def check(self, base_url: str) -> None:
        """Nothing to another host, no server error, public headers, a real origin on posts."""
        assert self.requests, "the page sent nothing"
        foreign = [r.url for r in self.requests if not r.url.startswith(base_url + "/")]
        assert not foreign, foreign
        failed = [(r.status, r.url) for r in self.responses if r.status >= 500]
        assert not failed, failed
        public = [r for r in self.responses if is_public_path(urlsplit(r.url).path)]
        assert public, "no public page was seen"
        for response in public:
            headers = response.all_headers()
            assert headers.get("cache-control") == "no-store", (response.url, headers)
            assert headers.get("referrer-policy") == "same-origin", (response.url, headers)
        for request in self.posts():
            # Under ``no-referrer`` Chromium sends ``Origin: null`` and Django refuses the form.
            assert request.header_value("origin") == base_url, request.url
        # A violation of the content security policy shows as a console error.
        errors = [e for e in self.console_errors if not e.startswith("Failed to load resource")]
        assert not errors, errors


def screenshot(page: Any, tmp_path: Path, name: str) -> None:
    shot_dir = Path(os.environ.get("PAKTA_SCREENSHOT_DIR", tmp_path))
    shot_dir.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot_dir / f"{name}.png"), full_page=True)


def check_file(page: Any, file: Any) -> Any:
    """Choose ``file`` (a path, or a dict with name, mimeType and buffer) in the "Periksa
    berkas" form and send it; return the response to the form's post."""
    form = page.locator("form[action='/v/check/']")
    form.locator("input[type=file][name=file]").set_input_files(file)
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name="Periksa berkas").click()
    response = navigation.value
    assert response.request.method == "POST"
    return response


def pdf_file(name: str, content: bytes, mime_type: str = "application/pdf") -> dict[str, Any]:
    return {"name": name, "mimeType": mime_type, "buffer": content}


def signed_ranges(content: bytes) -> list[tuple[int, int, int, int]]:
    return [(int(a), int(b), int(c), int(d)) for a, b, c, d in BYTE_RANGE.findall(content)]


def with_byte_flipped(content: bytes) -> bytes:
    """Change one bit of the first page's (compressed) content stream, which every signature
    covers: the file still opens, but what it shows is no longer what was signed."""
    position = content.index(b"stream\n") + len(b"stream\n") + 100
    first_signature_end = signed_ranges(content)[0][1]
    assert position < first_signature_end  # inside the signed bytes
    tampered = bytearray(content)
    tampered[position] ^= 0x01
    return bytes(tampered)


def with_text_added(content: bytes) -> bytes:
    """Add a line of text to the first page in an incremental update, as a PDF editor saves an
    edit: the signed bytes stay as they were, new bytes follow them."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    text = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (DISETUJUI) Tj ET")
    )
    contents = page["/Contents"]
    existing = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject([*existing, text])
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# --- The upload form ------------------------------------------------------------------------


def test_genuine_and_tampered_copies_of_a_signed_pact(
    browser_page: Any,
    live_server: Any,
    pemda_a: Pemda,
    official_a: Official,
    bupati: Official,
    superadmin: User,
    tmp_path: Path,
) -> None:
    pact: Pact = in_thread(sign_pact, pemda_a, official_a, bupati, superadmin)
    document = pact.document
    assert document is not None and document.pdf is not None
    genuine = document_read(document.pdf)
    assert len(signed_ranges(genuine)) == 2
    page = browser_page
    traffic = Traffic(page)

    page.goto("/v/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", name="Periksa berkas PDF").is_visible()

    # (a) The genuine file: authentic, with both signers, each signature valid.
    response = check_file(page, pdf_file("pakta.pdf", genuine))
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Hasil pemeriksaan"
    verdict = page.locator(".verdict")
    assert verdict.get_attribute("class") == "verdict good"
    assert verdict.locator("strong").inner_text() == (
        f"Asli: berkas ini merupakan salinan persis “{document.title}” yang diterbitkan oleh "
        "Kabupaten Alfa, dengan 2 tanda tangan."
    )
    signers = verdict.locator("li")
    assert signers.count() == 2
    assert "Hadi Santoso, S.E." in signers.nth(0).inner_text()
    assert "Bambang Wijaya" in signers.nth(1).inner_text()
    assert page.locator(".badge").all_inner_texts() == ["Sah", "Sah"]
    assert page.locator("code.hash").inner_text() == document.pdf.sha256
    assert page.get_by_text("Berkas diperiksa di memori dan tidak disimpan.").is_visible()
    screenshot(page, tmp_path, "check-genuine")
    # The link on the verdict leads to the document's own page.
    page.get_by_role("link", name="Lihat halaman verifikasi dokumen").click()
    page.wait_for_url(f"**/v/{document.token}")
    assert page.locator("h1").inner_text() == document.title

    # (b) Tampered copies: a bit changed inside the signed bytes, or a line of text added
    # afterwards as an editor would save it. Neither is recognised, every signature says so.
    for name, tampered in (
        ("check-tampered-byte", with_byte_flipped(genuine)),
        ("check-tampered-edit", with_text_added(genuine)),
    ):
        page.goto("/v/")
        response = check_file(page, pdf_file("pakta.pdf", tampered))
        assert response.status == 200, name
        verdict = page.locator(".verdict")
        assert verdict.get_attribute("class") == "verdict bad", name
        assert verdict.inner_text() == (
            "Tidak asli: berkas ini diubah setelah ditandatangani. Berkas ini bukan dokumen "
            "yang diterbitkan oleh sistem ini."
        ), name
        assert document.title not in page.locator("main").inner_text(), name
        assert page.locator(".badge").all_inner_texts() == ["Diubah", "Diubah"], name
        assert page.locator("code.hash").inner_text() != document.pdf.sha256, name
        screenshot(page, tmp_path, name)

    assert len(traffic.posts()) == 3
    traffic.check(live_server.url)


def test_unsigned_pdf_is_not_a_document_of_this_system(
    browser_page: Any, live_server: Any, tmp_path: Path
) -> None:
    page = browser_page
    traffic = Traffic(page)
    page.goto("/v/")
    unsigned = in_thread(simple_pdf, "Surat Keputusan Bupati Alfa")
    response = check_file(page, pdf_file("surat.pdf", unsigned))
    assert response.status == 200
    verdict = page.locator(".verdict")
    assert verdict.get_attribute("class") == "verdict bad"
    assert verdict.inner_text() == (
        "Bukan dokumen yang diterbitkan oleh sistem ini, dan berkas tidak memuat tanda tangan."
    )
    assert page.locator(".badge").count() == 0  # no signature to list
    screenshot(page, tmp_path, "check-unsigned")
    traffic.check(live_server.url)


def test_a_file_that_is_not_a_pdf_gets_a_clear_error(
    browser_page: Any, live_server: Any, tmp_path: Path
) -> None:
    page = browser_page
    traffic = Traffic(page)
    page.goto("/v/")
    text = pdf_file("surat.pdf", b"Ini catatan biasa, bukan PDF.\n" * 20, "text/plain")
    response = check_file(page, text)
    assert response.status == 200
    assert page.url.endswith("/v/check/")
    assert page.locator(".verdict").count() == 0
    errors = page.locator("form[action='/v/check/'] .errorlist")
    assert errors.inner_text() == "Berkas ini bukan dokumen PDF."
    assert page.locator("html").get_attribute("lang") == "id"
    screenshot(page, tmp_path, "check-not-a-pdf")
    traffic.check(live_server.url)


def test_a_file_above_the_size_limit_is_refused(
    browser_page: Any, live_server: Any, tmp_path: Path
) -> None:
    big = tmp_path / "besar.pdf"
    with big.open("wb") as file:
        file.write(b"%PDF-1.4\n")
        file.write(b"0" * PDF_MAX_BYTES)
    assert big.stat().st_size > PDF_MAX_BYTES
    page = browser_page
    traffic = Traffic(page)
    page.goto("/v/")
    response = check_file(page, big)
    assert response.status == 200
    assert page.locator(".verdict").count() == 0
    errors = page.locator("form[action='/v/check/'] .errorlist")
    assert errors.inner_text() == "Berkas terlalu besar: paling besar 20 MB."
    screenshot(page, tmp_path, "check-too-big")
    traffic.check(live_server.url)


def test_a_damaged_pdf_gets_a_clear_error(
    browser_page: Any,
    live_server: Any,
    pemda_a: Pemda,
    official_a: Official,
    bupati: Official,
    superadmin: User,
    tmp_path: Path,
) -> None:
    pact: Pact = in_thread(sign_pact, pemda_a, official_a, bupati, superadmin)
    assert pact.document is not None and pact.document.pdf is not None
    genuine = document_read(pact.document.pdf)
    # A number of the signature field's rectangle becomes a lone dot (same length, so every
    # offset still holds): the file says PDF, but one of its objects cannot be read.
    # (The field is the visible stamp's, so its numbers vary: the first one becomes ". ".)
    damaged = re.sub(
        rb"/Rect \[ (\d+) ",
        lambda m: b"/Rect [ " + b"." + b" " * len(m.group(1)),
        genuine,
        count=1,
    )
    assert damaged != genuine
    page = browser_page
    page.goto("/v/")
    response = check_file(page, pdf_file("pakta.pdf", damaged))
    screenshot(page, tmp_path, "check-damaged")
    assert response.status == 200
    errors = page.locator("form[action='/v/check/'] .errorlist")
    assert errors.inner_text() == "Dokumen PDF rusak dan tidak dapat dibaca."


# --- The short code and the language switch -----------------------------------------------


def switch_language(page: Any, button: str) -> Any:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button).click()
    return navigation.value


def test_short_code_and_language_switch_on_the_public_pages(
    browser_page: Any,
    live_server: Any,
    pemda_a: Pemda,
    official_a: Official,
    bupati: Official,
    superadmin: User,
) -> None:
    pact: Pact = in_thread(sign_pact, pemda_a, official_a, bupati, superadmin)
    document = pact.document
    assert document is not None
    page = browser_page
    traffic = Traffic(page)

    # A code nobody issued: the error, in Indonesian, beside the field.
    page.goto("/v/")
    page.locator("input[name=code]").fill("ZZZZZ-99999")
    with page.expect_navigation():
        page.get_by_role("button", name="Cari dokumen").click()
    assert page.locator("form[method=get] .errorlist").inner_text() == (
        "Tidak ada dokumen terbitan sistem ini yang memiliki kode tersebut."
    )
    # The code as printed, typed in lower case: the document's page.
    page.locator("input[name=code]").fill(document.short_code_display.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Cari dokumen").click()
    assert urlsplit(page.url).path == f"/v/{document.token}"
    assert page.locator("h1").inner_text() == document.title

    pages = [
        # (address, what a heading says in Indonesian, the same in English)
        ("/v/", "h1", "Verifikasi dokumen bertanda tangan", "Verify a signed document"),
        (f"/v/{document.token}", ".badge >> nth=0", "Sah", "Valid"),
        (
            "/publik/alfa/pakta/",
            "h1",
            "Pakta Integritas Kabupaten Alfa",
            "Integrity pacts of Kabupaten Alfa",
        ),
    ]
    for address, selector, indonesian, english in pages:
        page.goto(address)
        assert page.locator("html").get_attribute("lang") == "id", address
        assert page.locator(selector).inner_text() == indonesian, address

        response = switch_language(page, "English")
        assert response.status == 200, address
        assert urlsplit(page.url).path == address  # the same page comes back
        assert page.locator("html").get_attribute("lang") == "en", address
        assert page.locator(selector).inner_text() == english, address

        response = switch_language(page, "Bahasa Indonesia")
        assert response.status == 200, address
        assert urlsplit(page.url).path == address
        assert page.locator("html").get_attribute("lang") == "id", address
        assert page.locator(selector).inner_text() == indonesian, address
    # The transparency list shows the pact, linked to its record by its code.
    row = page.locator("tbody tr", has_text="Hadi Santoso, S.E.")
    assert row.get_by_role("link", name=document.short_code_display).get_attribute("href") == (
        f"/v/{document.token}"
    )

    assert len(traffic.posts()) == 6  # two language switches on each of the three pages
    traffic.check(live_server.url)
