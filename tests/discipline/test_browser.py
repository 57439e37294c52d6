"""In Chromium against a live server, in Indonesian and in English: the Inspektorat opens a case
through the form (a wrong clause is answered next to the field first), then the Kepala Dinas,
as direct superior, decides and signs a light sanction; the case page shows it.
Screenshots go to PAKTA_SCREENSHOT_DIR (or the test's tmp dir)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pakta.discipline.models import DisciplineCase, Provision, Sanction
from tests.browser.fixtures import log_in
from tests.conftest import PASSWORD
from tests.discipline.conftest import in_thread, make_world
from tests.discipline.test_procedure import _examine, _sign_bap
from tests.portal.test_browser_check import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "id": {
        "save": "Simpan",
        "clause_error": "Pakta Integritas memuat butir 1 sampai 7.",
        "opened": "Perkara telah dibuka; atasan langsung sudah diberi tahu.",
        "decide": "Putuskan dan tandatangani hukuman",
        "signed": "Keputusan telah ditandatangani.",
        "sanction": "Teguran tertulis",
        "wrong_level": "adalah hukuman tingkat Sedang",
    },
    "en": {
        "save": "Save",
        "clause_error": "The pact has clauses 1 to 7.",
        "opened": "The case has been opened; the direct superior is notified.",
        "decide": "Decide and sign the sanction",
        "signed": "The decision has been signed.",
        "sanction": "Written reprimand (teguran tertulis)",
        "wrong_level": "is a sanction of the level Medium",
    },
}


@pytest.fixture(params=["id", "en"])
def ui_language(request: Any) -> str:
    return str(request.param)


@pytest.fixture
def bworld(pemda_a: Any, unit_a: Any, official_a: Any, superadmin: Any) -> Any:
    return in_thread(make_world, pemda_a, unit_a, official_a, superadmin)


def test_open_a_case_and_record_a_decision(
    browser_page: Any, live_server: Any, bworld: Any, ui_language: str, tmp_path: Path
) -> None:
    world = bworld
    text = TEXT[ui_language]
    page = browser_page
    log_in(page, username=world.users["auditor"].username, password=PASSWORD)
    page.goto(reverse("discipline:case_create", kwargs={"pemda": "alfa"}))
    page.locator("select[name=official]").select_option(str(world.staff.pk))
    day = timezone.localdate() - dt.timedelta(days=2)
    page.locator("input[name=incident_date]").fill(day.isoformat())
    page.locator("select[name=level]").select_option("ringan")
    for code in ("5k", "5l"):
        pk = Provision.objects.get(code=code).pk
        page.locator(f"input[name=provisions][value='{pk}']").check()
    page.locator("input[name=pact_clause]").fill("9")
    page.locator("textarea[name=summary]").fill("Meminta uang pelicin Rp2.000.000 kepada penyedia.")
    page.get_by_role("button", name=text["save"]).click()
    page.wait_for_load_state()
    field = page.locator(".field.has-error")
    assert text["clause_error"] in field.inner_text()
    assert page.locator("textarea[name=summary]").input_value().startswith("Meminta uang pelicin")
    screenshot(page, tmp_path, f"discipline-open-error-{ui_language}")
    assert not DisciplineCase.objects.exists()

    page.locator("input[name=pact_clause]").fill("2")
    page.get_by_role("button", name=text["save"]).click()
    page.wait_for_load_state()
    case = DisciplineCase.objects.get()
    assert page.url.endswith(case.get_absolute_url())
    assert text["opened"] in page.content()
    assert case.number in page.locator("h1").inner_text()
    screenshot(page, tmp_path, f"discipline-case-{ui_language}")

    # Summoned, examined and the BAP signed (service tests cover these forms' services).
    case = _examine(world, case)
    in_thread(_sign_bap, world, case, world.users["head"])

    superior = page.context.browser.new_context(base_url=live_server.url, locale="id-ID")
    if ui_language == "en":
        superior.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    head = superior.new_page()
    log_in(head, username=world.users["head"].username, password=PASSWORD)
    head.goto(case.get_absolute_url())
    head.get_by_role("link", name=text["decide"]).click()
    head.wait_for_load_state()
    decided = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    head.locator("select[name=authority]").select_option("direct_superior")
    head.locator("select[name=sanction_type]").select_option("tpp_25_6")  # wrong level first
    head.locator("input[name=decision_number]").fill("800/15/DINKES/2026")
    head.locator("input[name=decision_date]").fill(decided)
    head.locator("input[name=start_date]").fill(decided)
    head.locator("textarea[name=reason]").fill("Menerima hadiah yang berhubungan dengan jabatan.")
    head.locator("input[name=credential]").fill(PASSWORD)
    head.get_by_role("button", name=text["save"]).click()
    head.wait_for_load_state()
    assert text["wrong_level"] in head.locator(".field.has-error").inner_text()
    assert head.locator("input[name=decision_number]").input_value() == "800/15/DINKES/2026"
    assert not Sanction.objects.exists()
    screenshot(head, tmp_path, f"discipline-decide-error-{ui_language}")

    head.locator("select[name=sanction_type]").select_option("teguran_tertulis")
    head.locator("input[name=credential]").fill(PASSWORD)
    head.get_by_role("button", name=text["save"]).click()
    head.wait_for_load_state()
    assert text["signed"] in head.content()
    sanction_box = head.locator("#sanction").inner_text()
    assert text["sanction"] in sanction_box and "800/15/DINKES/2026" in sanction_box
    screenshot(head, tmp_path, f"discipline-decided-{ui_language}")
    sanction = Sanction.objects.get()
    assert sanction.document is not None and sanction.document.signatures.count() == 1
    superior.close()
