"""The internal survey answered in Chromium, through the link an official receives by e-mail.

The browser sends the form itself, so this fails if the answer is refused (the CSRF check once
refused it: the page sent ``Referrer-Policy: no-referrer`` and Chromium then sent
``Origin: null``). ``Traffic`` (see tests/portal/test_browser_check.py) checks that nothing
goes to another host, that every public response says ``no-store`` and ``same-origin`` and
that every form post carries the page's real origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from pakta.accounts.models import User
from pakta.org.models import Pemda
from pakta.surveys import services
from pakta.surveys.models import SurveyResponse
from tests.portal.test_browser_check import Traffic, screenshot
from tests.surveys.test_internal import _open_survey, _staff, _tokens_from_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_language(page: Any, button: str) -> Any:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button).click()
    return navigation.value


def test_survey_answered_in_a_browser_once(
    browser_page: Any, live_server: Any, pemda_a: Pemda, superadmin: User, tmp_path: Path
) -> None:
    _staff(pemda_a, superadmin, "Dinas Satu", 1, 1)
    survey = _open_survey(pemda_a, superadmin)
    services.survey_invite(survey=survey, acting_user=superadmin)
    (token,) = _tokens_from_mail()
    address = f"/survei/{token}/"
    page = browser_page
    traffic = Traffic(page)

    response = page.goto(address)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Survei Integritas Internal 2024"
    intro = (
        "Untuk setiap pernyataan pilih dari 1 (sangat tidak setuju) sampai 5 (sangat setuju). "
        "Anda boleh tidak menjawab suatu pernyataan."
    )
    assert page.get_by_text(intro).is_visible()
    statements = page.locator("form.stacked fieldset")
    assert statements.count() == 14

    # The switch brings the same page back in English, and back in Indonesian; the link still
    # works (looking at it uses nothing up).
    response = switch_language(page, "English")
    assert response.status == 200
    assert urlsplit(page.url).path == address
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text(
        "For each statement choose from 1 (strongly disagree) to 5 (strongly agree)."
    ).is_visible()
    assert page.get_by_role("button", name="Send my answers").is_visible()
    response = switch_language(page, "Bahasa Indonesia")
    assert response.status == 200
    assert urlsplit(page.url).path == address
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_text(intro).is_visible()
    assert not SurveyResponse.objects.exists()

    # Three statements answered, the others left open.
    for position, value in ((1, 4), (2, 2), (11, 5)):
        page.locator(f"input[type=radio][name=q{position}][value='{value}']").check()
    screenshot(page, tmp_path, "survey-form")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Kirim jawaban saya").click()
    thanks = navigation.value
    assert thanks.request.method == "POST"
    assert thanks.status == 200
    assert thanks.all_headers()["cache-control"] == "no-store"
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Terima kasih"
    assert page.get_by_text(
        "Jawaban Anda telah disimpan secara anonim. Tautan ini tidak berlaku lagi."
    ).is_visible()
    screenshot(page, tmp_path, "survey-thanks")
    # What was clicked is what was stored: one digit per statement, 0 for none.
    assert SurveyResponse.objects.get().answers == "42" + "0" * 8 + "5" + "000"

    # The same link again: used, said in Indonesian, with 410 Gone.
    used = page.goto(address)
    assert used.status == 410
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("main p").inner_text() == (
        "Tautan survei ini sudah digunakan, atau survei sudah ditutup."
    )
    assert page.locator("form.stacked").count() == 0
    screenshot(page, tmp_path, "survey-used")
    assert SurveyResponse.objects.count() == 1

    assert len(traffic.posts()) == 3  # two language switches and the answers
    traffic.check(live_server.url)
