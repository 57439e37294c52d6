"""In a real browser, in Indonesian and in English: an official fills in a declaration (a bad NIK
is refused next to its field), signs and submits it; the Inspektorat opens the finding the
screening raised and dismisses it with a reason. Screenshots go to $PAKTA_SCREENSHOT_DIR."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from pakta.conflicts import services
from pakta.conflicts.models import Finding, KnownFalsePositive, StandingDeclaration
from tests.browser.fixtures import log_in
from tests.conflicts.conftest import _package
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("PAKTA_SCREENSHOT_DIR", tempfile.gettempdir()))


@pytest.fixture(params=["id", "en"])
def ui_language(request: Any) -> str:
    return str(request.param)


def test_declaration_is_filled_signed_and_its_finding_reviewed(
    browser_page: Any,
    live_server: Any,
    people: dict[str, Any],
    pemda_a: Any,
    unit_a: Any,
    ui_language: str,
    settings: Any,
) -> None:
    settings.DEMO_MODE = True  # the Inspektorat would otherwise enrol TOTP first
    page = browser_page

    def t(text: str) -> str:
        with translation.override(ui_language):
            return translation.gettext(text)

    # Budi sits on a package whose tenderer is directed by his sister.
    decision, _member, _tenderer = _package(people, unit_a, pemda_a)

    log_in(page, username="budi", password=PASSWORD)
    page.goto(reverse("conflicts:home", kwargs={"pemda": pemda_a.slug}))
    assert page.locator("h1").inner_text() == t("My declarations of interests")
    page.get_by_role("button", name=t("Fill in a declaration")).click()
    page.wait_for_load_state()
    page.get_by_role("link", name=t("Add a family member")).first.click()
    page.get_by_label(t("Relation")).select_option("sibling")
    page.get_by_label(t("Name")).fill("Rina Siregar")
    page.get_by_label(t("NIK")).fill("1271019913880003")  # 99 is no day
    page.get_by_label(t("Birth date")).fill("1988-07-09")
    page.get_by_role("button", name=t("Save")).click()
    page.wait_for_load_state()
    error = page.locator(".errorlist").first.inner_text()
    assert error == t("The NIK's date part (digits 7 to 12) is not a possible birth date.")
    assert page.get_by_label(t("Name")).input_value() == "Rina Siregar"
    page.screenshot(path=str(SHOTS / f"coi-bad-nik-{ui_language}.png"), full_page=True)
    page.get_by_label(t("NIK")).fill("1271014907880003")
    page.get_by_role("button", name=t("Save")).click()
    page.wait_for_load_state()
    assert "Rina Siregar" in page.locator("main").inner_text()
    for _ in range(3):
        page.get_by_role("button", name=t("I have none to declare")).first.click()
        page.wait_for_load_state()
    page.get_by_label(t("Your password (to sign)")).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign and submit")).last.click()
    page.wait_for_load_state()
    assert t("Your declaration has been signed and submitted.") in page.locator("body").inner_text()
    page.screenshot(path=str(SHOTS / f"coi-submitted-{ui_language}.png"), full_page=True)
    declaration = StandingDeclaration.objects.get(official=people["budi"])
    assert declaration.status == "submitted" and declaration.document.signatures.count() == 1
    finding = Finding.objects.get(kind="relative_tenderer")

    # The Inspektorat reviews it, in a browser context of their own (same language).
    from django.conf import settings as django_settings

    context = page.context.browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900}
    )
    context.add_cookies(
        [
            {
                "name": django_settings.LANGUAGE_COOKIE_NAME,
                "value": ui_language,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    log_in(page, username="insp-coi", password=PASSWORD)
    page.goto(reverse("conflicts:queue", kwargs={"pemda": pemda_a.slug}))
    assert page.locator("h1").inner_text() == t("Review queue of the Inspektorat")
    assert "Rina Siregar" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / f"coi-queue-{ui_language}.png"), full_page=True)
    page.get_by_role("link", name=t("Relative owns or directs a tenderer")).first.click()
    page.wait_for_load_state()
    assert "tanggal lahir sama" in page.locator("main").inner_text()
    page.get_by_label(t("Dismiss (false positive)")).check()
    page.get_by_label(t("Reason")).fill("Sudah dinyatakan; Budi diganti pada paket ini.")
    page.screenshot(path=str(SHOTS / f"coi-finding-{ui_language}.png"), full_page=True)
    page.get_by_role("button", name=t("Record my review")).click()
    page.wait_for_load_state()
    assert t("Your review has been recorded.") in page.locator("body").inner_text()
    finding.refresh_from_db()
    assert finding.status == "dismissed"
    assert KnownFalsePositive.objects.filter(pair_key=finding.pair_key).exists()
    services.screen_decision(decision=decision, acting_user=people["admin"])
    assert Finding.objects.filter(kind="relative_tenderer").count() == 1
    context.close()
