"""Defects from the walk-through (issue 12, part 8): dates and years, SPI entry, the witness's
consent, the favicon, as users see them (Indonesian pages)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from pakta.audit.models import AuditEvent
from pakta.pacts import services as pacts
from pakta.pacts.models import SigningEvent
from pakta.surveys.models import SpiResult, SurveyYear
from tests.conftest import client_for


def post(client, url: str, data: dict):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="id")


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_an_event_date_in_year_1_or_9999_is_refused_next_to_the_field(
    pemda_a, role_users, superadmin, date: str
) -> None:
    template = pacts.template_current(pemda_a, superadmin)
    before = AuditEvent.objects.count()
    response = post(
        client_for(role_users["admin"]),
        f"/p/{pemda_a.slug}/pacts/events/new/",
        {"title": "Penandatanganan 2026", "date": date, "place": "Aula", "template": template.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Isikan tanggal antara tahun 2000 dan 2100." in page
    assert 'value="Penandatanganan 2026"' in page  # what was typed is kept
    assert not SigningEvent.objects.exists() and AuditEvent.objects.count() == before


@pytest.mark.parametrize("year", [1901, 3026])
def test_a_survey_year_far_from_now_is_refused(superadmin, year: int) -> None:
    response = post(
        client_for(superadmin),
        reverse("surveyyears:create"),
        {"year": year, "waspada_from": "73,5", "terjaga_from": "78", "national_index": ""},
    )
    assert response.status_code == 200
    assert "Isikan tahun survei antara 2000 dan 2100." in response.content.decode()
    assert not SurveyYear.objects.filter(year=year).exists()


def test_reversed_thresholds_are_refused_in_words(superadmin) -> None:
    before = SurveyYear.objects.get(year=2024)
    response = post(
        client_for(superadmin),
        reverse("surveyyears:update", kwargs={"year": 2024}),
        {"year": 2024, "rentan_from": "", "waspada_from": "80", "terjaga_from": "70,5"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Batas “terjaga” harus lebih tinggi daripada batas “waspada”." in page
    assert "surveys_year" not in page  # no constraint name
    assert SurveyYear.objects.get(year=2024).terjaga_from == before.terjaga_from


def test_spi_manual_entry_takes_a_decimal_comma(pemda_a, role_users) -> None:
    client = client_for(role_users["admin"])
    response = post(
        client,
        f"/p/{pemda_a.slug}/surveys/spi/new/",
        {"year": 2024, "index": "72,5", "correction_factor": "0", "respondents": "150"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert SpiResult.objects.get(pemda=pemda_a).index == Decimal("72.5")


def test_the_witness_attests_the_signature_rather_than_agreeing_to_the_commitments(
    pemda_a, official_a, unit_a, superadmin
) -> None:
    from tests.pacts.event_world import build_event_world
    from tests.signing.conftest import user_for

    world = build_event_world(pemda_a, official_a, unit_a, superadmin)
    pact = world.signed[1]  # the secretary's pact, witnessed by the head of the office
    witness = user_for(pact.witness)
    from pakta.accounts.services import membership_grant
    from pakta.core.roles import Role

    membership_grant(user=witness, pemda=pemda_a, role=Role.PEGAWAI, acting_user=None)
    page = (
        client_for(witness)
        .get(f"/p/{pemda_a.slug}/inbox/{pact.pk}/", HTTP_ACCEPT_LANGUAGE="id")
        .content.decode()
    )
    assert f"menyaksikan bahwa {pact.official.full_name} menandatanganinya" in page
    assert "menyetujui seluruh komitmennya" not in page


def test_the_favicon_is_found(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
