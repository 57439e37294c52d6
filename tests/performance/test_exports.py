"""The performance exports as a user downloads them: streamed (the first bytes leave before the
rows are read), each cell typed as Excel shows it (numbers as numbers, dates as dates, labels in
the reader's language), and only the rows of the user's scope.

The figures are the dashboard scenario's (``tests.performance.test_dashboard``): in TW I the
health office head's agreement is at 89.17% (two indicators below target: 90% and 87.5%) and the
education office head's at 50%; in TW II everything is on target.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from pakta.accounts.models import User
from pakta.core import exports
from pakta.core.values import values_rows
from pakta.performance import export_selectors
from pakta.performance.models import Indicator, Realization
from tests.conftest import client_for
from tests.performance.conftest import YEAR
from tests.performance.test_dashboard import Scenario, scenario, url  # noqa: F401

pytestmark = pytest.mark.django_db


def _pieces_and_sheet(response: Any) -> tuple[list[bytes], list[tuple[Any, ...]]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.streaming
    pieces = list(response.streaming_content)
    book = load_workbook(io.BytesIO(b"".join(pieces)))
    return pieces, list(book.active.iter_rows(values_only=True))


def test_below_target_export_streams_the_aggregates_row_by_row(
    scenario: Scenario,  # noqa: F811
    admin_client_a: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One row per piece and per read from the database, so that two rows are "many".
    monkeypatch.setattr(exports, "CHUNK_ROWS", 1)
    monkeypatch.setattr(export_selectors, "CHUNK", 1)
    with CaptureQueriesContext(connection) as before:
        response = admin_client_a.get(url("export_below_target", scenario.pemda), {"year": YEAR})
    # Nothing of the list is read before the response is handed over: it is read while it is sent.
    assert not [q for q in before.captured_queries if "agreementachievement" in q["sql"]]
    with CaptureQueriesContext(connection) as during:
        pieces, rows = _pieces_and_sheet(response)
    assert [q for q in during.captured_queries if "agreementachievement" in q["sql"]]
    assert len(pieces) >= 4  # the parts of the workbook, then a piece per row, then the end
    header, *body = rows
    assert header == (
        "Pegawai",
        "NIP",
        "Unit kerja",
        "Triwulan",
        "Capaian",
        "Indikator terukur",
        "Indikator di bawah target",
    )
    kadis, kadik = scenario.kadis.official, scenario.kadik.official
    # By quarter, unit and official; TW II is on target, so it has no row.
    assert body == [
        (kadis.name, kadis.nip, "Dinas Kesehatan", "TW I", 89.17, 2, 2),
        (kadik.name, kadik.nip, "Dinas Pendidikan", "TW I", 50.0, 2, 2),
    ]
    assert all(isinstance(row[4], float) and isinstance(row[6], int) for row in body)


def test_below_target_export_keeps_to_the_kepala_opds_units(
    scenario: Scenario,  # noqa: F811
    role_users: dict[str, User],
) -> None:
    client = client_for(role_users["kepala_opd"])
    _pieces, rows = _pieces_and_sheet(
        client.get(url("export_below_target", scenario.pemda), {"year": YEAR})
    )
    assert [row[2] for row in rows[1:]] == ["Dinas Kesehatan"]


def test_achievement_export_one_typed_row_per_indicator_and_quarter(
    scenario: Scenario,  # noqa: F811
    admin_client_a: Any,
) -> None:
    base = f"/p/{scenario.pemda.slug}/performance"
    _pieces, rows = _pieces_and_sheet(admin_client_a.get(f"{base}/achievement.xlsx?year={YEAR}"))
    header, *body = rows
    assert header[9:16] == (
        "Triwulan",
        "Target",
        "Realisasi",
        "Status",
        "Terlambat",
        "Capaian (%)",
        "Kategori",
    )
    kadis = scenario.kadis.official
    health = [r for r in body if r[2] == kadis.nip]
    # Two indicators of the two signed agreements, four quarters each; the draft has none.
    assert len(health) == 8 and len(body) == 16
    first, second = scenario.kadis.indicators.order_by("goal__order", "order", "pk")
    by_key = {(r[5], r[9]): r for r in health}
    tw1 = by_key[(first.name, "TW I")]
    assert tw1[0] == YEAR and tw1[1] == "Dinas Kesehatan" and tw1[3] == kadis.full_name
    assert tw1[10:12] == (20, 18) and tw1[14] == 90.0 and tw1[15] == "Baik"
    assert isinstance(tw1[11], float) and isinstance(tw1[14], float)
    assert by_key[(second.name, "TW I")][14] == 87.5  # lower is better, range 7-8: 9 -> 87.5%
    assert by_key[(second.name, "TW I")][10] == "7\u20138"  # a range is written as text
    assert by_key[(first.name, "TW II")][14] == 100.0
    assert by_key[(first.name, "TW III")][11:] == (None,) * 6  # nothing reported: empty cells


def test_agreement_export_dates_are_dates(
    scenario: Scenario,  # noqa: F811
    admin_client_a: Any,
) -> None:
    base = f"/p/{scenario.pemda.slug}/performance"
    _pieces, rows = _pieces_and_sheet(
        admin_client_a.get(f"{base}/agreements/export.xlsx?year={YEAR}")
    )
    header, *body = rows
    assert header[8:10] == ("Batas waktu", "Ditandatangani pada")
    by_nip = {r[3]: r for r in body}
    kadis = by_nip[scenario.kadis.official.nip]
    assert kadis[4] == scenario.kadis.official.full_name
    assert kadis[6] == scenario.kadis.superior.full_name
    assert isinstance(kadis[9], dt.datetime)  # the signing day, a date cell
    assert kadis[9].date() == scenario.kadis.signed_at.date()
    draft = by_nip[scenario.draft.official.nip]
    assert draft[9] is None and isinstance(draft[8], dt.datetime)  # due, not signed


def test_achievement_export_every_column_of_an_indicators_four_quarters(
    scenario: Scenario,  # noqa: F811
    admin_client_a: Any,
) -> None:
    # The official's and the indicator's columns are written once and repeated on the four rows
    # (core.exports.cells); each row must still read as if every value were written on it, the
    # second agreement's rows with its own official, the same indicator with its own figures.
    base = f"/p/{scenario.pemda.slug}/performance"
    _pieces, rows = _pieces_and_sheet(admin_client_a.get(f"{base}/achievement.xlsx?year={YEAR}"))
    kadis, kadik = scenario.kadis.official, scenario.kadik.official
    immunisation = "Cakupan imunisasi dasar lengkap"
    goal = "Meningkatnya derajat kesehatan masyarakat"
    health = [r for r in rows[1:] if r[2] == kadis.nip and r[5] == immunisation]
    head = (YEAR, "Dinas Kesehatan", kadis.nip, kadis.full_name, goal, immunisation, "%")
    # Without the "Late" column (it depends on the day the test runs), checked below.
    assert [r[:13] + r[14:] for r in health] == [
        (*head, "Semakin tinggi semakin baik", 2, "TW I", 20, 18, "Terverifikasi", 90, "Baik", None),
        (*head, "Semakin tinggi semakin baik", 2, "TW II", 45, 45, "Terverifikasi", 100, "Sangat Baik", None),
        (*head, "Semakin tinggi semakin baik", 2, "TW III", 70, None, None, None, None, None),
        (*head, "Semakin tinggi semakin baik", 2, "TW IV", 95, None, None, None, None, None),
    ]  # fmt: skip
    late = dict(
        Realization.objects.filter(
            indicator__agreement=scenario.kadis, indicator__name=immunisation
        ).values_list("quarter", "is_late")
    )
    assert [r[13] for r in health] == [
        "ya" if late[1] else None,
        "ya" if late[2] else None,
        None,
        None,
    ]
    education = [r for r in rows[1:] if r[2] == kadik.nip and r[5] == immunisation]
    assert [r[:4] for r in education] == [
        (YEAR, "Dinas Pendidikan", kadik.nip, kadik.full_name)
    ] * 4
    assert education[0][9:13] + education[0][14:16] == (
        "TW I",
        20,
        10,
        "Terverifikasi",
        50,
        "Sangat Kurang",
    )


def test_values_rows_are_the_values_of_values_list(scenario: Scenario) -> None:  # noqa: F811
    # The export's reads keep each distinct converted decimal (SQLite hands out floats); the
    # values must be the ones values_list gives: same types, same digits, None kept.
    for query in (
        Indicator.objects.order_by("pk").values_list(
            "pk", "name", "weight", "target", "target_upper"
        ),
        Realization.objects.order_by("pk").values_list("pk", "value", "status", "is_late"),
    ):
        expected = [[(type(v), str(v)) for v in row] for row in query]
        assert len(expected) >= 4
        assert [[(type(v), str(v)) for v in row] for row in values_rows(query)] == expected
