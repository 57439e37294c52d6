"""In Chromium against a live server, in Indonesian and in English: an employee files a
gratification report (first with a value of zero, refused next to the field with the typed values
kept), sees the live rule check, and the UPG verifies the report as complete."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from pakta.gratification.models import GratificationReport
from tests.browser.fixtures import log_in, menu_open
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("PAKTA_SCREENSHOT_DIR", tempfile.gettempdir()))

TEXT = {
    "id": {
        "menu": "Gratifikasi",
        "new": "Laporkan gratifikasi",
        "must": "Wajib dilaporkan",
        "exempt": "Dapat dikecualikan",
        "zero": "Perkiraan nilai harus lebih dari Rp0.",
        "file": "Sampaikan laporan",
        "filed": "sudah disampaikan ke UPG",
        "queue": "Antrean UPG",
        "verify": "Nyatakan lengkap",
        "analysis": "Analisis UPG",
    },
    "en": {
        "menu": "Gratification",
        "new": "Report a gift",
        "must": "Must be reported",
        "exempt": "May be exempt",
        "zero": "The estimated value must be more than Rp0.",
        "file": "File the report",
        "filed": "has been filed with the UPG",
        "queue": "UPG queue",
        "verify": "Verify as complete",
        "analysis": "UPG analysis",
    },
}


@pytest.fixture(params=["id", "en"])
def ui_language(request: Any) -> str:
    return str(request.param)


def test_employee_files_and_upg_verifies(
    browser_page: Any, ui_language: str, pemda_a: Any, reporter: Any, upg: Any, settings: Any
) -> None:
    settings.DEMO_MODE = True  # the UPG must otherwise enrol TOTP before reaching any page
    text, page = TEXT[ui_language], browser_page
    received = (dt.date.today() - dt.timedelta(days=3)).isoformat()

    log_in(page, username=reporter.username, password=PASSWORD)
    page.goto(reverse("org:pemda_home", kwargs={"pemda": pemda_a.slug}))
    menu_open(page, text["menu"])
    page.locator(".subnav").get_by_role("link", name=text["new"]).click()
    page.locator("input[name=type][value=received]").check()
    page.fill("input[name=giver_name]", "Paman Darto")
    page.select_option("select[name=relationship]", "family")
    page.fill("input[name=occasion]", "Pernikahan anak")
    page.select_option("select[name=exempt_category]", "ceremony")
    page.fill("input[name=received_on]", received)
    page.fill("input[name=place]", "Gedung serbaguna")
    page.select_option("select[name=kind]", "money")
    page.fill("input[name=description]", "Amplop")
    page.fill("input[name=value]", "1200000")
    page.locator("input[name=value]").dispatch_event("change")
    page.locator("#assessment strong").wait_for()
    assert text["exempt"] in page.locator("#assessment").inner_text()
    assert "Perkom KPK 1/2026" in page.locator("#assessment").inner_text()
    page.fill("input[name=value]", "0")
    page.fill("textarea[name=chronology]", "Diterima saat resepsi.")
    page.locator("input[type=file][name=evidence]").set_input_files(
        {"name": "foto.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    with page.expect_navigation():  # the form again, with its errors
        page.get_by_role("button", name=text["file"]).click()
    field = page.locator(".field", has=page.locator("input[name=value]"))
    assert text["zero"] in field.inner_text()
    assert page.locator("input[name=giver_name]").input_value() == "Paman Darto"
    page.screenshot(
        path=str(SCREENSHOTS / f"gratification-form-error-{ui_language}.png"), full_page=True
    )
    assert not GratificationReport.objects.exists()

    page.fill("input[name=value]", "2500000")
    page.locator("input[type=file][name=evidence]").set_input_files(
        {"name": "foto.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    with page.expect_navigation():  # the detail page, after the redirect (not the form again)
        page.get_by_role("button", name=text["file"]).click()
    page.get_by_text(text["filed"]).first.wait_for()
    report = GratificationReport.objects.get()
    assert report.assessment == "must_report" and report.value == 2_500_000
    page.screenshot(
        path=str(SCREENSHOTS / f"gratification-detail-{ui_language}.png"), full_page=True
    )

    page.context.clear_cookies()
    log_in(page, username=upg.username, password=PASSWORD)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": ui_language, "url": page.url}]
    )
    page.goto(reverse("gratification:queue", kwargs={"pemda": pemda_a.slug}))
    assert page.locator("h1").inner_text() == text["queue"]
    page.screenshot(
        path=str(SCREENSHOTS / f"gratification-queue-{ui_language}.png"), full_page=True
    )
    page.get_by_role("link", name=report.number).click()
    page.get_by_role("button", name=text["verify"]).click()
    page.wait_for_load_state()
    assert text["analysis"] in page.locator("main").inner_text()
    page.screenshot(path=str(SCREENSHOTS / f"gratification-upg-{ui_language}.png"), full_page=True)
    report.refresh_from_db()
    assert report.status == GratificationReport.Status.ANALYSIS
