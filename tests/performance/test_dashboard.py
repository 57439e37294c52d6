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
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pakta.accounts.models import User
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.performance import dashboard
from pakta.performance import services as perf
from pakta.performance.models import PerformanceAgreement
from tests.conftest import client_for
from tests.performance.conftest import YEAR, People, signed_agreement
from tests.performance.matrix import EVIDENCE
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
    official = org.official_create(
        pemda=pemda, nip=nip, name="Dedi Kurniawan", acting_user=superadmin
    )
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
        r'<td class="num" data-key="(\d+)" data-quarter="(\d)" data-value="([^"]*)" '
        r'data-band="\w+">([^<]*)</td>',
        html,
    )
    return {(k, q): (v, text) for k, q, v, text in found}


def svg_cell_band(html: str, key: int, quarter: int) -> str:
    """The band a heat-map cell is coloured by (the table beside the chart says it; the chart
    draws from the same JSON: tests/browser/test_charts.py)."""
    match = re.search(
        rf'data-key="{key}" data-quarter="{quarter}" data-value="[^"]*" data-band="(\w+)"', html
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
    # Accessible charts: each chart's container is labelled and described by its table, and
    # its data is JSON (no inline script: CSP); no inline style anywhere.
    charts = re.findall(
        r'<div class="echart echart-(\w+)" id="([\w-]+)" data-chart="([\w-]+)"', html
    )
    assert [c[0] for c in charts] == ["heatmap", "line", "bars"]
    for _kind, chart_id, spec in charts:
        assert f'<script id="{spec}" type="application/json">' in html
        assert f'aria-describedby="{chart_id}-table-caption"' in html
    assert "style=" not in html
    # The trend: the Pemda's weighted achievement per quarter, as points and in the table.
    points = dict(re.findall(r'<td class="num" data-quarter="(\d)" data-value="([^"]+)"', html))
    assert points == {"1": "69.58", "2": "100.00"}
    assert "69,58%" in html


def test_below_target_list_reads_the_chosen_quarter(
    scenario: Scenario, admin_client_a: Any
) -> None:
    page = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR, "quarter": 1})
    html = page.content.decode()
    assert "4 indikator di bawah target pada TW I" in html
    rows = re.findall(r'<tr data-indicator="(\d+)">', html)
    expected = {str(i.pk) for a in (scenario.kadis, scenario.kadik) for i in a.indicators.all()}
    assert set(rows) == expected
    # Lowest achievement first: the education office's 50% before the health office's 87.5%.
    first = html.index("Dinas Pendidikan</td>", html.index("below-target"))
    assert first < html.index("87,5%", html.index("below-target"))
    # TW II (the latest quarter with verified figures, the default): nothing below target.
    default = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR}).content.decode()
    assert "0 indikator di bawah target pada TW II" in default
    assert "Tidak ada indikator terverifikasi di bawah target pada triwulan ini." in default


def test_not_signed_chart_and_overdue_list(scenario: Scenario, admin_client_a: Any) -> None:
    html = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR}).content.decode()
    assert re.search(r'data-not-signed="1"', html)
    assert "1 dari 2 belum ditandatangani" in html
    overdue = html[html.index('class="overdue-list"') :]
    assert scenario.draft.official.name in overdue
    assert scenario.kadis.official.name not in overdue


def test_unit_dashboard_shows_officials_and_the_pemda_line(
    scenario: Scenario, admin_client_a: Any
) -> None:
    response = admin_client_a.get(
        url("unit", scenario.pemda, pk=scenario.health.pk), {"year": YEAR}
    )
    html = response.content.decode()
    cells = heat_cells(html)
    assert cells[(str(scenario.kadis.pk), "1")] == ("89.17", "89,17%")
    assert cells[(str(scenario.kadis.pk), "2")] == ("100.00", "100%")
    # The head of division's draft is listed, marked as not signed, without figures.
    assert cells[(str(scenario.draft.pk), "1")] == ("", "\u2013")
    assert re.search(r'>Rina Marlina</a> <span class="muted">\([^)]+\)</span>', html)
    # Two lines: the unit, and the Pemda for comparison (69.58% in TW I), the Pemda's dashed.
    spec = json.loads(
        re.search(r'<script id="trend-spec" type="application/json">(.*?)</script>', html).group(1)
    )
    assert [(s["name"], s["dashed"]) for s in spec["series"]] == [
        (scenario.health.name, False),
        ("Pemda", True),
    ]
    assert "69,58%" in html
    assert scenario.kadik.official.name not in html  # another unit's official


def test_kepala_opd_sees_only_their_unit(scenario: Scenario, role_users: dict[str, User]) -> None:
    client = client_for(role_users["kepala_opd"])
    html = client.get(url("pemda", scenario.pemda), {"year": YEAR, "quarter": 1}).content.decode()
    cells = heat_cells(html)
    assert {key for key, _q in cells} == {str(scenario.health.pk)}
    assert "Menampilkan unit yang Anda pimpin." in html
    assert "Dinas Pendidikan" not in html
    assert "2 indikator di bawah target pada TW I" in html
    assert client.get(url("unit", scenario.pemda, pk=scenario.education.pk)).status_code == 404
    assert client.get(url("unit", scenario.pemda, pk=scenario.health.pk)).status_code == 200
    workbook = load_workbook(
        io.BytesIO(client.get(url("export_heatmap", scenario.pemda), {"year": YEAR}).getvalue())
    )
    assert [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)] == [
        scenario.health.name
    ]
    pegawai = client_for(role_users["pegawai"])
    assert pegawai.get(url("pemda", scenario.pemda)).status_code == 403


def sheet(client: Any, name: str, pemda: Pemda, **kwargs: Any) -> list[tuple[Any, ...]]:
    response = client.get(url(name, pemda, **kwargs), {"year": YEAR, "quarter": 1})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))


def test_exports(scenario: Scenario, admin_client_a: Any) -> None:
    heat = sheet(admin_client_a, "export_heatmap", scenario.pemda)
    assert heat[0] == ("Unit kerja", "TW I", "TW II", "TW III", "TW IV")
    assert ("Dinas Kesehatan", 89.17, 100.0, None, None) in heat
    assert ("Dinas Pendidikan", 50.0, None, None, None) in heat
    trend = sheet(admin_client_a, "export_trend", scenario.pemda)
    assert trend[1][:4] == ("TW I", 69.58, 4, 4)
    below = sheet(admin_client_a, "export_below_target", scenario.pemda)
    # The dashboard's sheets stream (the below-target list of the largest Pemda has 200,000 rows).
    assert admin_client_a.get(url("export_below_target", scenario.pemda), {"year": YEAR}).streaming
    assert {(r[0], r[3], r[6]) for r in below[1:]} == {
        (scenario.kadis.official.name, "TW I", 2),
        (scenario.kadik.official.name, "TW I", 2),
    }
    unsigned = sheet(admin_client_a, "export_not_signed", scenario.pemda)
    assert ("Dinas Kesehatan", 1, 0, 0, 0, 1, 1) in unsigned
    per_official = sheet(admin_client_a, "unit_export", scenario.pemda, pk=scenario.health.pk)
    kadis = next(r for r in per_official if r[0] == scenario.kadis.official.name)
    assert kadis[1] == scenario.kadis.official.nip
    assert kadis[3:] == (89.17, 100.0, None, None)
    draft = next(r for r in per_official if r[0] == scenario.draft.official.name)
    assert draft[3:] == (None, None, None, None)
    indicators = sheet(
        admin_client_a, "unit_export_below_target", scenario.pemda, pk=scenario.health.pk
    )
    assert sorted(r[8] for r in indicators[1:]) == [87.5, 90.0]


def _queries(client: Any, path: str) -> int:
    """Queries of the page computed afresh: the Pemda's kept counts (core.todo.pemda_kept)
    dropped first, so both sizes are measured the same way."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, {"year": YEAR, "quarter": 1}).status_code == 200
    return len(captured.captured_queries)


def test_query_counts_do_not_grow_with_the_data(
    scenario: Scenario,
    people: People,
    pemda_a: Pemda,
    superadmin: User,
    admin_client_a: Any,
    django_assert_num_queries: Any,
) -> None:
    pemda_path = url("pemda", pemda_a)
    unit_path = url("unit", pemda_a, pk=scenario.health.pk)
    admin_client_a.get(pemda_path)  # warm the per-process caches (the Pemda's time zone)
    before = (_queries(admin_client_a, pemda_path), _queries(admin_client_a, unit_path))
    # More units, officials, agreements and verified realizations.
    for n in range(2):
        _unit, head = new_opd_head(pemda_a, superadmin, f"Badan {n}", f"19800{n + 1}012005011003")
        agreement = signed_agreement(people, official=head)
        report(agreement, 1, ["5", "14"])
        report(agreement, 2, ["30", "8"])
    report(scenario.kadik, 2, ["40", "8"])
    after = (_queries(admin_client_a, pemda_path), _queries(admin_client_a, unit_path))
    assert after == before
    cache.clear()
    with django_assert_num_queries(before[0]):
        admin_client_a.get(pemda_path, {"year": YEAR, "quarter": 1})


def _aggregates(pemda: Pemda) -> dict[str, set[tuple[Any, ...]]]:
    from pakta.performance.models import AchievementRollup, AgreementAchievement, AgreementCount

    figures = ("weighted_sum", "weight_total", "measured", "below_target", "verified", "late")
    return {
        "counts": set(
            AgreementCount.objects.filter(pemda=pemda)
            .exclude(draft=0, submitted=0, returned=0, approved=0, signed=0)
            .values_list("unit_id", "year", "draft", "submitted", "returned", "approved", "signed")
        ),
        "agreements": set(
            AgreementAchievement.objects.filter(pemda=pemda).values_list(
                "agreement_id", "quarter", *figures
            )
        ),
        "rollups": set(
            AchievementRollup.objects.filter(pemda=pemda)
            .exclude(weight_total=0, measured=0, verified=0, submitted=0)
            .values_list("unit_id", "year", "quarter", *figures)
        ),
    }


def test_rebuild_command_recomputes_the_same_aggregates(scenario: Scenario) -> None:
    from django.core.management import call_command

    from pakta.performance.models import AchievementRollup

    kept = _aggregates(scenario.pemda)
    assert kept["rollups"]
    AchievementRollup.objects.filter(pemda=scenario.pemda).update(weighted_sum=Decimal(0))
    call_command(
        "performance_rebuild_rollups", "--pemda", scenario.pemda.slug, stdout=io.StringIO()
    )
    assert _aggregates(scenario.pemda) == kept


def test_national_dashboard_shows_every_pemda_from_the_rollups(
    scenario: Scenario,
    people: People,
    pemda_a: Pemda,
    pemda_b: Pemda,
    superadmin: User,
    django_assert_num_queries: Any,
) -> None:
    client = client_for(superadmin)
    path = reverse("performance_national:dashboard", kwargs={"year": YEAR})
    html = client.get(path).content.decode()
    cells = heat_cells(html)
    a = str(pemda_a.pk)
    # Kabupaten Alfa: TW I (267.5 + 150) / 6 = 69.58%; TW II only the health office, 100%.
    assert cells[(a, "1")] == ("69.58", "69,58%")
    assert cells[(a, "2")] == ("100.00", "100%")
    assert cells[(a, "3")] == ("", "\u2013")
    assert svg_cell_band(html, pemda_a.pk, 1) == "cukup"
    # Kota Beta has no agreements: no row. The Pemda links to its own dashboard.
    assert not any(key == str(pemda_b.pk) for key, _q in cells)
    assert f'href="{url("pemda", pemda_a)}?year={YEAR}"' in html
    points = dict(re.findall(r'<td class="num" data-quarter="(\d)" data-value="([^"]+)"', html))
    assert points == {"1": "69.58", "2": "100.00"}
    # Two signed, one draft (overdue) not yet signed.
    totals = html[html.index('id="national-totals"') :]
    assert re.search(r'<div class="stat">2</div>Perjanjian yang sudah ditandatangani', totals)
    assert re.search(r'<div class="stat">1</div>Perjanjian yang belum ditandatangani', totals)
    # The same number of queries with more units and realizations.
    queries = _queries(client, path)
    _unit, head = new_opd_head(pemda_a, superadmin, "Badan Baru", "198001012005011009")
    report(signed_agreement(people, official=head), 1, ["5", "14"])
    with django_assert_num_queries(queries):
        html = client.get(path).content.decode()
    assert heat_cells(html)[(a, "1")] != ("69.58", "69,58%")
    # Reached from the superadmin's list of all Pemda.
    assert (
        f'href="{path}"'.replace(str(YEAR), str(timezone.localdate().year))
        in client.get(reverse("org:pemda_list")).content.decode()
    )
    # Superadmin only: the Pemda's admin is refused; a year out of range is not found.
    assert client_for(user_for(people.bupati)).get(path).status_code == 403
    assert (
        client.get(reverse("performance_national:dashboard", kwargs={"year": 1999})).status_code
        == 404
    )


def _text(html: str, element_id: str) -> str:
    """The visible text of the element with this id (tags dropped, spaces collapsed)."""
    start = html.index(f'id="{element_id}"')
    chunk = html[start : html.index("</div>\n", start) if "</div>\n" in html[start:] else None]
    chunk = chunk[chunk.index(">") + 1 :]
    return " ".join(re.sub(r"<[^>]+>", " ", chunk).split())


def test_headline_states_its_coverage_and_below_target_counts_only_the_measured(
    scenario: Scenario, admin_client_a: Any, settings: Any
) -> None:
    # Four indicators in the two signed agreements: all four verified in TW I, two in TW II.
    html = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR}).content.decode()
    headline = _text(html, "headline")
    assert "Capaian TW II" in headline
    assert "berdasarkan 2 dari 4 indikator yang sudah diverifikasi" in headline
    assert "terlalu sedikit" not in headline
    below = _text(html, "below-card")
    assert below.startswith("0 Indikator di bawah target pada TW II")
    assert "dihitung dari 2 indikator yang sudah terukur (diverifikasi)" in below
    # A stricter threshold: TW II (half verified) no longer makes the headline, TW I does.
    settings.PAKTA_HEADLINE_MIN_COVERAGE = "0.75"
    html = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR}).content.decode()
    headline = _text(html, "headline")
    assert headline.startswith("69,58% Capaian TW I")
    assert "berdasarkan 4 dari 4 indikator yang sudah diverifikasi" in headline
    assert _text(html, "below-card").startswith("4 Indikator di bawah target pada TW I")
    # No quarter reaches the threshold: the latest measured one, marked as too thin.
    settings.PAKTA_HEADLINE_MIN_COVERAGE = "1.5"
    html = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR}).content.decode()
    headline = _text(html, "headline")
    assert "Capaian TW II" in headline and "berdasarkan 2 dari 4" in headline
    assert "Realisasi yang sudah diverifikasi masih terlalu sedikit" in headline


def test_headline_denominator_kept_between_requests_moves_when_an_agreement_is_signed(
    scenario: Scenario, people: People, pemda_a: Pemda, superadmin: User, admin_client_a: Any
) -> None:
    # The Pemda's indicator count is kept in the cache between requests (core.todo.pemda_kept);
    # signing another agreement (an audited decision) shows in the very next request.
    html = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR}).content.decode()
    assert "berdasarkan 2 dari 4 indikator" in _text(html, "headline")
    _unit, head = new_opd_head(pemda_a, superadmin, "Badan Baru", "198001012005011003")
    signed_agreement(people, official=head)
    html = admin_client_a.get(url("pemda", scenario.pemda), {"year": YEAR}).content.decode()
    assert "dari 6 indikator yang sudah diverifikasi" in _text(html, "headline")


def test_national_headline_states_its_coverage(
    scenario: Scenario, superadmin: User, settings: Any
) -> None:
    html = (
        client_for(superadmin)
        .get(reverse("performance_national:dashboard", kwargs={"year": YEAR}))
        .content.decode()
    )
    assert "berdasarkan 2 dari 4 indikator yang sudah diverifikasi" in _text(html, "headline")
    assert "dihitung dari 2 indikator yang sudah terukur" in _text(html, "below-card")


def _staff(pemda: Pemda, unit: Unit, superadmin: User, name: str, nip: str) -> Official:
    post = org.position_create(
        pemda=pemda,
        unit=unit,
        title=f"Analis {nip[-4:]}",
        level="fungsional",
        acting_user=superadmin,
    )
    official = org.official_create(pemda=pemda, nip=nip, name=name, acting_user=superadmin)
    org.assignment_start(
        official=official, position=post, start_date=dt.date(2023, 1, 2), acting_user=superadmin
    )
    return official


def test_kepala_opd_dashboard_lists_their_subtree_overdue_and_below_target_in_register_order(
    scenario: Scenario,
    pemda_a: Pemda,
    superadmin: User,
    role_users: dict[str, User],
    admin_client_a: Any,
) -> None:
    """A Kepala OPD's dashboard reads its scope by the scope's unit keys (read once per page):
    the same overdue agreements, count and indicators below target as the unit-path subquery
    gave, in the register's order (by unit, then by name)."""
    # Past their due date: the head of division's draft (the sub-unit, from the scenario), a
    # draft in the OPD itself, and one in another OPD (outside the Kepala OPD's scope).
    yusuf = _staff(pemda_a, scenario.health, superadmin, "Yusuf Hakim", "199001012015031004")
    own = perf.agreement_create(pemda=pemda_a, official=yusuf, year=YEAR, acting_user=superadmin)
    agus = _staff(pemda_a, scenario.education, superadmin, "Agus Salim", "199002022015031005")
    perf.agreement_create(pemda=pemda_a, official=agus, year=YEAR, acting_user=superadmin)

    kepala = client_for(role_users["kepala_opd"])
    html = kepala.get(url("pemda", pemda_a), {"year": YEAR, "quarter": 1}).content.decode()
    overdue = html[html.index('class="overdue-list"') :]
    names = re.findall(r'<tr class="overdue"><td><a href="[^"]*">([^<]+)</a>', overdue)
    assert names == ["Rina Marlina", "Yusuf Hakim"]
    assert "2 perjanjian melewati batas waktu" in html
    assert "Agus Salim" not in html
    below = set(re.findall(r'<tr data-indicator="(\d+)">', html))
    assert below == {str(i.pk) for i in scenario.kadis.indicators.all()}
    whole = admin_client_a.get(url("pemda", pemda_a), {"year": YEAR}).content.decode()
    assert "3 perjanjian melewati batas waktu" in whole

    # The same figures as the path subquery (the scope's query before the unit keys).
    scope = [scenario.health]
    data = dashboard.pemda_dashboard(pemda=pemda_a, year=YEAR, scope=scope, quarter=1)
    listed, total = dashboard._overdue(pemda=pemda_a, year=YEAR, scope=scope)
    assert [a.pk for a in data.overdue] == [a.pk for a in listed] == [scenario.draft.pk, own.pk]
    assert data.overdue_total == total == 2
    by_path = dashboard._below_target(pemda=pemda_a, year=YEAR, quarter=1, scope=scope)
    assert [(b.agreement.pk, b.indicator.pk, b.value) for b in data.below] == [
        (b.agreement.pk, b.indicator.pk, b.value) for b in by_path
    ]
    assert len(data.below) == 2
    assert data.indicators == dashboard._indicator_count(
        year=YEAR, pemda=pemda_a, scope=scope, unit=None
    )
    assert [row.key for row in data.heat] == [scenario.health.pk]
