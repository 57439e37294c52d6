"""Importing officials from HR exports (CSV and XLSX), through the services and the web page.

The import task runs at once in tests (the ImmediateBackend); it is queued on commit, so each
upload runs inside ``django_capture_on_commit_callbacks(execute=True)``, as a real commit would.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.audit.selectors import audit_chain_verify
from pakta.core.errors import DomainError
from pakta.org import selectors
from pakta.org import services as org
from pakta.org.imports import import_job_confirm, import_job_create, import_job_map
from pakta.org.models import Assignment, ImportJob, Official, Pemda, Position, Unit
from tests.conftest import client_for
from tests.kit import AuditWatch, make_nip

pytestmark = pytest.mark.django_db

HEADERS = ["NIP", "NAMA", "JABATAN", "UNIT KERJA", "GOLONGAN", "ESELON/JENJANG"]
EFFECTIVE = dt.date(2024, 1, 2)
ROWS = [
    [
        make_nip(1),
        "Andi Wijaya",
        "Kepala Dinas Pendidikan",
        "Dinas Pendidikan",
        "Pembina (IV/a)",
        "II",
    ],
    [
        make_nip(2),
        "Budi Hartono",
        "Sekretaris Dinas Pendidikan",
        "Dinas Pendidikan",
        "Penata (III/c)",
        "III",
    ],
    [
        make_nip(3, sex=2),
        "Citra Lestari",
        "Analis Kebijakan",
        "Dinas Sosial",
        "Penata Muda (III/a)",
        "Fungsional",
    ],
]
NIP_CITRA = make_nip(3, sex=2)
ORG_CHANGES = ("org.official.", "org.assignment.", "org.unit.", "org.position.")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin(role_users: dict[str, User]) -> User:
    return role_users["admin"]


Capture = Callable[..., Any]


@pytest.fixture
def run_import(
    pemda_a: Pemda, admin: User, django_capture_on_commit_callbacks: Capture
) -> Callable[..., ImportJob]:
    """Upload a file as Pemda A's admin and let the queued task run, as after a real commit."""

    def run(name: str, content: bytes, *, confirm: bool = True, **kwargs: Any) -> ImportJob:
        kwargs.setdefault("effective_date", EFFECTIVE)
        user = kwargs.pop("acting_user", admin)
        confirm_options = {k: kwargs.pop(k) for k in ("end_missing", "unit_choices") if k in kwargs}
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(
                pemda=kwargs.pop("pemda", pemda_a),
                file_name=name,
                content=content,
                acting_user=user,
                **kwargs,
            )
        job.refresh_from_db()
        if confirm and job.status == ImportJob.Status.PREVIEW:
            with django_capture_on_commit_callbacks(execute=True):
                import_job_confirm(job=job, acting_user=user, **confirm_options)
            job.refresh_from_db()
        return job

    return run


def english_client(user: User) -> Client:
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS, delimiter: str = ","
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Pegawai"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state(pemda: Pemda) -> dict[str, Any]:
    """Everything an import may change, to compare before and after."""
    return {
        "units": sorted(Unit.objects.filter(pemda=pemda).values_list("pk", "name", "path")),
        "positions": sorted(
            Position.objects.filter(pemda=pemda).values_list("pk", "title", "unit_id", "level")
        ),
        "officials": sorted(
            Official.objects.filter(pemda=pemda).values_list(
                "pk", "nip", "name", "golongan", "email"
            )
        ),
        "assignments": sorted(
            Assignment.objects.filter(pemda=pemda).values_list(
                "pk", "official_id", "position_id", "start_date", "end_date"
            )
        ),
    }


def org_actions(watch: AuditWatch) -> list[str]:
    return [a for a in watch.actions() if a.startswith(ORG_CHANGES)]


def current_position(nip: str) -> tuple[str, str]:
    assignment = Assignment.objects.select_related("position__unit").get(
        official__nip=nip, end_date__isnull=True
    )
    return assignment.position.title, assignment.position.unit.name


# --- Good files -------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_import_creates_units_positions_officials_and_assignments(
    run_import: Callable[..., ImportJob], pemda_a: Pemda, delimiter: str
) -> None:
    watch = AuditWatch()
    job = run_import("pegawai.csv", csv_bytes(ROWS, delimiter=delimiter))

    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.errors == []
    assert (job.total_rows, job.processed_rows, job.progress_percent) == (3, 3, 100)
    assert job.summary == {
        "units_created": 2,
        "positions_created": 3,
        "officials_created": 3,
        "officials_updated": 0,
        "officials_moved": 0,
        "unchanged": 0,
        "invalid_rows": 0,
    }
    andi = Official.objects.get(nip=make_nip(1))
    assert (andi.pemda, andi.name, andi.golongan, andi.sex) == (
        pemda_a,
        "Andi Wijaya",
        "Pembina (IV/a)",
        "L",
    )
    assert Official.objects.get(nip=NIP_CITRA).sex == "P"
    assert current_position(make_nip(1)) == ("Kepala Dinas Pendidikan", "Dinas Pendidikan")
    assert current_position(NIP_CITRA) == ("Analis Kebijakan", "Dinas Sosial")
    assert Assignment.objects.get(official=andi).start_date == EFFECTIVE
    levels = dict(Position.objects.filter(pemda=pemda_a).values_list("title", "level"))
    assert levels == {
        "Kepala Dinas Pendidikan": "jpt_pratama",
        "Sekretaris Dinas Pendidikan": "administrator",
        "Analis Kebijakan": "fungsional",
    }
    # The imported units are real tree nodes: a subtree query finds them.
    dinas = Unit.objects.get(pemda=pemda_a, name="Dinas Pendidikan")
    assert dinas.path == f"/{dinas.pk}/"
    assert set(
        selectors.official_list_for(pemda=pemda_a, scope=[dinas]).values_list("nip", flat=True)
    ) == {
        make_nip(1),
        make_nip(2),
    }

    actions = watch.actions()
    assert actions[:2] == ["org.import.uploaded", "org.import.confirmed"]
    assert actions[-1] == "org.import.applied"
    assert sorted(actions[2:-1]) == sorted(
        ["org.unit.created"] * 2 + ["org.position.created"] * 3 + ["org.official.created"] * 3
    )
    created = {e.object_id for e in watch.events() if e.action == "org.official.created"}
    assert created == {str(pk) for pk in Official.objects.values_list("pk", flat=True)}
    assert all(e.pemda_id == pemda_a.pk for e in watch.events())


def test_xlsx_import_reads_text_numbers_and_dates(run_import: Callable[..., ImportJob]) -> None:
    rows: list[list[Any]] = [
        # The start date as a date cell, as spreadsheets store them.
        [
            make_nip(1),
            "Andi Wijaya",
            "Kepala Bidang",
            "Dinas Pendidikan",
            4,
            "III.a",
            dt.datetime(2023, 3, 1),
        ],
        [make_nip(2), "Budi Hartono", "Staf", "Dinas Pendidikan", "", "", "15/04/2023"],
    ]
    job = run_import("pegawai.xlsx", xlsx_bytes(rows, headers=[*HEADERS, "TMT JABATAN"]))

    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary["officials_created"] == 2
    first = Assignment.objects.select_related("position", "official").get(official__nip=make_nip(1))
    assert (first.start_date, first.position.level) == (dt.date(2023, 3, 1), "administrator")
    assert first.official.golongan == "4"
    second = Assignment.objects.select_related("position").get(official__nip=make_nip(2))
    assert (second.start_date, second.position.level) == (dt.date(2023, 4, 15), "pelaksana")


def test_a_nip_in_a_number_cell_is_refused_not_misread(
    run_import: Callable[..., ImportJob],
) -> None:
    """An 18-digit NIP typed into a number cell keeps only 15 or 16 digits: refuse the row."""
    rows: list[list[Any]] = [
        [float(make_nip(1)), "Andi Wijaya", "Staf", "Dinas Pendidikan", "", ""],
        ROWS[1],
    ]
    job = run_import("pegawai.xlsx", xlsx_bytes(rows), mode=ImportJob.Mode.GOOD_ROWS)

    assert job.status == ImportJob.Status.DONE
    assert [error["line"] for error in job.errors] == [2]
    assert "was stored as a number and has lost its last digits" in job.errors[0]["reasons"][0]
    assert list(Official.objects.values_list("nip", flat=True)) == [make_nip(2)]


def test_a_large_import_keeps_the_audit_chain_valid(
    run_import: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    """Hundreds of rows take the bulk paths (officials and audit events); the chain still holds."""
    count = 700
    rows = [
        [make_nip(i), f"Pegawai {i:04d}", f"Staf {i % 7}", f"Dinas {i % 5}", "", ""]
        for i in range(count)
    ]
    watch = AuditWatch()

    job = run_import("besar.csv", csv_bytes(rows))

    assert job.status == ImportJob.Status.DONE, job.errors[:3]
    assert job.summary["officials_created"] == count
    assert Official.objects.filter(pemda=pemda_a).count() == count
    assert Assignment.objects.filter(pemda=pemda_a, end_date__isnull=True).count() == count
    actions = watch.actions()
    assert actions.count("org.official.created") == count
    created = {e.object_id for e in watch.events() if e.action == "org.official.created"}
    assert created == {
        str(pk) for pk in Official.objects.filter(pemda=pemda_a).values_list("pk", flat=True)
    }
    report = audit_chain_verify()
    assert report.ok, report.reason


# --- Bad rows ---------------------------------------------------------------------------------

BAD_ROWS = [
    ROWS[0],
    ["19850230201001100", "Tanggal Salah", "Staf", "Dinas Pendidikan", "", ""],  # line 3
    ROWS[1],
    ["", "", "", "", "", ""],  # line 5: blank, skipped but counted
    [make_nip(4), "", "Staf", "Dinas Pendidikan", "", "Eselon IX"],  # line 6
    [make_nip(1), "Andi Lagi", "Staf", "Dinas Pendidikan", "", ""],  # line 7: NIP repeated
]


def _reasons(job: ImportJob) -> dict[int, str]:
    return {error["line"]: " ".join(error["reasons"]) for error in job.errors}


def test_each_bad_row_is_reported_with_its_line_and_reason(
    run_import: Callable[..., ImportJob],
) -> None:
    job = run_import("pegawai.csv", csv_bytes(BAD_ROWS))

    reasons = _reasons(job)
    assert sorted(reasons) == [3, 6, 7]
    assert reasons[3] == "The NIP must have 18 digits; this one has 17."
    assert "The name is empty." in reasons[6]
    assert "The eselon/level Eselon IX is not known." in reasons[6]
    assert reasons[7] == f"The NIP {make_nip(1)} also appears on line 2."


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(
    run_import: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    before = state(pemda_a)
    watch = AuditWatch()

    job = run_import("pegawai.csv", csv_bytes(BAD_ROWS))

    assert job.mode == ImportJob.Mode.ALL_OR_NOTHING
    assert job.status == ImportJob.Status.REJECTED
    assert job.summary == {"valid_rows": 2, "invalid_rows": 3}
    assert state(pemda_a) == before
    assert not Official.objects.filter(nip__in=[make_nip(1), make_nip(2)]).exists()
    assert watch.actions() == ["org.import.uploaded", "org.import.rejected"]


def test_good_rows_mode_imports_the_valid_rows_and_reports_the_others(
    run_import: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    watch = AuditWatch()
    job = run_import("pegawai.csv", csv_bytes(BAD_ROWS), mode=ImportJob.Mode.GOOD_ROWS)

    assert job.status == ImportJob.Status.DONE
    assert sorted(_reasons(job)) == [3, 6, 7]
    assert job.summary["officials_created"] == 2
    assert job.summary["invalid_rows"] == 3
    assert set(Official.objects.filter(pemda=pemda_a).values_list("nip", flat=True)) == {
        make_nip(1),
        make_nip(2),
    }
    assert Official.objects.get(nip=make_nip(1)).name == "Andi Wijaya"
    assert org_actions(watch).count("org.official.created") == 2


def test_a_nip_registered_in_another_pemda_is_refused_for_that_row(
    run_import: Callable[..., ImportJob], pemda_b: Pemda, superadmin: User
) -> None:
    org.official_create(pemda=pemda_b, nip=make_nip(2), name="Pegawai Beta", acting_user=superadmin)

    job = run_import("pegawai.csv", csv_bytes(ROWS), mode=ImportJob.Mode.GOOD_ROWS)

    assert job.status == ImportJob.Status.DONE
    assert job.errors == [
        {
            "line": 3,
            "nip": make_nip(2),
            "reasons": [
                "This NIP is registered in another Pemda; ask its administrator to transfer the official."
            ],
            "columns": ["NIP"],
            "values": [make_nip(2)],
            "causes": ["nip_elsewhere"],
        }
    ]
    budi = Official.objects.get(nip=make_nip(2))
    assert (budi.pemda, budi.name) == (pemda_b, "Pegawai Beta")
    assert not budi.assignments.exists()
    assert job.summary["officials_created"] == 2

    rejected = run_import(
        "pegawai-2.csv", csv_bytes([[make_nip(2), "Budi", "Staf", "Dinas Sosial", "", ""]])
    )
    assert rejected.status == ImportJob.Status.REJECTED


def test_a_change_made_between_the_preview_and_the_confirmation_is_checked_again(
    run_import: Callable[..., ImportJob],
    pemda_b: Pemda,
    superadmin: User,
    admin: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    """The confirmation reuses the preview's checks only while nothing they read has changed."""
    job = run_import("pegawai.csv", csv_bytes(ROWS), confirm=False)
    assert job.status == ImportJob.Status.PREVIEW
    assert (job.preview["added"], job.errors) == (3, [])
    org.official_create(pemda=pemda_b, nip=make_nip(2), name="Pegawai Beta", acting_user=superadmin)

    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(job=job, acting_user=admin)
    job.refresh_from_db()

    assert job.status == ImportJob.Status.REJECTED
    assert [(e["line"], e["causes"]) for e in job.errors] == [(3, ["nip_elsewhere"])]
    assert not Official.objects.filter(nip=make_nip(1)).exists()


# --- Re-importing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build"), [("pegawai.csv", csv_bytes), ("pegawai.xlsx", xlsx_bytes)]
)
def test_reimporting_the_same_file_changes_nothing(
    run_import: Callable[..., ImportJob], pemda_a: Pemda, name: str, build: Callable[..., bytes]
) -> None:
    content = build(ROWS)
    first = run_import(name, content)
    assert first.status == ImportJob.Status.DONE
    before = state(pemda_a)
    watch = AuditWatch()

    again = run_import(name, content, effective_date=dt.date(2025, 6, 1))

    assert again.status == ImportJob.Status.DONE, again.errors
    assert again.summary == {
        "units_created": 0,
        "positions_created": 0,
        "officials_created": 0,
        "officials_updated": 0,
        "officials_moved": 0,
        "unchanged": 3,
        "invalid_rows": 0,
    }
    assert state(pemda_a) == before
    assert watch.actions() == [
        "org.import.uploaded",
        "org.import.confirmed",
        "org.import.applied",
    ]


def test_an_updated_file_moves_officials_and_keeps_history(
    run_import: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    headers = [*HEADERS, "TMT JABATAN"]
    first = [[*row, "2023-01-02"] for row in ROWS]
    assert (
        run_import("pegawai.csv", csv_bytes(first, headers=headers)).status == ImportJob.Status.DONE
    )
    budi = Official.objects.get(nip=make_nip(2))
    old = Assignment.objects.get(official=budi)
    watch = AuditWatch()

    updated = [list(row) for row in first]
    updated[1] = [
        make_nip(2),
        "Budi Hartono",
        "Kepala Dinas Sosial",
        "Dinas Sosial",
        "Pembina (IV/a)",
        "II",
        "01/07/2025",
    ]
    job = run_import("pegawai-juli.csv", csv_bytes(updated, headers=headers))

    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary["officials_moved"] == 1
    assert job.summary["officials_updated"] == 1
    assert job.summary["unchanged"] == 2
    assert job.summary["positions_created"] == 1
    old.refresh_from_db()
    assert old.end_date == dt.date(2025, 6, 30)
    history = list(selectors.assignment_history(official=budi))
    assert [(a.position.title, a.start_date, a.end_date) for a in history] == [
        ("Kepala Dinas Sosial", dt.date(2025, 7, 1), None),
        ("Sekretaris Dinas Pendidikan", dt.date(2023, 1, 2), dt.date(2025, 6, 30)),
    ]
    budi.refresh_from_db()
    assert budi.golongan == "Pembina (IV/a)"
    events = {e.action: e for e in watch.events()}
    assert sorted(org_actions(watch)) == [
        "org.assignment.ended",
        "org.assignment.started",
        "org.official.updated",
        "org.position.created",
    ]
    assert events["org.assignment.ended"].object_id == str(old.pk)
    assert events["org.assignment.started"].object_id == str(history[0].pk)
    assert events["org.official.updated"].summary["changed"] == ["golongan"]

    # The same updated file again: nothing more changes.
    before = state(pemda_a)
    watch = AuditWatch()
    assert (
        run_import("pegawai-juli.csv", csv_bytes(updated, headers=headers)).summary["unchanged"]
        == 3
    )
    assert state(pemda_a) == before
    assert org_actions(watch) == []


def test_a_move_starting_before_the_current_position_is_refused_for_that_row(
    run_import: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    headers = [*HEADERS, "TMT JABATAN"]
    first = [[*row, "2023-01-02"] for row in ROWS]
    assert (
        run_import("pegawai.csv", csv_bytes(first, headers=headers)).status == ImportJob.Status.DONE
    )
    before = state(pemda_a)
    watch = AuditWatch()

    updated = [list(row) for row in first]
    updated[1] = [
        make_nip(2),
        "Budi Hartono",
        "Kepala Dinas Sosial",
        "Dinas Sosial",
        "",
        "II",
        "2022-05-01",
    ]
    job = run_import("pegawai-lama.csv", csv_bytes(updated, headers=headers))

    assert job.status == ImportJob.Status.REJECTED
    assert [(e["line"], e["nip"], e["columns"], e["values"]) for e in job.errors] == [
        (3, make_nip(2), ["TMT JABATAN"], ["2022-05-01"])
    ]
    assert job.errors[0]["reasons"] == [
        "The new position must start after the current one (2 January 2023); give the date in a TMT JABATAN column or choose a later date of position changes."
    ]
    assert state(pemda_a) == before
    assert org_actions(watch) == []


def test_a_unit_named_without_its_parent_is_found_in_the_tree(
    run_import: Callable[..., ImportJob], pemda_a: Pemda, superadmin: User
) -> None:
    dinas = org.unit_create(pemda=pemda_a, name="Dinas Pendidikan", acting_user=superadmin)
    bidang = org.unit_create(pemda=pemda_a, parent=dinas, name="Bidang SD", acting_user=superadmin)
    rows = [[make_nip(1), "Andi Wijaya", "Kepala Bidang SD", "bidang sd", "", "III"]]
    units = Unit.objects.filter(pemda=pemda_a).count()

    job = run_import("pegawai.csv", csv_bytes(rows))

    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary["units_created"] == 0
    assert Unit.objects.filter(pemda=pemda_a).count() == units
    assert current_position(make_nip(1)) == ("Kepala Bidang SD", "Bidang SD")
    assert Position.objects.get(title="Kepala Bidang SD").unit == bidang


# --- Bad files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "pegawai.pdf",
            b"%PDF-1.7\n1 0 obj <<>> endobj\n",
            "Only CSV (.csv) and spreadsheet (.xlsx, .xls, .ods) files can be imported.",
        ),
        (
            "pegawai.docx",
            csv_bytes(ROWS),
            "Only CSV (.csv) and spreadsheet (.xlsx, .xls, .ods) files can be imported.",
        ),
        ("pegawai.csv", b"", "The file is empty."),
        ("pegawai.csv", b"  \r\n\r\n", "The file is empty."),
        ("pegawai.csv", csv_bytes([]), "The file has a header row but no data rows."),
        (
            "pegawai.csv",
            csv_bytes([["", "", "", "", "", ""]]),
            "The file has a header row but no data rows.",
        ),
        ("pegawai.xlsx", xlsx_bytes([]), "The file has a header row but no data rows."),
        ("pegawai.xlsx", csv_bytes(ROWS), "The file is named .xlsx but is not a spreadsheet."),
        (
            "pegawai.xlsx",
            b"PK\x03\x04 truncated",
            "The spreadsheet cannot be read; it may be damaged or protected by a password.",
        ),
        ("pegawai.xls", b"<html><table><tr><td>NIP</td></tr></table>", "is a web page (HTML)"),
        ("pegawai.ods", csv_bytes(ROWS), "The file is named .ods but is not a spreadsheet."),
        ("pegawai.csv", xlsx_bytes(ROWS), "The file is named .csv but is not a text file."),
    ],
    ids=[
        "pdf",
        "docx",
        "empty",
        "blank",
        "header-only",
        "header-and-blank-row",
        "xlsx-header-only",
        "xlsx-not-zip",
        "xlsx-damaged",
        "xls-is-html",
        "ods-not-zip",
        "csv-is-xlsx",
    ],
)
def test_a_bad_file_gets_a_clear_error_and_changes_nothing(
    run_import: Callable[..., ImportJob], pemda_a: Pemda, name: str, content: bytes, message: str
) -> None:
    before = state(pemda_a)
    jobs = ImportJob.objects.count()
    watch = AuditWatch()

    with pytest.raises(DomainError) as error:
        run_import(name, content)

    assert message in str(error.value)
    assert ImportJob.objects.count() == jobs
    assert state(pemda_a) == before
    assert watch.events() == []


@override_settings(PAKTA_IMPORT_MAX_BYTES=100_000)
def test_a_file_over_the_size_limit_is_refused(
    run_import: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    rows = [[make_nip(i), f"Pegawai {i}", "Staf", "Dinas Pendidikan", "", ""] for i in range(3000)]
    content = csv_bytes(rows)
    assert len(content) > 100_000
    watch = AuditWatch()

    with pytest.raises(DomainError) as error:
        run_import("pegawai.csv", content)

    assert str(error.value) == "The file is larger than the limit of 0.1 MB."
    assert not ImportJob.objects.exists()
    assert not Official.objects.filter(pemda=pemda_a).exists()
    assert watch.events() == []


# --- Column mapping ---------------------------------------------------------------------------


def test_unknown_headers_wait_for_a_mapping_that_completes_the_import(
    run_import: Callable[..., ImportJob],
    admin: User,
    pemda_a: Pemda,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    headers = ["Nomor Induk", "Nama Pegawai", "Jabatan Sekarang", "Satuan Kerja", "Keterangan"]
    rows = [[r[0], r[1], r[2], r[3], "-"] for r in ROWS]
    job = run_import("ekspor-simpeg.csv", csv_bytes(rows, headers=headers))

    assert job.status == ImportJob.Status.MAPPING
    assert job.headers == headers
    # The headers it recognised ("Satuan Kerja" is usually the OPD, not the unit).
    assert job.mapping == {
        "name": "Nama Pegawai",
        "position": "Jabatan Sekarang",
        "opd": "Satuan Kerja",
    }
    assert not Official.objects.filter(pemda=pemda_a).exists()

    with pytest.raises(DomainError, match="Choose a column for: NIP"):
        import_job_map(
            job=job,
            mapping={
                "name": "Nama Pegawai",
                "position": "Jabatan Sekarang",
                "unit": "Satuan Kerja",
            },
            acting_user=admin,
        )
    with pytest.raises(DomainError, match=r"Each column can be used for one field only\."):
        import_job_map(
            job=job,
            mapping={
                "nip": "Nomor Induk",
                "name": "Nama Pegawai",
                "position": "Satuan Kerja",
                "unit": "Satuan Kerja",
            },
            acting_user=admin,
        )
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.MAPPING

    with django_capture_on_commit_callbacks(execute=True):
        import_job_map(
            job=job,
            mapping={
                "nip": "Nomor Induk",
                "name": "Nama Pegawai",
                "position": "Jabatan Sekarang",
                "unit": "Satuan Kerja",
            },
            acting_user=admin,
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    assert job.preview["added"] == 3
    assert not Official.objects.filter(pemda=pemda_a).exists()  # nothing before confirming
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(job=job, acting_user=admin)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary["officials_created"] == 3
    assert current_position(NIP_CITRA) == ("Analis Kebijakan", "Dinas Sosial")

    with pytest.raises(DomainError, match="not waiting for a column mapping"):
        import_job_map(job=job, mapping=job.mapping, acting_user=admin)


# --- Through the web page ---------------------------------------------------------------------


def test_upload_page_reports_bad_rows_then_imports_the_fixed_file(
    admin: User, pemda_a: Pemda, django_capture_on_commit_callbacks: Capture
) -> None:
    client = english_client(admin)
    url = reverse("org:import_list", kwargs={"pemda": pemda_a.slug})
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "file": SimpleUploadedFile("pegawai.csv", csv_bytes(BAD_ROWS), "text/csv"),
                "mode": "all",
            },
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()

    # The preview: what the import would do, and each bad row with its line, column and value.
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Waiting for confirmation" in page
    assert "Nothing has been written yet." in page
    assert "3 invalid rows" in page
    assert "1 row: invalid NIP" in page
    assert "1 row: name empty" in page
    assert "<td>3</td>" in page
    assert "<td>ESELON/JENJANG</td><td>Eselon IX</td>" in page
    assert "The NIP must have 18 digits; this one has 17." in page
    assert "<td>7</td>" in page
    assert f"The NIP {make_nip(1)} also appears on line 2." in page
    assert not Official.objects.filter(pemda=pemda_a).exists()

    # All or nothing, confirmed with bad rows: rejected, nothing written.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(job.get_absolute_url(), {"action": "confirm", "mode": "all"})
    assert response.status_code == 302
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Rejected: nothing was changed" in page
    assert not Official.objects.filter(pemda=pemda_a).exists()

    # The progress partial polled by htmx shows the same result.
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content
    assert b"The NIP must have 18 digits" in partial.content

    # The fixed file goes through: preview, then confirm.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"file": SimpleUploadedFile("pegawai.csv", csv_bytes(ROWS), "text/csv"), "mode": "all"},
        )
    assert response.status_code == 302
    fixed = ImportJob.objects.exclude(pk=job.pk).get()
    page = client.get(fixed.get_absolute_url()).content.decode()
    assert "officials to add" in page
    assert "2 units to create" in page
    assert not Official.objects.filter(pemda=pemda_a).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(fixed.get_absolute_url(), {"action": "confirm", "mode": "all"})
    page = client.get(fixed.get_absolute_url()).content.decode()
    assert "Officials created: 3" in page
    assert "Undo this import" in page
    assert Official.objects.filter(pemda=pemda_a).count() == 3
    listing = client.get(reverse("org:official_list", kwargs={"pemda": pemda_a.slug}))
    assert "Citra Lestari" in listing.content.decode()


def test_upload_page_shows_a_bad_file_error_and_creates_no_job(admin: User, pemda_a: Pemda) -> None:
    client = english_client(admin)
    response = client.post(
        reverse("org:import_list", kwargs={"pemda": pemda_a.slug}),
        {"file": SimpleUploadedFile("laporan.pdf", b"%PDF-1.4", "application/pdf"), "mode": "all"},
    )
    assert response.status_code == 400
    assert (
        "Only CSV (.csv) and spreadsheet (.xlsx, .xls, .ods) files can be imported."
        in response.content.decode()
    )
    assert not ImportJob.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="org.import.").exists()


def test_mapping_page_completes_the_import(
    admin: User,
    pemda_a: Pemda,
    run_import: Callable[..., ImportJob],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    headers = ["Nomor Induk", "Nama", "Jabatan Sekarang", "Satuan Kerja"]
    job = run_import("simpeg.csv", csv_bytes([r[:4] for r in ROWS], headers=headers))
    assert job.status == ImportJob.Status.MAPPING
    client = english_client(admin)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Which column holds what?" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            job.get_absolute_url(),
            {
                "nip": "Nomor Induk",
                "name": "Nama",
                "position": "Jabatan Sekarang",
                "unit": "Satuan Kerja",
            },
        )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job.get_absolute_url(), {"action": "confirm", "mode": "all"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Official.objects.filter(pemda=pemda_a).count() == 3
