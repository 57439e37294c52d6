"""The ceremony kiosk in Chromium on a touch tablet, against a live server.

An admin issues the one-time PINs, opens kiosk mode on the tablet (820x1180, portrait): the page
shows the signing flow and nothing else, fits the screen, and every other address leads back to
it. An official without an account signs with their PIN by touch; the kiosk thanks them and
returns to an empty form by itself; a half-filled form is emptied after a minute without input.
The same page is checked in landscape (1280x800, 1180x820) and portrait (800x1280). Screenshots
go to ``PAKTA_SCREENSHOT_DIR`` (the temporary directory by default).
"""

from __future__ import annotations

import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from pakta.accounts.models import User
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts.models import Pact
from tests.browser.fixtures import TIMEOUT_MS, log_in
from tests.conftest import PASSWORD
from tests.pacts.event_world import build_event_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(os.environ.get("PAKTA_SCREENSHOT_DIR", tempfile.gettempdir()))
JOKO = "198105052006041005"
SIZES = [(820, 1180), (1180, 820), (1280, 800), (800, 1280)]


def _status(event: Any) -> str:
    return str(Pact.objects.get(event=event, official__nip=JOKO).status)


def _fits(page: Any) -> None:
    """No horizontal scrolling, no menu, and a sign button big enough for a finger."""
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= page.viewport_size["width"], (width, page.viewport_size)
    assert page.locator("nav.mainnav").count() == 0
    box = page.locator("button.kiosk-sign").bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 200, box


def test_an_official_without_an_account_signs_by_touch_at_the_kiosk(
    chromium: Any,
    live_server: Any,
    pemda_a: Pemda,
    official_a: Official,
    unit_a: Unit,
    superadmin: User,
    role_users: dict[str, User],
    settings: Any,
) -> None:
    settings.DEMO_MODE = True  # an admin must otherwise enrol TOTP before reaching any page
    # Signing (pyHanko) runs its own event loop: not in this thread, where Playwright's runs.
    with ThreadPoolExecutor(1) as pool:
        world = pool.submit(build_event_world, pemda_a, official_a, unit_a, superadmin).result()
    event = world.event
    context = chromium.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": 820, "height": 1180},
        has_touch=True,
        is_mobile=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        log_in(page, username=role_users["admin"].username, password=PASSWORD)
        page.goto(reverse("pacts:event_kiosk", kwargs={"pemda": pemda_a.slug, "pk": event.pk}))
        page.get_by_role("button", name="Terbitkan PIN dan cetak daftar undangan").tap()
        page.wait_for_load_state()
        row = page.locator("#pin-list tr", has_text="Joko Susilo")
        pin = row.locator("code.pin").inner_text()
        assert re.fullmatch(r"\d{6}", pin)
        page.go_back()
        page.wait_for_load_state()
        kiosk_url = live_server.url + reverse("kiosk:home")
        page.locator("#open-kiosk").tap()
        page.wait_for_url(kiosk_url)

        assert page.locator("h1").inner_text() == event.title
        _fits(page)
        page.screenshot(path=str(SCREENSHOT / "kiosk-820x1180.png"), full_page=True)

        # Nothing else is reachable from this tablet.
        page.goto(event.get_absolute_url())
        assert page.url == kiosk_url
        page.goto(reverse("audit:event_list", kwargs={"pemda": pemda_a.slug}))
        assert page.url == kiosk_url

        # A wrong PIN: a clear message, nothing signed.
        page.locator("input[name=nip]").fill(JOKO)
        page.locator("input[name=secret]").fill("000000" if pin != "000000" else "111111")
        page.locator("input[name=agree]").tap()
        page.locator("button.kiosk-sign").tap()
        page.wait_for_load_state()
        assert "NIP atau konfirmasi salah" in page.locator("#kiosk-errors").inner_text()
        assert _status(event) == "pending"

        page.locator("input[name=nip]").fill(JOKO)
        page.locator("input[name=secret]").fill(pin)
        if not page.locator("input[name=agree]").is_checked():
            page.locator("input[name=agree]").tap()
        assert page.locator("input[name=agree]").is_checked()
        page.screenshot(path=str(SCREENSHOT / "kiosk-820x1180-filled.png"))
        page.locator("button.kiosk-sign").tap()
        page.wait_for_url(re.compile(r"/kiosk/selesai/$"))
        assert "Joko Susilo" in page.locator("#kiosk-signed").inner_text()
        page.screenshot(path=str(SCREENSHOT / "kiosk-820x1180-done.png"))
        assert _status(event) == "signed"
        # Back to an empty form for the next signer, by itself.
        page.wait_for_url(kiosk_url, timeout=15_000)
        assert page.locator("input[name=nip]").input_value() == ""

        # A half-filled form is emptied after a minute without input.
        page.clock.install()
        page.reload()
        page.locator("input[name=nip]").fill("1980")
        page.clock.fast_forward("01:05")
        page.wait_for_load_state()
        page.wait_for_function("document.querySelector('input[name=nip]').value === ''")

        for width, height in SIZES[1:]:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(reverse("kiosk:home"))
            _fits(page)
            page.screenshot(path=str(SCREENSHOT / f"kiosk-{width}x{height}.png"), full_page=True)
    finally:
        context.close()
