"""The verification page in Chromium: what a person scanning the QR code sees.

The page loads nothing from another host and breaks no rule of the content security policy
(a violation shows as a console error). A screenshot is written to ``PAKTA_SCREENSHOT_DIR``
when that variable is set, for looking at the page.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from pakta.accounts.models import User
from pakta.org.models import Official, Pemda
from tests.portal.conftest import sign_pact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_thread(function: Any, *args: Any) -> Any:
    """Run ``function`` in another thread: pyHanko signs with ``asyncio.run``, which cannot run
    inside the event loop Playwright keeps in the test's thread."""
    from django.db import connection

    def run() -> Any:
        try:
            return function(*args)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def test_verification_page_in_a_browser(
    browser_page: Any,
    live_server: Any,
    pemda_a: Pemda,
    official_a: Official,
    bupati: Official,
    superadmin: User,
    tmp_path: Path,
) -> None:
    signed_pact = in_thread(sign_pact, pemda_a, official_a, bupati, superadmin)
    page = browser_page
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    failed: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))

    document = signed_pact.document
    page.goto(f"/v/{document.token}")
    assert page.locator("h1").inner_text() == document.title
    assert page.locator(".verdict.good").is_visible()
    assert page.locator(".badge.status-valid").count() == 2
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "Hadi Santoso, S.E." in rows.nth(0).inner_text()
    assert "Bambang Wijaya" in rows.nth(1).inner_text()
    assert page.locator("code.hash").inner_text() == document.pdf.sha256

    shot_dir = Path(os.environ.get("PAKTA_SCREENSHOT_DIR", tmp_path))
    shot_dir.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot_dir / "verify-document.png"), full_page=True)

    # Typing the code on /v/ leads to the same page.
    page.goto("/v/")
    page.locator("input[name=code]").fill(document.short_code_display.lower())
    page.locator("form[method=get] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/v/{document.token}")

    assert all(url.startswith(live_server.url) for url in requests), requests
    # The browser asks for /favicon.ico on its own; nothing else may fail.
    assert all(url.endswith("/favicon.ico") for url in failed), failed
    assert len([e for e in errors if not e.startswith("Failed to load resource")]) == 0, errors
