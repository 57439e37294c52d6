"""Indonesian by default; the switch in the top bar changes the interface to English and back."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADING = "Log in to Pakta"


def test_language_switch_changes_the_interface_between_indonesian_and_english(
    browser_page: Any,
) -> None:
    page = browser_page
    with translation.override("id"):
        heading_id = translation.gettext(HEADING)
    # The catalogue must translate the heading, or the switch would have nothing to show.
    assert heading_id != HEADING

    page.goto(reverse("accounts:login"))
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == heading_id

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == HEADING
    # The choice sticks: the next page is English too.
    page.goto(reverse("accounts:password_reset"))
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"
    page.goto(reverse("accounts:login"))
    assert page.locator("h1").inner_text() == heading_id
    assert page.get_by_role("button", name="English").is_visible()
