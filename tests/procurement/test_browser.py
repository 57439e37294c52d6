"""In Chromium against a live server: an Inspektorat officer uploads a JSON Lines file of OCDS
compiled releases, sees the import finish, opens the riskiest package and reads its red flags
explained, in Indonesian (the default) and then in English. Screenshots go to
$PAKTA_SCREENSHOT_DIR (default: the temporary directory)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from pakta.accounts.models import User
from pakta.org.models import Pemda
from tests.browser.fixtures import log_in
from tests.conftest import PASSWORD
from tests.procurement.ocds_samples import compiled, jsonl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("PAKTA_SCREENSHOT_DIR", tempfile.gettempdir()))


def test_upload_jsonl_and_read_a_packages_flags(
    browser_page: Any, pemda_a: Pemda, unit_a: Any, role_users: dict[str, User], settings: Any
) -> None:
    settings.DEMO_MODE = True  # no TOTP enrolment before reaching the pages
    page = browser_page
    log_in(page, username=role_users["inspektorat"].username, password=PASSWORD)
    page.goto(f"/p/{pemda_a.slug}/procurement/imports/")
    content = jsonl(
        compiled("ocds-b5fd17-0001", tenderers=1, title="Pengadaan alat kesehatan puskesmas"),
        *(compiled(f"ocds-b5fd17-01{i:02d}", end="2024-03-30T08:00:00+07:00") for i in range(4)),
    )
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "tender-2024.jsonl", "mimeType": "application/x-ndjson", "buffer": content}
    )
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_load_state()
    assert page.locator("#import-status").inner_text() == "Selesai"
    assert "Paket dibuat: 5" in page.content()
    page.screenshot(path=str(SHOTS / "procurement-import-id.png"), full_page=True)

    page.get_by_role("link", name="Lihat tanda bahaya").click()
    page.get_by_role("link", name="Pengadaan alat kesehatan puskesmas").first.click()
    flags = page.locator("#flags").inner_text()
    assert "Hanya satu penawaran masuk pada tender terbuka." in flags
    assert "Masa pemasukan penawaran kurang dari 15 hari" in flags
    assert "Rp950.000.000" in page.locator("#bids").inner_text()
    page.screenshot(path=str(SHOTS / "procurement-package-id.png"), full_page=True)

    # The language switch: the same page in English.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": page.url}]
    )
    page.reload()
    flags = page.locator("#flags").inner_text()
    assert "Only one bid was received in an open tender." in flags
    assert "R018 · Single bid received" in flags
    page.screenshot(path=str(SHOTS / "procurement-package-en.png"), full_page=True)
