"""Playwright fixtures: one Chromium per session, a fresh context and page per test.

The browser is the system Chromium at ``/usr/bin/chromium`` (installed by
``scripts/system-deps.sh``), not a Playwright download. Without it a test is skipped locally
with the reason given, and fails in CI (``CI=true``), where a skipped browser test would hide a
broken journey.

Playwright's sync API runs an event loop in the test thread, which makes Django refuse
database access from that thread ("You cannot call this from an async context"). The tests
only set up data there, never concurrently with the loop's callbacks, so the check is
switched off for this package.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """The system Chromium, driven by Playwright; skipped locally, failed in CI when missing."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install it with scripts/system-deps.sh."
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def ui_language() -> str | None:
    """The interface language chosen before the test starts (as if by the switch).

    ``None`` leaves the app's default, Indonesian. Override the fixture in a test module to
    pick another. The browser itself always asks for Indonesian (``Accept-Language``).
    """
    return None


@pytest.fixture
def browser_page(chromium: Any, live_server: Any, ui_language: str | None) -> Iterator[Any]:
    """A page in a fresh browser context whose relative URLs point at the live server."""
    from django.conf import settings

    context = chromium.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    if ui_language:
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": ui_language, "url": live_server.url}]
        )
    page = context.new_page()
    yield page
    context.close()


def log_in(page: Any, *, username: str, password: str) -> None:
    """Log in through the login form, as a person would."""
    from django.urls import reverse

    page.goto(reverse("accounts:login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()


def menu_open(page: Any, name: str) -> None:
    """Follow an entry of the main menu as a person does: open its group, then click the link
    (the menu is grouped in ``<details>``, so a closed group's links are hidden)."""
    nav = page.locator("nav.mainnav")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.count():  # hidden in a closed group: open the group that holds it
        group = nav.locator("details.menu-group").filter(has=page.locator(f"a:text-is('{name}')"))
        group.locator("summary").click()
    link.first.click()
