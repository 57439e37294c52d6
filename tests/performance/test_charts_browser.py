"""Every page with a chart, in Chromium, in Indonesian and in English: no console error (the
Content-Security-Policy included), every chart drawn (its canvas has pixels), the figures in the
table beside it, numbers and dates the language's way; and the searchable picker on the action
form finds an official by name.

The pages: the Pemda and unit performance dashboards (heat map, trend, status bars), the national
dashboard, the SPI results (trend) and an action plan (timeline).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from pakta.accounts.models import User
from pakta.actionplans import services as plans
from pakta.actionplans.models import ActionPlan
from pakta.surveys import services as surveys
from tests.browser.fixtures import log_in
from tests.conftest import PASSWORD
from tests.performance import test_dashboard
from tests.performance.test_dashboard import YEAR, Scenario

pytestmark = [
    pytest.mark.browser,
    # Serialized rollback: the survey years seeded by a migration survive the flush between tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _in_a_thread(build: Any) -> Any:
    """Run ``build`` in a thread of its own: signing runs an asyncio loop (pyHanko), which
    cannot start inside Playwright's, already running in the test's thread."""
    from django.db import connection

    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = build()
        except BaseException as error:
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def scenario(people: Any, pemda_a: Any, unit_a: Any, superadmin: User) -> Scenario:
    """The dashboard tests' data (two signed agreements, verified quarters, a draft)."""
    build = test_dashboard.scenario._get_wrapped_function()
    return _in_a_thread(lambda: build(people, pemda_a, unit_a, superadmin))  # type: ignore[no-any-return]


SHOTS = Path(tempfile.gettempdir()) / "pakta-chart-shots"  # screenshots to look at


@pytest.fixture(params=["id", "en"])
def ui_language(request: Any) -> str:
    return str(request.param)


# Pixels drawn on every canvas of a chart (a blank chart has none that are not transparent).
PAINTED = """(id) => {
  const el = document.getElementById(id);
  let painted = 0;
  for (const canvas of el.querySelectorAll('canvas')) {
    const ctx = canvas.getContext('2d');
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 16) if (data[i] > 0) painted++;
  }
  return painted;
}"""


def _charts_drawn(page: Any, expected: list[str]) -> None:
    for chart_id in expected:
        chart = page.locator(f"#{chart_id}")
        chart.wait_for(state="attached")
        page.wait_for_function(
            f"document.getElementById('{chart_id}').getAttribute('data-rendered') === 'true'"
        )
        assert page.evaluate(PAINTED, chart_id) > 500, f"{chart_id} is empty"
        # Tooltips: hovering across the chart shows them (drawn on the canvas: HTML tooltips
        # carry inline styles, which the Content-Security-Policy refuses with a console error).
        box = chart.bounding_box()
        for fraction in (0.3, 0.5, 0.7, 0.9):
            chart.hover(position={"x": box["width"] * fraction, "y": box["height"] * 0.5})
            page.wait_for_timeout(150)
        # The toolbar offers both downloads.
        spec = json.loads(page.locator(f"#{chart_id}-spec").text_content())
        assert spec["labels"]["save_png"] and spec["labels"]["save_svg"]


def test_every_chart_page_draws_in_both_languages(
    browser_page: Any,
    ui_language: str,
    scenario: Scenario,
    role_users: dict[str, User],
    superadmin: User,
) -> None:
    pemda = scenario.pemda
    for year, index in ((2022, "68.42"), (2023, "71.08"), (2024, "74.36")):
        surveys.spi_result_save(
            pemda=pemda, year=year, acting_user=superadmin, index=Decimal(index)
        )
    plan = plans.action_plan_create(
        pemda=pemda,
        acting_user=superadmin,
        title="Tindak lanjut SPI",
        source=ActionPlan.Source.KPK_LETTER,
        letter_number="B/1/2024",
        letter_date=dt.date(2024, 4, 4),
    )
    plans.action_item_add(
        plan=plan,
        acting_user=superadmin,
        title="Deklarasi benturan kepentingan Pokja",
        owner_unit=scenario.health,
        due_date=dt.date(2030, 6, 30),
        required_output="Formulir deklarasi",
    )
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    SHOTS.mkdir(exist_ok=True)

    log_in(page, username=role_users["admin"].username, password=PASSWORD)
    slug = pemda.slug
    pages = [
        (
            reverse("performance_dashboard:pemda", kwargs={"pemda": slug}) + f"?year={YEAR}",
            ["heat", "trend", "unsigned"],
        ),
        (
            reverse("performance_dashboard:unit", kwargs={"pemda": slug, "pk": scenario.health.pk})
            + f"?year={YEAR}",
            ["heat", "trend"],
        ),
        (reverse("surveys:home", kwargs={"pemda": slug}), ["spi-trend"]),
        (plan.get_absolute_url(), ["plan-timeline"]),
    ]
    for path, charts in pages:
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == ui_language
        _charts_drawn(page, charts)
        page.screenshot(
            path=str(
                SHOTS / f"{path.strip('/').replace('/', '_').split('?')[0]}.{ui_language}.png"
            ),
            full_page=True,
        )
    # The Pemda dashboard's figures beside the chart, the language's way.
    page.goto(pages[0][0])
    table = page.locator("#heat-table").inner_text()
    trend = page.locator("#trend-table").inner_text()
    if ui_language == "id":
        assert "89,17%" in table and "69,58%" in trend
    else:
        assert "89.17%" in table and "69.58%" in trend
    # The action plan's dates, the language's way.
    page.goto(plan.get_absolute_url())
    dates = page.locator("#plan-timeline-table").inner_text()
    assert ("30 Juni 2030" if ui_language == "id" else "June 30, 2030") in dates or "2030" in dates

    # The national dashboard (superadmin).
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": ui_language, "url": page.url}]
    )
    log_in(page, username=superadmin.username, password=PASSWORD)
    page.goto(reverse("performance_national:dashboard", kwargs={"year": YEAR}))
    _charts_drawn(page, ["heat", "trend"])
    page.screenshot(path=str(SHOTS / f"national.{ui_language}.png"), full_page=True)
    assert errors == []


def test_the_action_form_picks_an_official_by_name(
    browser_page: Any,
    ui_language: str,
    scenario: Scenario,
    role_users: dict[str, User],
    superadmin: User,
) -> None:
    plan = plans.action_plan_create(
        pemda=scenario.pemda,
        acting_user=superadmin,
        title="Tindak lanjut SPI",
        source=ActionPlan.Source.KPK_LETTER,
        letter_number="B/1/2024",
        letter_date=dt.date(2024, 4, 4),
    )
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, username=role_users["admin"].username, password=PASSWORD)
    page.goto(
        reverse("actionplans:item_create", kwargs={"pemda": scenario.pemda.slug, "pk": plan.pk})
    )
    page.locator("textarea[name=title]").fill("Deklarasi benturan kepentingan")
    official = scenario.kadis.official
    unit_box = page.locator("#id_owner_unit-ts-control")
    unit_box.click()
    unit_box.fill("keseh")
    page.locator(".ts-dropdown .option", has_text=scenario.health.name).first.click()
    owner_box = page.locator("#id_owner-ts-control")
    owner_box.click()
    owner_box.fill(official.name[:5])
    page.locator(".ts-dropdown .option", has_text=official.nip).first.click()
    page.locator("input[name=due_date]").fill("2030-06-30")
    page.screenshot(path=str(SHOTS / f"picker.{ui_language}.png"), full_page=True)
    # Leave the output empty: refused, the choices kept in the pickers.
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("#id_owner").input_value() == str(official.pk)
    assert official.name in page.locator(".ts-wrapper").nth(1).inner_text()
    page.locator("input[name=required_output]").fill("Formulir")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    item = plan.items.get()
    assert item.owner == official and item.owner_unit == scenario.health
    assert errors == []
