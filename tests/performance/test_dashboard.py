"""The performance dashboards: the heat map of achievement by unit and quarter, the trend, the
indicators below target and the agreements not yet signed, as a user sees them; the XLSX exports;
the Kepala OPD's unit scope; query counts that do not grow with the data.

The scenario goes through the services: two OPD heads sign their agreements (two indicators
each, from ``fill``), report realizations that their superior (the bupati) verifies, and a head of
division keeps a draft past its due date.

    Dinas Kesehatan (unit_a), kadis:   TW I  indicator 1 (higher, target 20): 18 -> 90%
                                             indicator 2 (lower, target 7-8): 9 -> 87.5%
                                             weighted (2 x 90 + 1 x 87.5) / 3 = 89.17% (Baik)
                                       TW II 45 against 45 and 7.5 inside 7-8 -> 100% (Sangat Baik)
    Dinas Pendidikan, kadik:           TW I  10 against 20 -> 50%, 12 against 8 -> 50%: 50%
                                             (Sangat Kurang)
    Pemda TW I: (267.5 + 150) / 6 = 69.58% (Cukup)
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from pakta.accounts.models import User
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.performance import services as perf
from pakta.performance.models import PerformanceAgreement
from tests.conftest import client_for
from tests.performance.matrix import EVIDENCE
from tests.performance.conftest import YEAR, People, signed_agreement
from tests.signing.conftest import user_for


@dataclass
class Scenario:
    pemda: Pemda
    health: Unit
    education: Unit
    kadis: PerformanceAgreement
    kadik: PerformanceAgreement
    draft: PerformanceAgreement


def report(agreement: PerformanceAgreement, quarter: int, values: list[str]) -> None:
    """The first party reports ``values`` (one per indicator), the second party verifies them."""
    official_user = user_for(agreement.official)
    superior_user = user_for(agreement.superior)
    for indicator, value in zip(agreement.indicators.order_by("pk"), values, strict=True):
        realization = perf.realization_submit(
            indicator=indicator,
            quarter=quarter,
            value=value,
            acting_user=official_user,
            evidence=EVIDENCE,
        )
        perf.realization_verify(realization=realization, acting_user=superior_user)


def new_opd_head(pemda: Pemda, superadmin: User, name: str, nip: str) -> tuple[Unit, Official]:
    unit = org.unit_create(pemda=pemda, name=name, kind="dinas", acting_user=superadmin)
    post = org.position_create(
        pemda=pemda,
        unit=unit,
        title=f"Kepala {name}",
        level="jpt_pratama",
        is_unit_head=True,
        acting_user=superadmin,
    )
    official = org.official_create(pemda=pemda, nip=nip, name="Dedi Kurniawan", acting_user=superadmin)
    org.assignment_start(
        official=official, position=post, start_date=dt.date(2023, 1, 2), acting_user=superadmin
    )
    return unit, official


@pytest.fixture
def scenario(people: People, pemda_a: Pemda, unit_a: Unit, superadmin: User) -> Scenario:
    kadis = signed_agreement(people)
    education, kadik_official = new_opd_head(
        pemda_a, superadmin, "Dinas Pendidikan", "197505052000031002"
    )
    kadik = signed_agreement(people, official=kadik_official)
    report(kadis, 1, ["18", "9"])
    report(kadis, 2, ["45", "7.5"])
    report(kadik, 1, ["10", "12"])
    perf.budget_calendar_set(
        pemda=pemda_a, year=YEAR, dpa_date=dt.date(2026, 1, 5), acting_user=superadmin
    )
    draft = perf.agreement_create(
        pemda=pemda_a, official=people.kabid, year=YEAR, acting_user=user_for(people.kabid)
    )
    return Scenario(pemda_a, unit_a, education, kadis, kadik, draft)


def url(name: str, pemda: Pemda, **kwargs: Any) -> str:
    return reverse(f"performance_dashboard:{name}", kwargs={"pemda": pemda.slug, **kwargs})


def heat_cells(html: str) -> dict[tuple[str, str], tuple[str, str]]:
    """The heat map's data table: (row key, quarter) -> (data-value, text shown)."""
    found = re.findall(
        r'<td class="num" data-key="(\d+)" data-quarter="(\d)" data-value="([^"]*)">([^<]*)</td>',
        html,
    )
    return {(k, q): (v, text) for k, q, v, text in found}


def svg_cell_band(html: str, key: int, quarter: int) -> str:
    match = re.search(
        rf'data-key="{key}" data-quarter="{quarter}"><rect [^>]*class="hm hm-(\w+)"', html
    )
    assert match, f"no heat-map cell for {key}/{quarter}"
    return match.group(1)


def test_pemda_dashboard_heat_map_values_and_bands(scenario: Scenario, admin_client_a: Any) -> None:
    response = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    cells = heat_cells(html)
    health, education = str(scenario.health.pk), str(scenario.education.pk)
    assert cells[(health, "1")] == ("89.17", "89,17%")
    assert cells[(health, "2")] == ("100.00", "100%")
    assert cells[(health, "3")] == ("", "\u2013")
    assert cells[(education, "1")] == ("50.00", "50%")
    assert svg_cell_band(html, scenario.health.pk, 1) == "baik"
    assert svg_cell_band(html, scenario.health.pk, 2) == "sangat_baik"
    assert svg_cell_band(html, scenario.education.pk, 1) == "sangat_kurang"
    assert svg_cell_band(html, scenario.health.pk, 3) == "none"
    # Accessible charts: a title and a description on every SVG; no inline style anywhere.
    assert html.count("<svg") == html.count("<title id=") == html.count("<desc id=") >= 3
    assert "style=" not in html
    # The trend: the Pemda's weighted achievement per quarter, as points and in the table.
    points = dict(re.findall(r'class="point" data-quarter="(\d)" data-value="([^"]+)"', html))
    assert points == {"1": "69.58", "2": "100.00"}
    assert "69,58%" in html


def test_below_target_list_reads_the_chosen_quarter(scenario: Scenario, admin_client_a: Any) -> None:
    page = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR, "quarter": 1})
    html = page.content.decode()
    assert "4 indikator di bawah target pada TW I" in html
    rows = re.findall(r'<tr data-indicator="(\d+)">', html)
    expected = {
        str(i.pk)
        for a in (scenario.kadis, scenario.kadik)
        for i in a.indicators.all()
    }
    assert set(rows) == expected
    # Lowest achievement first: the education office's 50% before the health office's 87.5%.
    first = html.index("Dinas Pendidikan</td>", html.index("below-target"))
    assert first < html.index("87,5%", html.index("below-target"))
    # TW II (the latest quarter with verified figures, the default): nothing below target.
    default = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR}).content.decode()
    assert "Tidak ada indikator terverifikasi di bawah target" in default or "0 indikator" in default


def test_not_signed_chart_and_overdue_list(scenario: Scenario, admin_client_a: Any) -> None:
    html = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR}).content.decode()
    assert re.search(r'data-not-signed="1"', html)
    assert "1 dari 2 belum ditandatangani" in html
    overdue = html[html.index('class="overdue-list"') :]
    assert scenario.draft.official.name in overdue
    assert scenario.kadis.official.name not in overdue

