"""The compliance sheet (XLSX): who has not signed and why, and the per-unit figures."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pakta.accounts.models import User
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact
from tests.conftest import client_for
from tests.pacts.event_world import EventWorld, build_event_world


@pytest.fixture
def world(pemda_a: Pemda, official_a: Official, unit_a: Unit, superadmin: User) -> EventWorld:
    return build_event_world(pemda_a, official_a, unit_a, superadmin)


def english(client: Any) -> Any:
    """The client with English chosen in the language switch (the labels asserted below)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _rows(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _get(client: Any, url: str) -> list[list[Any]]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return _rows(response.getvalue())


def test_event_sheet_lists_who_has_not_signed_and_why(
    world: EventWorld, role_users: dict[str, User]
) -> None:
    url = reverse(
        "pactreports:event_compliance_export", kwargs={"pemda": "alfa", "pk": world.event.pk}
    )
    rows = _get(english(client_for(role_users["inspektorat"])), url)
    header, *body = rows
    assert header[:3] == ["No.", "Name", "NIP"]
    listed = {row[2]: row for row in body if row and isinstance(row[2], str) and row[2].isdigit()}
    # The two who have not signed, and the excused official with the reason; no signer.
    assert set(listed) == {"198003032005012003", "198105052006041005", "197804042003122004"}
    overdue = world.event.date < timezone.localdate()
    dewi = listed["198003032005012003"]
    assert dewi[5] == "Not yet signed"
    assert dewi[6].date() == world.event.date
    assert dewi[7] == ("Yes" if overdue else "No")
    assert dewi[9] == world.event.title
    rina = listed["197804042003122004"]
    assert (rina[5], rina[6], rina[7], rina[8]) == ("Excused", None, None, "Cuti besar")

    # Per-unit figures from the counters: Dinas Kesehatan 2 signed, 1 pending; BKD 1 + 1 excused.
    start = next(i for i, row in enumerate(body) if row and row[0] == "Unit")
    per_unit = {row[0]: row[1:5] for row in body[start + 1 :] if row and row[0]}
    assert per_unit["Dinas Kesehatan"] == [2, 1, 0, 3]
    assert per_unit["Badan Keuangan Daerah"] == [0, 1, 1, 2]
    assert per_unit["Total"] == [2, 2, 1, 5]


def test_sheet_cells_cannot_carry_formulas(
    pemda_a: Pemda, official_a: Official, superadmin: User, role_users: dict[str, User]
) -> None:
    pact = Pact.objects.get(official=official_a)  # the pact of the 2023 assignment
    pacts.pact_excuse(
        pact=pact, reason='=HYPERLINK("http://evil.test","x")', acting_user=superadmin
    )
    url = reverse("pactreports:compliance_export", kwargs={"pemda": "alfa"}) + "?year=2023"
    rows = _get(client_for(role_users["admin"]), url)
    reasons = [row[8] for row in rows[1:] if row and len(row) > 8 and row[8]]
    assert reasons == ['\'=HYPERLINK("http://evil.test","x")']


def test_pemda_year_sheet_and_kepala_opd_scope(
    world: EventWorld, role_users: dict[str, User], pemda_a: Pemda
) -> None:
    url = reverse("pactreports:compliance_export", kwargs={"pemda": "alfa"}) + "?year=2026"
    admin_rows = _get(client_for(role_users["admin"]), url)
    nips = {row[2] for row in admin_rows[1:] if row and isinstance(row[2], str)}
    assert {"198003032005012003", "198105052006041005", "197804042003122004"} <= nips

    # A Kepala OPD of Dinas Kesehatan sees only their unit, in the list and in the figures.
    kepala_rows = _get(client_for(role_users["kepala_opd"]), url)
    nips = {row[2] for row in kepala_rows[1:] if row and isinstance(row[2], str)}
    assert "198003032005012003" in nips
    assert not nips & {"198105052006041005", "197804042003122004"}
    units = {row[0] for row in kepala_rows if row and isinstance(row[0], str)}
    assert "Dinas Kesehatan" in units and "Badan Keuangan Daerah" not in units
    # The page shows the same figures; who has not signed loads into it after (HTMX).
    kepala = client_for(role_users["kepala_opd"])
    page = kepala.get(reverse("pactreports:compliance", kwargs={"pemda": "alfa"}) + "?year=2026")
    unsigned_url = (
        reverse("pactreports:compliance_unsigned", kwargs={"pemda": "alfa"}) + "?year=2026"
    )
    assert page.status_code == 200 and f'hx-get="{unsigned_url}"' in page.content.decode()
    html = kepala.get(unsigned_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Dewi Lestari" in html and "Joko Susilo" not in html


def test_event_report_page_shows_the_unsigned_with_reasons(
    world: EventWorld, role_users: dict[str, User]
) -> None:
    response = english(client_for(role_users["admin"])).get(
        reverse("pactreports:event_report", kwargs={"pemda": "alfa", "pk": world.event.pk})
    )
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Dewi Lestari", "Joko Susilo", "Rina Marlina"):
        assert name in html
    assert "Cuti besar" in html and "Agus Prasetyo" not in html  # signers are not "not signed"
    assert 'id="send-reminders"' in html and 'id="build-booklet"' in html
    # Without pacts.manage, no buttons to remind or build.
    html = (
        client_for(role_users["inspektorat"])
        .get(reverse("pactreports:event_report", kwargs={"pemda": "alfa", "pk": world.event.pk}))
        .content.decode()
    )
    assert 'id="send-reminders"' not in html and 'id="build-booklet"' not in html
