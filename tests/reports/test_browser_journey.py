"""The reporting channel in Chromium against a live server, as a frightened employee uses it.

Every form is submitted by the browser itself (no test client): the report with two files,
the receipt login, the reporter's answer, the disclosure of identity, the logout, and the
handler's side of the same case. The language is Indonesian, the site's default; one journey
runs again in English. The CSRF protection stays on: a post from another origin is refused,
and a refused post shows Pakta's own page with what the visitor typed.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from pakta.reports import services
from pakta.reports.models import Report
from pakta.signing import services as signing
from tests.browser.fixtures import TIMEOUT_MS, log_in, menu_open
from tests.conftest import PASSWORD
from tests.portal.test_browser import in_thread
from tests.reports.conftest import jpeg_with_exif, pdf_with_author

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY_TEXT = "Petugas loket meminta Rp200.000 agar izin usaha selesai hari itu juga."


@pytest.fixture(autouse=True)
def english() -> None:
    """Override the package's English default: these pages run in the site's own default."""
    return None


@pytest.fixture
def evidence(tmp_path: Path) -> list[Path]:
    photo = tmp_path / "foto-loket.jpg"
    photo.write_bytes(jpeg_with_exif("KameraRahasia"))
    document = tmp_path / "kuitansi.pdf"
    document.write_bytes(pdf_with_author("Penulis Rahasia", "Kuitansi"))
    return [photo, document]


@pytest.fixture
def new_context(chromium: Any, live_server: Any) -> Iterator[Any]:
    """Fresh browser contexts (a closed and reopened browser), each with its own cookies."""
    contexts: list[Any] = []

    def make(language: str | None = None, *, javascript: bool = True) -> Any:
        from django.conf import settings

        context = chromium.new_context(
            base_url=live_server.url,
            locale="id-ID",
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(TIMEOUT_MS)
        if language:
            context.add_cookies(
                [
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": language,
                        "url": live_server.url,
                    }
                ]
            )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def watch(page: Any) -> dict[str, list[Any]]:
    """Record what a page sends and receives: posts with their Origin, other hosts, failures."""
    seen: dict[str, list[Any]] = {"posts": [], "hosts": [], "responses": []}

    def on_request(request: Any) -> None:
        seen["hosts"].append(request.url.split("/")[2])
        if request.method == "POST":
            seen["posts"].append((request.url, request.headers.get("origin")))

    page.on("request", on_request)
    page.on("response", lambda response: seen["responses"].append(response))
    return seen


def file_report(page: Any, pemda: Any, files: list[Path], what: str = JOURNEY_TEXT) -> str:
    """Fill in and send the report form; return the receipt code shown once."""
    page.locator("input[name=category][value=bribery]").check()
    page.locator("textarea[name=what]").fill(what)
    page.locator("textarea[name=who]").fill("Petugas loket perizinan")
    page.locator("input[name=when]").fill("Setiap Senin pagi")
    page.locator("input[name=evidence]").set_input_files([str(f) for f in files])
    page.locator("input[name=strip_metadata]").check()
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Laporan Anda telah diterima", page.content()[:3000]
    return page.locator("#receipt").inner_text()


def test_the_reporter_and_the_handler_follow_one_case_in_chromium(
    new_context: Any,
    live_server: Any,
    pemda_a: Any,
    handler_a: Any,
    inspektorat_head: Any,
    role_users: dict[str, Any],
    evidence: list[Path],
) -> None:
    # An employee finds the channel inside the app, from the menu every employee has.
    employee = new_context().new_page()
    log_in(employee, username=role_users["pegawai"].username, password=PASSWORD)
    menu_open(employee, "Laporkan pelanggaran")
    employee.wait_for_load_state()
    assert employee.url == live_server.url + f"/lapor/{pemda_a.slug}/"

    # The reporter (no account) finds it from the login page.
    reporter = new_context()
    page = reporter.new_page()
    seen = watch(page)
    page.goto(reverse("accounts:login"))
    page.get_by_role("link", name="Laporkan pelanggaran integritas", exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name=pemda_a.name).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == (f"Laporkan pelanggaran integritas di {pemda_a.name}")
    receipt = file_report(page, pemda_a, evidence)
    digits = re.sub(r"\D", "", receipt)
    assert len(digits) == 16, receipt
    # The post carried the page's own origin (not "null"): the CSRF check passed on its merits.
    assert seen["posts"] == [(live_server.url + f"/lapor/{pemda_a.slug}/", live_server.url)]
    report = Report.objects.get()
    assert report.assignee == handler_a

    # The signed acknowledgement downloads as a PDF that verifies.
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh tanda terima yang ditandatangani (PDF)").click()
    acknowledgement = Path(download.value.path()).read_bytes()
    assert acknowledgement.startswith(b"%PDF")
    result = in_thread(lambda: signing.document_verify(content=acknowledgement))
    assert [check.status for check in result.checks] == ["valid"]

    # The receipt is shown once: the case page never shows it again.
    page.get_by_role("link", name="Buka laporan Anda").click()
    page.wait_for_load_state()
    assert JOURNEY_TEXT in page.content() and digits not in re.sub(r"\D", "", page.content())
    for response in seen["responses"]:
        if response.url.startswith(live_server.url + "/lapor/"):
            assert response.headers["cache-control"] == "no-store", response.url
            assert response.headers["referrer-policy"] == "same-origin", response.url
    assert set(seen["hosts"]) == {live_server.url.split("/")[2]}
    reporter.close()  # the reporter closes the browser

    # --- The handler reads the case, the stripped photo, and replies -------------------------
    handler = new_context().new_page()
    log_in(handler, username=handler_a.username, password=PASSWORD)
    handler.goto(reverse("reports:list", kwargs={"pemda": pemda_a.slug}))
    handler.get_by_role("link", name=report.reference).first.click()
    handler.wait_for_load_state()
    assert JOURNEY_TEXT in handler.content()
    with handler.expect_download() as download:
        handler.get_by_role("link", name="foto-loket.jpg").click()
    photo = Image.open(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert 0x010F not in photo.getexif()  # the camera's make was removed on request
    handler.locator("textarea[name=body]").fill("Terima kasih. Kapan terakhir kejadian ini?")
    handler.get_by_role("button", name="Simpan").first.click()
    handler.wait_for_load_state()

    # --- The reporter comes back with the receipt, answers, discloses, logs out ----------------
    page = new_context().new_page()
    seen = watch(page)
    page.goto(reverse("report_public:login", kwargs={"pemda": pemda_a.slug}))
    page.locator("input[name=receipt]").fill(receipt)
    page.get_by_role("button", name="Buka").click()
    page.wait_for_load_state()
    assert "Terima kasih. Kapan terakhir kejadian ini?" in page.content()
    page.locator("textarea[name=body]").fill("Terakhir Senin kemarin, pukul 09.00.")
    page.locator("form[action$='/kasus/pesan/'] input[name=evidence]").set_input_files(
        [str(evidence[1])]
    )
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == "Pesan Anda telah terkirim."
    page.locator("input[name=name]").fill("Sulastri")
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name="Berikan identitas saya").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == (
        "Identitas Anda telah diberikan kepada penangan."
    )
    page.get_by_role("button", name="Keluar dari laporan saya").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/lapor/{pemda_a.slug}/masuk/")
    page.goto(reverse("report_public:case", kwargs={"pemda": pemda_a.slug}))
    assert page.url.endswith("/masuk/")  # logged out: the case needs the receipt again
    assert all(origin == live_server.url for _url, origin in seen["posts"]), seen["posts"]
    assert len(seen["posts"]) == 4

    # --- The handler sees the answer and, on a logged request, the identity ------------------
    handler.reload()
    assert "Terakhir Senin kemarin, pukul 09.00." in handler.content()
    handler.get_by_role("link", name="Tampilkan identitas pelapor (dicatat)").click()
    handler.wait_for_load_state()
    handler.locator("main form button[type=submit]").click()
    handler.wait_for_load_state()
    assert "Sulastri" in handler.content()


def test_the_journey_in_english_without_javascript(
    new_context: Any, pemda_a: Any, handler_a: Any, evidence: list[Path]
) -> None:
    """An old phone with JavaScript off: every form is a plain HTML form and still works."""
    page = new_context("en", javascript=False).new_page()
    page.goto(reverse("report_public:intake", kwargs={"pemda": pemda_a.slug}))
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("input[name=category][value=bribery]").check()
    page.locator("textarea[name=what]").fill(JOURNEY_TEXT)
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Your report has been received"
    receipt = page.locator("#receipt").inner_text()
    page.goto(reverse("report_public:login", kwargs={"pemda": pemda_a.slug}))
    page.locator("input[name=receipt]").fill(receipt)
    page.get_by_role("button", name="Open").click()
    page.wait_for_load_state()
    assert JOURNEY_TEXT in page.content()
    # The language switch on the case page keeps the reporter on the case page.
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"
    assert JOURNEY_TEXT in page.content() and page.url.endswith("/kasus/")


# --- Refused posts, error pages and logs --------------------------------------------------------


def test_a_refused_post_shows_pakta_page_with_what_was_typed(
    new_context: Any, live_server: Any, pemda_a: Any, handler_a: Any
) -> None:
    """An expired page (no CSRF cookie any more): translated page, typed text given back."""
    intake = reverse("report_public:intake", kwargs={"pemda": pemda_a.slug})
    for language, heading, reopen in (
        ("id", "Formulir tidak dapat dikirim", "Buka formulir lagi"),
        ("en", "The form could not be sent", "Open the form again"),
    ):
        context = new_context(language)
        page = context.new_page()
        page.goto(intake)
        page.locator("input[name=category][value=bribery]").check()
        page.locator("textarea[name=what]").fill(f"Teks panjang yang diketik pelapor ({language}).")
        cookies = [c for c in context.cookies() if c["name"] != "csrftoken"]
        context.clear_cookies()
        context.add_cookies(cookies)
        with page.expect_response(lambda r: r.url.endswith(intake)) as refused:
            page.locator("form.stack button[type=submit]").click()
        page.wait_for_load_state()
        assert refused.value.status == 403
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").inner_text() == heading
        typed = page.locator("textarea[readonly]").first.input_value()
        assert typed == f"Teks panjang yang diketik pelapor ({language})."
        assert "Traceback" not in page.content() and "CSRF" not in page.content()
        page.get_by_role("link", name=reopen).click()
        page.wait_for_load_state()
        assert page.url == live_server.url + intake
    assert not Report.objects.exists()


def test_a_post_from_another_origin_is_refused(
    new_context: Any, live_server: Any, pemda_a: Any, handler_a: Any
) -> None:
    """CSRF protection stays on: a form on another site cannot file a report."""
    page = new_context().new_page()
    page.goto(reverse("report_public:intake", kwargs={"pemda": pemda_a.slug}))  # has the cookie
    action = live_server.url + reverse("report_public:intake", kwargs={"pemda": pemda_a.slug})
    page.set_content(
        f'<form method="post" action="{action}"><input name="category" value="bribery">'
        '<input name="what" value="Laporan palsu dari situs lain"><button>Go</button></form>'
    )
    page.get_by_role("button", name="Go").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Formulir tidak dapat dikirim"
    assert not Report.objects.exists()


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.exc_text or ''}")


@pytest.fixture
def every_log() -> Iterator[Capture]:
    """A handler on the root logger and on every logger that writes request paths."""
    capture = Capture()
    names = ["", "django", "django.request", "django.server", "django.security.csrf"]
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addHandler(capture)
    yield capture
    for logger in loggers:
        logger.removeHandler(capture)


def test_error_pages_are_pakta_pages_and_public_errors_are_not_logged(
    new_context: Any,
    live_server: Any,
    pemda_a: Any,
    handler_a: Any,
    role_users: dict[str, Any],
    monkeypatch: Any,
    every_log: Capture,
) -> None:
    tag = uuid.uuid4().hex[:12]
    page = new_context().new_page()
    # 404 of a staff address: Pakta's page in Indonesian, and it is logged.
    staff_path = f"/tidak-ada-{uuid.uuid4().hex[:8]}/"
    response = page.goto(staff_path)
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Halaman tidak ditemukan"
    assert any(staff_path in line for line in every_log.lines), every_log.lines

    # 404 and a forced 500 on the public channel: Pakta's pages, and nothing logged.
    response = page.goto(f"/lapor/{pemda_a.slug}/kasus/berkas/{tag}/")
    assert response is not None and response.status in (302, 200, 404)
    response = page.goto(f"/v/{tag}")
    assert response is not None and response.status == 404

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError(f"forced failure {tag}")

    monkeypatch.setattr(services, "report_submit", broken)
    page.goto(reverse("report_public:intake", kwargs={"pemda": pemda_a.slug}))
    page.locator("input[name=category][value=bribery]").check()
    page.locator("textarea[name=what]").fill("Laporan yang gagal disimpan.")
    statuses: list[int] = []
    page.on("response", lambda r: "/lapor/" in r.url and statuses.append(r.status))
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_load_state()
    assert statuses[-1] == 500
    assert page.locator("h1").inner_text() == "Terjadi kesalahan"
    assert "Traceback" not in page.content() and tag not in page.content()
    # A refused post (4xx) on the public channel.
    page.context.clear_cookies()
    page.goto(reverse("report_public:login", kwargs={"pemda": pemda_a.slug}))
    page.context.clear_cookies()
    page.locator("input[name=receipt]").fill("1234 5678 9012 3456")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Formulir tidak dapat dikirim"

    for line in every_log.lines:
        assert "/lapor/" not in line and "/v/" not in line and tag not in line, line

    # 403 in English for a user without the right (the Pemda's audit log is not for pegawai).
    staff = new_context("en").new_page()
    log_in(staff, username=role_users["pegawai"].username, password=PASSWORD)
    response = staff.goto(reverse("audit:event_list", kwargs={"pemda": pemda_a.slug}))
    assert response is not None and response.status == 403
    assert staff.locator("h1").inner_text() == "Access denied"


# --- Bad input, and the canary typed in a browser -----------------------------------------------


def intake_page(new_context: Any, pemda: Any) -> Any:
    page = new_context().new_page()
    page.goto(reverse("report_public:intake", kwargs={"pemda": pemda.slug}))
    return page


def send(page: Any) -> int:
    intake = page.url
    with page.expect_response(lambda r: r.url == intake and r.request.method == "POST") as sent:
        page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_load_state()
    return int(sent.value.status)


def errors_on(page: Any) -> str:
    return " ".join(page.locator(".errorlist, [role=alert]").all_inner_texts())


def test_bad_input_is_refused_in_indonesian_and_keeps_what_was_typed(
    new_context: Any, pemda_a: Any, handler_a: Any, tmp_path: Path
) -> None:
    # Empty: the browser itself asks for the required fields (nothing is sent) ...
    page = intake_page(new_context, pemda_a)
    page.get_by_role("button", name="Kirim laporan").click()
    assert page.locator("input[name=category]:invalid").count() > 0
    # ... and with the browser's check bypassed, the server says the same in Indonesian.
    page.evaluate("document.querySelector('form.stack').noValidate = true")
    page.locator("textarea[name=who]").fill("Petugas loket")
    assert send(page) == 200
    assert "Bidang ini harus diisi." in errors_on(page)
    assert page.locator("textarea[name=who]").input_value() == "Petugas loket"

    # Too long: the browser stops at the limit; past it (typed by a script) the server refuses.
    assert page.locator("input[name=when]").get_attribute("maxlength") == "500"
    page.evaluate("document.querySelector('input[name=when]').removeAttribute('maxlength')")
    page.locator("input[name=category][value=bribery]").check()
    page.locator("textarea[name=what]").fill("Uraian kejadian yang cukup panjang.")
    page.locator("input[name=when]").fill("x" * 600)
    assert send(page) == 200
    assert "paling banyak 500 karakter" in errors_on(page)
    assert (
        page.locator("textarea[name=what]").input_value() == "Uraian kejadian yang cukup panjang."
    )

    # A file of a type that is not accepted.
    page.locator("input[name=when]").fill("Senin")
    program = tmp_path / "bukti.exe"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    page.locator("input[name=evidence]").set_input_files([str(program)])
    assert send(page) == 200
    assert "bukti.exe" in errors_on(page)
    assert (
        page.locator("textarea[name=what]").input_value() == "Uraian kejadian yang cukup panjang."
    )

    # A "PDF" that is not a PDF.
    fake = tmp_path / "kuitansi.pdf"
    fake.write_bytes(b"ini bukan PDF, hanya teks biasa")
    page.locator("input[name=evidence]").set_input_files([str(fake)])
    assert send(page) == 200
    assert "kuitansi.pdf" in errors_on(page)

    # A 30 MB file: stopped while it arrives, with a message, and the text is kept.
    big = tmp_path / "rekaman.mp4"
    big.write_bytes(b"\x00" * (30 * 1024 * 1024))
    page.locator("input[name=evidence]").set_input_files([str(big)])
    assert send(page) == 200
    assert "berukuran 30 MB; setiap berkas paling besar 10 MB" in errors_on(page)
    assert (
        page.locator("textarea[name=what]").input_value() == "Uraian kejadian yang cukup panjang."
    )
    assert not Report.objects.exists()

    # A script in every text field is kept as text, never run.
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    script = "<script>alert('x')</script><img src=x onerror=alert('y')>"
    for name in ("what", "who"):
        page.locator(f"textarea[name={name}]").fill(f"{script} {name}")
    for name in ("when", "where"):
        page.locator(f"input[name={name}]").fill(f"{script} {name}")
    page.locator("input[name=evidence]").set_input_files([])
    assert send(page) == 200
    receipt = page.locator("#receipt").inner_text()
    page.goto(reverse("report_public:login", kwargs={"pemda": pemda_a.slug}))
    page.locator("input[name=receipt]").fill(receipt)
    page.get_by_role("button", name="Buka").click()
    page.wait_for_load_state()
    assert f"{script} what" in page.locator("dl").inner_text()
    assert dialogs == []


def test_a_canary_typed_in_chromium_is_nowhere_on_the_server(
    new_context: Any, pemda_a: Any, handler_a: Any, tmp_path: Path, every_log: Capture
) -> None:
    from django.conf import settings

    from tests.reports.test_canary import _database_bytes, _files_bytes

    tag = uuid.uuid4().hex
    canaries = {
        "text": f"CanaryText{tag}",
        "who": f"CanaryWho{tag}",
        "where": f"CanaryWhere{tag}",
        "name": f"CanaryName{tag}",
        "file": f"CanaryFile{tag}",
        "file name": f"CanaryFileName{tag}",
    }
    attachment = tmp_path / f"{canaries['file name']}.txt"
    attachment.write_text(f"Catatan transfer {canaries['file']}")
    page = intake_page(new_context, pemda_a)
    page.locator("input[name=category][value=bribery]").check()
    page.locator("textarea[name=what]").fill(f"Kepala bidang meminta uang. {canaries['text']}")
    page.locator("textarea[name=who]").fill(canaries["who"])
    page.locator("input[name=where]").fill(canaries["where"])
    page.locator("input[name=evidence]").set_input_files([str(attachment)])
    page.locator("input[name=identity_mode][value=confidential]").check()
    page.locator("input[name=identity_name]").fill(canaries["name"])
    assert send(page) == 200
    assert page.locator("#receipt").is_visible()
    report = Report.objects.get()

    database = _database_bytes()
    documents = _files_bytes(Path(settings.MEDIA_ROOT))
    var_files = {
        path: data
        for path, data in _files_bytes(Path(settings.VAR_DIR)).items()
        if not path.startswith(str(Path(settings.MEDIA_ROOT)))
    }
    logs = "\n".join(every_log.lines).encode()
    assert report.reference.encode() in database  # the search works: clear text is found
    found = []
    for what, canary in canaries.items():
        needle = canary.encode()
        if needle in database:
            found.append(f"{what} in the database")
        found += [f"{what} in {path}" for path, data in documents.items() if needle in data]
        found += [f"{what} in {path}" for path, data in var_files.items() if needle in data]
        if needle in logs:
            found.append(f"{what} in the logs")
    assert not found, found
