"""SPI results: the category boundaries of each seeded year, recording, importing (all or nothing,
each bad row with its line), the results page with its trend chart, and survey years."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.core.exports import rows_to_csv, rows_to_xlsx
from pakta.surveys import services
from pakta.surveys.models import Category, SpiResult, SurveyYear
from tests.conftest import client_for

# (year, index, expected category): both sides of each threshold, per DOMAIN.md section 3.
BOUNDARIES = [
    (2022, "42.01", Category.SANGAT_RENTAN),
    (2022, "67.90", Category.SANGAT_RENTAN),
    (2022, "67.99", Category.SANGAT_RENTAN),
    (2022, "68.00", Category.RENTAN),
    (2022, "73.60", Category.RENTAN),
    (2022, "73.69", Category.RENTAN),
    (2022, "73.70", Category.WASPADA),
    (2022, "77.40", Category.WASPADA),
    (2022, "77.50", Category.TERJAGA),
    (2022, "100", Category.TERJAGA),
    (2023, "0", Category.RENTAN),
    (2023, "72.99", Category.RENTAN),
    (2023, "73.00", Category.WASPADA),
    (2023, "80.00", Category.WASPADA),  # "above 80" is terjaga
    (2023, "80.01", Category.TERJAGA),
    (2024, "71.53", Category.RENTAN),  # the national index of 2024 by the published bands
    (2024, "72.90", Category.RENTAN),
    (2024, "72.99", Category.RENTAN),
    (2024, "73.00", Category.WASPADA),
    (2024, "77.90", Category.WASPADA),
    (2024, "77.99", Category.WASPADA),
    (2024, "78.00", Category.TERJAGA),
    (2025, "72.32", Category.RENTAN),
    (2025, "73.00", Category.WASPADA),
    (2025, "78.00", Category.TERJAGA),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "index", "expected"), BOUNDARIES)
def test_category_boundaries_of_each_year(year: int, index: str, expected: str) -> None:
    assert SurveyYear.objects.get(year=year).category_of(Decimal(index)) == expected


@pytest.mark.django_db
def test_seeded_years_carry_the_national_index() -> None:
    national = dict(SurveyYear.objects.values_list("year", "national_index"))
    assert national == {
        2022: Decimal("71.94"),
        2023: Decimal("70.97"),
        2024: Decimal("71.53"),
        2025: Decimal("72.32"),
    }


def test_thresholds_are_read_from_the_year_not_from_code(pemda_a, superadmin) -> None:
    result = services.spi_result_save(
        pemda=pemda_a, year=2024, acting_user=superadmin, index=Decimal("74.00")
    )
    assert result.category == Category.WASPADA
    services.survey_year_save(
        year=2024,
        acting_user=superadmin,
        rentan_from=None,
        waspada_from=Decimal("75.00"),
        terjaga_from=Decimal("80.00"),
        national_index=Decimal("71.53"),
    )
    assert SpiResult.objects.get(pk=result.pk).category == Category.RENTAN


def test_only_the_superadmin_changes_thresholds(pemda_a, role_users) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        services.survey_year_save(
            year=2024,
            acting_user=role_users["admin"],
            waspada_from=Decimal(1),
            terjaga_from=Decimal(2),
        )
    assert SurveyYear.objects.get(year=2024).waspada_from == Decimal("73.00")
    assert AuditEvent.objects.count() == events


def test_thresholds_must_rise(superadmin) -> None:
    with pytest.raises(DomainError):
        services.survey_year_save(
            year=2030, acting_user=superadmin, waspada_from=Decimal(80), terjaga_from=Decimal(70)
        )
    assert not SurveyYear.objects.filter(year=2030).exists()


def test_recording_a_result_is_audited_and_replaces_the_year(pemda_a, superadmin) -> None:
    first = services.spi_result_save(
        pemda=pemda_a,
        year=2024,
        acting_user=superadmin,
        index=Decimal("70.10"),
        dim_procurement=Decimal("60.00"),
        group_internal=Decimal("75.00"),
    )
    again = services.spi_result_save(
        pemda=pemda_a, year=2024, acting_user=superadmin, index=Decimal("71.00")
    )
    assert again.pk == first.pk and again.index == Decimal("71.00")
    actions = list(
        AuditEvent.objects.filter(object_type="surveys.spiresult")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["surveys.result.recorded", "surveys.result.updated"]


def test_a_year_without_thresholds_is_refused(pemda_a, superadmin) -> None:
    with pytest.raises(DomainError, match="2019"):
        services.spi_result_save(pemda=pemda_a, year=2019, acting_user=superadmin, index=70)
    assert not SpiResult.objects.exists()


# --- Import --------------------------------------------------------------------------------------

HEADERS = services.IMPORT_HEADERS


def _row(year: str, index: str, **extra: str) -> list[str]:
    row = [
        year,
        index,
        "-1,5",
        "1200",
        "70",
        "61,2",
        "72",
        "80",
        "68",
        "59,5",
        "85",
        "74",
        "69",
        "70",
    ]
    for position, value in extra.items():
        row[int(position[1:])] = value
    return row


def test_import_csv_writes_every_year(pemda_a, superadmin) -> None:
    content = rows_to_csv(HEADERS, [_row("2023", "70,50"), _row("2024", "72.10")])
    outcome = services.spi_import(
        pemda=pemda_a, file_name="spi.csv", content=content, acting_user=superadmin
    )
    assert (outcome.created, outcome.updated) == (2, 0)
    result = SpiResult.objects.get(pemda=pemda_a, survey_year__year=2024)
    assert result.index == Decimal("72.10")
    assert result.dim_hr_management == Decimal("61.20")
    assert result.correction_factor == Decimal("-1.50")
    assert result.group_external == Decimal("69")
    assert AuditEvent.objects.filter(action="surveys.result.imported").count() == 1


def test_import_xlsx(pemda_a, superadmin) -> None:
    content = rows_to_xlsx(HEADERS, [[2024, 71.53, 0, 900, 70, 60, 72, 80, 68, 59, 85, 74, 69, 70]])
    services.spi_import(
        pemda=pemda_a, file_name="spi.xlsx", content=content, acting_user=superadmin
    )
    assert SpiResult.objects.get(pemda=pemda_a).index == Decimal("71.53")


def test_import_reports_each_bad_row_and_writes_nothing(pemda_a, superadmin) -> None:
    content = rows_to_csv(
        HEADERS,
        [
            _row("2023", "70"),  # line 2: good
            _row("2019", "70"),  # line 3: no thresholds for 2019
            _row("2024", "abc"),  # line 4: not a number
            _row("2024", "101"),  # line 5: out of range
            _row("2023", "71"),  # line 6: 2023 again
        ],
    )
    events = AuditEvent.objects.count()
    with pytest.raises(services.SpiImportError) as caught:
        services.spi_import(
            pemda=pemda_a, file_name="spi.csv", content=content, acting_user=superadmin
        )
    lines = [line for line, _message in caught.value.errors]
    assert lines == [3, 4, 5, 6]
    messages = dict(caught.value.errors)
    assert "2019" in messages[3] and "abc" in messages[4] and "100" in messages[5]
    assert "line 2" in messages[6]
    assert not SpiResult.objects.exists()
    assert AuditEvent.objects.count() == events


def test_import_page_lists_the_bad_lines(pemda_a, role_users) -> None:
    client = client_for(role_users["inspektorat"])
    url = reverse("surveys:result_import", kwargs={"pemda": pemda_a.slug})
    template = client.get(
        reverse("surveys:import_template", kwargs={"pemda": pemda_a.slug, "fmt": "csv"})
    )
    assert template.status_code == 200
    assert template.content.decode("utf-8-sig").startswith(",".join(HEADERS))
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = rows_to_csv(HEADERS, [_row("2024", "70"), _row("2024", "x")])
    response = client.post(url, {"file": SimpleUploadedFile("spi.csv", bad)})
    assert response.status_code == 200
    assert b"3" in response.content and "x" in response.content.decode()
    assert not SpiResult.objects.exists()
    good = rows_to_csv(HEADERS, [_row("2024", "70")])
    response = client.post(url, {"file": SimpleUploadedFile("spi.csv", good)})
    assert response.status_code == 302
    assert SpiResult.objects.get(pemda=pemda_a).index == Decimal("70")


# --- Pages ---------------------------------------------------------------------------------------


def test_results_page_shows_category_national_trend_weakest_and_findings(
    pemda_a, superadmin, role_users
) -> None:
    for year, index in ((2022, "66.00"), (2023, "70.00"), (2024, "74.50")):
        result = services.spi_result_save(
            pemda=pemda_a,
            year=year,
            acting_user=superadmin,
            index=Decimal(index),
            dim_procurement=Decimal("55.10"),
            dim_hr_management=Decimal("58.20"),
            dim_transparency=Decimal("80.00"),
        )
    services.spi_finding_add(
        result=result,
        text="Perkuat pengendalian benturan kepentingan dalam PBJ.",
        dimension="procurement",
        acting_user=superadmin,
    )
    client = client_for(role_users["pimpinan"])
    overview = client.get(reverse("surveys:home", kwargs={"pemda": pemda_a.slug}))
    html = overview.content.decode()
    assert overview.status_code == 200
    # The trend: drawn by ECharts from JSON data (no executable inline script), and as a table.
    assert 'data-chart="spi-trend-spec"' in html
    main = html.split("<main", 1)[1]
    assert main.count("<script") == main.count(
        '<script id="spi-trend-spec" type="application/json">'
    )
    detail = client.get(result.get_absolute_url()).content.decode()
    assert "74.50" in detail or "74,50" in detail
    assert "71.53" in detail or "71,53" in detail  # the national index of 2024
    assert "Perkuat pengendalian benturan kepentingan" in detail
    # Weakest first: procurement, then HR.
    weakest = detail.split("<ol>")[1]
    assert weakest.index("55") < weakest.index("58")


def test_survey_year_pages_are_for_the_superadmin(superadmin, role_users) -> None:
    url = reverse("surveyyears:update", kwargs={"year": 2024})
    assert client_for(role_users["admin"]).get(url).status_code == 403
    client = client_for(superadmin)
    response = client.post(
        url,
        {
            "year": 2024,
            "rentan_from": "",
            "waspada_from": "74.00",
            "terjaga_from": "79.00",
            "national_index": "71.53",
            "source": "",
        },
    )
    assert response.status_code == 302
    assert SurveyYear.objects.get(year=2024).waspada_from == Decimal("74.00")
