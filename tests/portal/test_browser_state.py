"""In Chromium, against a live server: an admin withdraws a pact issued by mistake; the pact,
the list of pacts and the public page then show it as withdrawn, with the time in the Pemda's
zone (WITA) and the reason. A screenshot of the list is written to ``PAKTA_SCREENSHOT_DIR``
when that variable is set."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from pakta.accounts.models import User
from pakta.core.zone import forget_zones
from pakta.org.models import Official, Pemda
from tests.browser.fixtures import log_in
from tests.conftest import PASSWORD
from tests.portal.conftest import sign_pact
from tests.portal.test_browser import in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITA_TIME = re.compile(r"\d{1,2} \w+ \d{4} \d{2}\.\d{2} WITA")


def test_an_admin_withdraws_a_pact_and_the_list_and_the_public_page_say_so(
    browser_page: Any,
    pemda_a: Pemda,
    official_a: Official,
    bupati: Official,
    superadmin: User,
    role_users: dict[str, User],
    settings: Any,
) -> None:
    settings.DEMO_MODE = True  # an admin must otherwise enrol TOTP before reaching any page
    pemda_a.timezone = "Asia/Makassar"
    pemda_a.save(update_fields=["timezone"])
    forget_zones()
    pact = in_thread(sign_pact, pemda_a, official_a, bupati, superadmin)
    page = browser_page
    log_in(page, username=role_users["admin"].username, password=PASSWORD)

    list_url = reverse("pacts:pact_list", kwargs={"pemda": "alfa"})
    page.goto(list_url)
    assert page.locator(".doc-state[data-state=current]").first.inner_text() == "Berlaku"

    page.goto(reverse("pacts:pact_detail", kwargs={"pemda": "alfa", "pk": pact.pk}))
    form = page.locator("form[action$='/withdraw/']")
    form.locator("input[name=reason]").fill("Diterbitkan untuk pejabat yang keliru")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    standing = page.locator("#standing").inner_text()
    assert "ditarik pada" in standing and WITA_TIME.search(standing), standing
    assert page.locator("form[action$='/withdraw/']").count() == 0  # nothing left to withdraw

    page.goto(list_url)
    state = page.locator(".doc-state[data-state=withdrawn]")
    assert state.is_visible()
    text = state.inner_text()
    assert "Ditarik" in text and "Diterbitkan untuk pejabat yang keliru" in text
    assert WITA_TIME.search(text), text
    if os.environ.get("PAKTA_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(os.environ["PAKTA_SCREENSHOT_DIR"]) / "pacts-withdrawn.png"))

    page.goto(f"/v/{pact.document.token}")
    public = page.locator("#standing").inner_text()
    assert "ditarik pada" in public and WITA_TIME.search(public)
    assert page.locator(".verdict.good").count() == 0
