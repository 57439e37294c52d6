"""HR exports as Pemda offices have them: title rows, several sheets, Windows encodings, SIASN
and SIMPEG columns and values, heads of units by evidence, the preview, undo, the API and the
command. Every file is built here, in the test, the way the exporting program lays it out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from pakta.accounts.models import User
from pakta.core.errors import DomainError
from pakta.org import services as org
from pakta.org.import_values import (
    clean,
    clean_nip,
    normalize_golongan,
    parse_date,
    parse_level,
    split_titles,
)
from pakta.org.imports import (
    import_job_cancel,
    import_job_choose_sheet,
    import_job_confirm,
    import_job_create,
    import_job_map,
    import_job_undo,
    import_jobs_expire,
    read_upload,
)
from pakta.org.models import Assignment, ImportJob, Official, Pemda, Position, Unit
from pakta.pacts.models import Pact
from tests.conftest import client_for
from tests.kit import make_nip

pytestmark = pytest.mark.django_db

EFFECTIVE = dt.date(2024, 1, 2)
Capture = Callable[..., Any]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin(role_users: dict[str, User]) -> User:
    return role_users["admin"]


@pytest.fixture
def upload(
    pemda_a: Pemda, admin: User, django_capture_on_commit_callbacks: Capture
) -> Callable[..., ImportJob]:
    """Upload a file as Pemda A's admin; the check runs as after a real commit (no confirm)."""

    def run(name: str, content: bytes, **kwargs: Any) -> ImportJob:
        kwargs.setdefault("effective_date", EFFECTIVE)
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(
                pemda=pemda_a, file_name=name, content=content, acting_user=admin, **kwargs
            )
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def confirm(admin: User, django_capture_on_commit_callbacks: Capture) -> Callable[..., ImportJob]:
    def run(job: ImportJob, **kwargs: Any) -> ImportJob:
        assert job.status == ImportJob.Status.PREVIEW, (job.status, job.errors[:3])
        with django_capture_on_commit_callbacks(execute=True):
            import_job_confirm(job=job, acting_user=admin, **kwargs)
        job.refresh_from_db()
        return job

    return run


def xlsx(*sheets: tuple[str, Sequence[Sequence[Any]]], merge: Sequence[str] = ()) -> bytes:
    """A workbook with the given sheets (name, rows); ``merge`` ranges on the first sheet."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for index, (name, rows) in enumerate(sheets):
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        if index == 0:
            for cells in merge:
                sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods(rows: Sequence[Sequence[Any]]) -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes one (text cells)."""
    body = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(c))}</text:p></table:table-cell>'
            for c in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Pegawai">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def text_csv(rows: Sequence[Sequence[Any]], *, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


HEADER = ["NIP", "NAMA", "JABATAN", "UNIT KERJA", "ESELON"]
PEOPLE = [
    [make_nip(1), "Andi Wijaya", "Kepala Dinas Pendidikan", "Dinas Pendidikan", "II.a"],
    [make_nip(2), "Budi Hartono", "Sekretaris", "Dinas Pendidikan", "III.a"],
    [make_nip(3, sex=2), "Citra Lestari", "Analis Kebijakan", "Dinas Sosial", "JFT"],
]


def names(pemda: Pemda) -> set[str]:
    return set(Official.objects.filter(pemda=pemda).values_list("name", flat=True))


# --- 1. The header is found wherever it is --------------------------------------------------


def test_title_rows_merged_cells_and_empty_rows_above_the_header(
    upload: Callable[..., ImportJob], confirm: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    rows = [
        ["DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL"],
        ["KABUPATEN ALFA TAHUN 2026"],
        [],
        [],
        HEADER,
        *PEOPLE,
        [],
        [],
    ]
    content = xlsx(("Nominatif", rows), merge=["A1:E1", "A2:E2"])

    job = upload("nominatif.xlsx", content)

    assert job.status == ImportJob.Status.PREVIEW, job.errors
    assert (job.sheet, job.header_line, job.header_height) == ("Nominatif", 5, 1)
    assert job.total_rows == 3
    assert job.preview["added"] == 3
    job = confirm(job)
    assert job.status == ImportJob.Status.DONE
    assert names(pemda_a) == {"Andi Wijaya", "Budi Hartono", "Citra Lestari"}


def test_a_two_row_header_under_merged_titles(
    upload: Callable[..., ImportJob], confirm: Callable[..., ImportJob]
) -> None:
    top = ["NO", "NIP", "NAMA", "PANGKAT", "", "JABATAN", "", "UNIT KERJA"]
    below = ["", "", "", "GOL. RUANG", "TMT", "NAMA", "ESELON", ""]
    rows: list[list[Any]] = [
        ["DAFTAR URUT KEPANGKATAN"],
        top,
        below,
        [1, make_nip(1), "Andi Wijaya", "IV/a", "01-04-2020", "Kepala Dinas", "II.a", "Dinas A"],
        [2, make_nip(2), "Budi Hartono", "III/b", "01-04-2021", "Pengadministrasi", "-", "Dinas A"],
    ]
    content = xlsx(("DUK", rows), merge=["D2:E2", "F2:G2", "A2:A3", "B2:B3", "C2:C3", "H2:H3"])

    job = upload("duk.xlsx", content)

    assert (job.header_line, job.header_height) == (3, 2)
    assert job.mapping["position"] == "JABATAN NAMA"
    assert job.mapping["level"] == "JABATAN ESELON"
    assert job.mapping["golongan"] == "PANGKAT GOL. RUANG"
    job = confirm(job)
    assert job.status == ImportJob.Status.DONE, job.errors
    andi = Official.objects.get(nip=make_nip(1))
    assert andi.golongan == "Pembina (IV/a)"
    levels = dict(Position.objects.values_list("title", "level"))
    assert levels == {"Kepala Dinas": "jpt_pratama", "Pengadministrasi": "pelaksana"}


def test_the_sheet_holding_the_data_is_chosen_and_another_can_be_picked(
    upload: Callable[..., ImportJob], admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    notes = [["Petunjuk pengisian"], ["Isi satu baris per pegawai."]]
    pns = [HEADER, *PEOPLE[:2]]
    pppk = [HEADER, PEOPLE[2]]
    job = upload("pegawai.xlsx", xlsx(("Petunjuk", notes), ("PNS", pns), ("PPPK", pppk)))

    assert job.sheet == "PNS"
    # The notes sheet has no header row: it is not offered.
    assert [(s["name"], s["qualifies"]) for s in job.sheets] == [("PNS", True), ("PPPK", True)]
    assert job.preview["added"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        import_job_choose_sheet(job=job, sheet="PPPK", acting_user=admin)
    job.refresh_from_db()
    assert (job.sheet, job.status, job.preview["added"]) == ("PPPK", "preview", 1)
    with pytest.raises(DomainError, match="The sheet Petunjuk has no header row"):
        import_job_choose_sheet(job=job, sheet="Petunjuk", acting_user=admin)


def test_a_workbook_without_any_header_names_its_sheets(
    upload: Callable[..., ImportJob],
) -> None:
    with pytest.raises(DomainError) as error:
        upload("kosong.xlsx", xlsx(("Satu", [["judul"]]), ("Dua", [["catatan"]])))
    assert (
        str(error.value) == "No sheet of the file (Satu, Dua) has a header row naming its columns."
    )


# --- 2. Encodings and formats --------------------------------------------------------------


WINDOWS_ROWS = [
    HEADER,
    [make_nip(1), "Andi O\u2019Neil Wijaya", "Kepala Dinas Pendidikan", "Dinas Pendidikan", "II"],
    [make_nip(2), "Ren\u00e9 Hartono", "Sekretaris \u2013 Umum", "Dinas\u00a0Pendidikan", "III"],
]


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("utf-8", b"", ","),
        ("utf-8", b"\xef\xbb\xbf", ";"),
        ("cp1252", b"", ";"),
        ("cp1252", b"", ","),
        ("utf-8", b"", "\t"),
        ("utf-16", b"", "\t"),
    ],
    ids=["utf8", "utf8-bom-semicolon", "windows-1252-semicolon", "windows-1252", "tab", "utf16"],
)
def test_csv_in_every_common_encoding_and_separator(
    upload: Callable[..., ImportJob],
    confirm: Callable[..., ImportJob],
    encoding: str,
    bom: bytes,
    delimiter: str,
) -> None:
    content = bom + text_csv(WINDOWS_ROWS, delimiter=delimiter).encode(encoding)

    job = confirm(upload("pegawai.csv", content))

    assert job.status == ImportJob.Status.DONE, job.errors
    assert Official.objects.get(nip=make_nip(1)).name == "Andi O\u2019Neil Wijaya"
    assert Official.objects.get(nip=make_nip(2)).name == "Ren\u00e9 Hartono"
    # The non-breaking space is a space: the unit is the same as on the first row.
    assert list(
        Unit.objects.filter(name__contains="Pendidikan").values_list("name", flat=True)
    ) == ["Dinas Pendidikan"]
    assert Position.objects.filter(title="Sekretaris \u2013 Umum").exists()


def test_latin1_text_is_read(
    upload: Callable[..., ImportJob], confirm: Callable[..., ImportJob]
) -> None:
    rows = [HEADER, [make_nip(1), "Jos\u00e9 Mar\u00eda", "Staf", "Dinas Sosial", ""]]
    job = confirm(upload("pegawai.csv", text_csv(rows).encode("latin-1")))
    assert Official.objects.get(nip=make_nip(1)).name == "Jos\u00e9 Mar\u00eda"
    assert job.status == ImportJob.Status.DONE


def test_an_ods_spreadsheet_is_read(
    upload: Callable[..., ImportJob], confirm: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    job = confirm(upload("pegawai.ods", ods([["Daftar pegawai"], HEADER, *PEOPLE])))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.header_line == 2
    assert len(names(pemda_a)) == 3


def xls(rows: Sequence[Sequence[Any]]) -> bytes:
    """An Excel 97-2003 workbook (.xls, BIFF8), as older SIMPEG installations still export."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Nominatif")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xls_workbook_is_read(
    upload: Callable[..., ImportJob], confirm: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    data = xls([["DAFTAR NOMINATIF PEGAWAI TAHUN 2026"], [], HEADER, *PEOPLE])
    assert data[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # a real OLE2 .xls, not renamed
    job = confirm(upload("pegawai.xls", data))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.header_line == 3
    assert len(names(pemda_a)) == 3


# --- 3. The vocabulary of real exports ------------------------------------------------------


def test_a_siasn_export_is_recognised_and_read(
    upload: Callable[..., ImportJob], confirm: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    headers = [
        "PNS_ID",
        "NIP_BARU",
        "NIP_LAMA",
        "NAMA",
        "GELAR_DEPAN",
        "GELAR_BELAKANG",
        "TANGGAL_LAHIR",
        "GOL_AKHIR_NAMA",
        "JENIS_JABATAN_NAMA",
        "JABATAN_NAMA",
        "TMT_JABATAN",
        "UNOR_NAMA",
        "UNOR_INDUK_NAMA",
        "SATUAN_KERJA_INDUK_NAMA",
        "KEDUDUKAN_HUKUM_NAMA",
    ]
    rows = [
        headers,
        [
            "8ae4",
            f"'{make_nip(1)}",
            "'010203040",
            "ANDI WIJAYA",
            "Dr.",
            "S.H., M.Si.",
            "01-01-1980",
            "IV/c",
            "Struktural",
            "Kepala Dinas Pendidikan",
            "02-01-2023",
            "Dinas Pendidikan",
            "Dinas Pendidikan",
            "Pemerintah Kab. Alfa",
            "Aktif",
        ],
        [
            "8ae5",
            f"'{make_nip(2)}",
            "null",
            "BUDI HARTONO",
            "null",
            "null",
            "01-01-1980",
            "III/a",
            "Fungsional Tertentu",
            "Guru Ahli Pertama",
            "01.12.2020",
            "SD Negeri 1",
            "Dinas Pendidikan",
            "Pemerintah Kab. Alfa",
            "Aktif",
        ],
    ]
    job = upload("siasn.csv", text_csv(rows).encode())

    assert job.mapping == {
        "nip": "NIP_BARU",
        "name": "NAMA",
        "front_title": "GELAR_DEPAN",
        "back_title": "GELAR_BELAKANG",
        "golongan": "GOL_AKHIR_NAMA",
        "job_type": "JENIS_JABATAN_NAMA",
        "position": "JABATAN_NAMA",
        "start_date": "TMT_JABATAN",
        "unit": "UNOR_NAMA",
        "parent_unit": "UNOR_INDUK_NAMA",
        "legal_status": "KEDUDUKAN_HUKUM_NAMA",
    }
    assert job.preview["unused_columns"] == [
        "PNS_ID",
        "NIP_LAMA",
        "TANGGAL_LAHIR",
        "SATUAN_KERJA_INDUK_NAMA",
    ]
    job = confirm(job)
    assert job.status == ImportJob.Status.DONE, job.errors
    andi = Official.objects.get(nip=make_nip(1))
    assert (andi.front_title, andi.back_title, andi.golongan) == (
        "Dr.",
        "S.H., M.Si.",
        "Pembina Utama Muda (IV/c)",
    )
    budi = Official.objects.get(nip=make_nip(2))
    assert (budi.front_title, budi.back_title) == ("", "")
    guru = Assignment.objects.select_related("position__unit__parent").get(official=budi)
    assert guru.start_date == dt.date(2020, 12, 1)
    assert guru.position.level == "fungsional"
    parent = guru.position.unit.parent
    assert parent is not None
    assert (guru.position.unit.name, parent.name) == (
        "SD Negeri 1",
        "Dinas Pendidikan",
    )


def test_a_simpeg_nominatif_with_skpd_and_sub_units(
    upload: Callable[..., ImportJob], confirm: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    headers = [
        "NO",
        "NIP BARU",
        "NAMA LENGKAP",
        "PANGKAT/GOL. RUANG",
        "JABATAN TERAKHIR",
        "ESELON",
        "TMT JABATAN",
        "SKPD",
        "UNIT ORGANISASI",
        "SUB UNIT KERJA",
    ]
    rows: list[list[Any]] = [
        ["NOMINATIF PEGAWAI DINAS PEKERJAAN UMUM"],
        headers,
        [
            1,
            f"NIP. {make_nip(1)}",
            "Ir. H. Ahmad Fauzi, M.T.",
            "Pembina Utama Muda, IV/c",
            "Kepala Dinas",
            "II.a",
            "02-01-2022",
            "Dinas PU",
            "Dinas PU",
            "-",
        ],
        [
            2,
            make_nip(2)[:8]
            + " "
            + make_nip(2)[8:14]
            + " "
            + make_nip(2)[14]
            + " "
            + make_nip(2)[15:],
            "Sri Wahyuni, S.T.",
            "Penata Muda Tk. I, III/b",
            "Kepala Bidang Bina Marga",
            "III.b",
            "1 Desember 2020",
            "Dinas PU",
            "Bidang Bina Marga",
            "",
        ],
        [
            3,
            make_nip(3).replace("2005", "2005.", 1),
            "Joko",
            "3b",
            "Kepala Seksi Jalan",
            "IV.a",
            "",
            "Dinas PU",
            "Bidang Bina Marga",
            "Seksi Jalan",
        ],
        [
            4,
            make_nip(4),
            "Rina",
            "II/c",
            "Pengadministrasi Umum",
            "Non Eselon",
            "",
            "Dinas PU",
            "Bidang Bina Marga",
            "Seksi Jalan",
        ],
    ]
    job = confirm(upload("nominatif.xlsx", xlsx(("Sheet1", rows))))

    assert job.status == ImportJob.Status.DONE, job.errors
    ahmad = Official.objects.get(nip=make_nip(1))
    assert (ahmad.front_title, ahmad.name, ahmad.back_title) == ("Ir. H.", "Ahmad Fauzi", "M.T.")
    assert ahmad.golongan == "Pembina Utama Muda (IV/c)"
    assert Official.objects.get(nip=make_nip(2)).golongan == "Penata Muda Tingkat I (III/b)"
    assert Official.objects.get(nip=make_nip(3)).golongan == "Penata Muda Tingkat I (III/b)"
    tree = {
        u.name: u.parent.name if u.parent else None
        for u in Unit.objects.filter(pemda=pemda_a).exclude(name="Dinas Kesehatan")
    }
    assert tree == {
        "Dinas PU": None,
        "Bidang Bina Marga": "Dinas PU",
        "Seksi Jalan": "Bidang Bina Marga",
    }
    heads = set(Position.objects.filter(is_unit_head=True).values_list("title", "unit__name"))
    assert heads == {
        ("Kepala Dinas", "Dinas PU"),
        ("Kepala Bidang Bina Marga", "Bidang Bina Marga"),
        ("Kepala Seksi Jalan", "Seksi Jalan"),
    }


@pytest.mark.parametrize(
    ("value", "job_type", "level"),
    [
        ("Non Eselon", "", "pelaksana"),
        ("-", "", "pelaksana"),
        ("", "", "pelaksana"),
        ("", "Fungsional Tertentu", "fungsional"),
        ("Non Eselon", "JABATAN FUNGSIONAL TERTENTU", "fungsional"),
        ("JFT", "", "fungsional"),
        ("JFU", "", "pelaksana"),
        ("Fungsional Tertentu", "", "fungsional"),
        ("Fungsional Umum", "", "pelaksana"),
        ("V.a", "", "pengawas"),
        ("IV.b", "", "pengawas"),
        ("III/a", "", "administrator"),
        ("II.b", "", "jpt_pratama"),
        ("I.b", "", "jpt_madya"),
        ("I.a", "", "jpt_utama"),
        ("22", "", "jpt_pratama"),
        ("Jabatan Pimpinan Tinggi Pratama", "", "jpt_pratama"),
        ("JPT Madya", "", "jpt_madya"),
        ("Administrator", "", "administrator"),
        ("Eselon IX", "", None),
    ],
)
def test_eselon_and_level_values(value: str, job_type: str, level: str | None) -> None:
    assert parse_level(value, job_type) == level


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Penata Muda Tk. I, III/b", "Penata Muda Tingkat I (III/b)"),
        ("III.b", "Penata Muda Tingkat I (III/b)"),
        ("3b", "Penata Muda Tingkat I (III/b)"),
        ("III/b", "Penata Muda Tingkat I (III/b)"),
        ("Pembina (IV/a)", "Pembina (IV/a)"),
        ("IX", "IX"),
    ],
)
def test_golongan_spellings_become_one_form(value: str, expected: str) -> None:
    assert normalize_golongan(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-12-01", dt.date(2020, 12, 1)),
        ("01-12-2020", dt.date(2020, 12, 1)),
        ("01/12/2020", dt.date(2020, 12, 1)),
        ("01.12.2020", dt.date(2020, 12, 1)),
        ("01 Desember 2020", dt.date(2020, 12, 1)),
        ("1 Des 2020", dt.date(2020, 12, 1)),
        ("31-02-2020", None),
        ("kemarin", None),
    ],
)
def test_date_spellings(value: str, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_nip_and_cell_clean_up() -> None:
    nip = make_nip(1)
    spaced = f"{nip[:8]}\u00a0{nip[8:14]}\u00a0{nip[14]}\u00a0{nip[15:]}"
    for value in (f"'{nip}", f"NIP. {nip}", f"NIP: {nip}", spaced, nip.replace("2005", "2005-")):
        assert clean_nip(value) == nip, value
    assert clean("null") == clean("NULL") == clean("  ") == ""
    assert clean("'0812") == "0812"
    assert split_titles("Dr. H. Ahmad Fauzi, S.H., M.Si.") == (
        "Dr. H.",
        "Ahmad Fauzi",
        "S.H., M.Si.",
    )
    assert split_titles("Muh. Ali") == ("", "Muh. Ali", "")
    assert split_titles("Hj. Siti Aminah, S.Pd") == ("Hj.", "Siti Aminah", "S.Pd")


# --- 4. Heads of units by evidence ---------------------------------------------------------


def test_a_flat_export_makes_only_the_real_head_head_of_the_opd(
    upload: Callable[..., ImportJob], confirm: Callable[..., ImportJob]
) -> None:
    rows = [
        HEADER,
        [make_nip(1), "Andi", "Kepala Dinas Kesehatan", "Dinas Kesehatan", "II.a"],
        [make_nip(2), "Budi", "Sekretaris Dinas Kesehatan", "Dinas Kesehatan", "III.a"],
        [make_nip(3), "Cici", "Kepala Bidang P2P", "Dinas Kesehatan", "III.b"],
        [make_nip(4), "Dedi", "Kepala Seksi Surveilans", "Dinas Kesehatan", "IV.a"],
        [make_nip(5), "Eka", "Kepala Sub Bagian Umum", "Dinas Sosial", "IV.a"],
    ]
    job = upload("rata.csv", text_csv(rows).encode())

    assert job.preview["heads_new"] == [
        {"title": "Kepala Dinas Kesehatan", "unit": "Dinas Kesehatan", "official": "Andi"}
    ]
    confirm(job)
    assert list(Position.objects.filter(is_unit_head=True).values_list("title", flat=True)) == [
        "Kepala Dinas Kesehatan"
    ]


def test_an_occupied_head_post_is_reported_not_doubled(
    upload: Callable[..., ImportJob], confirm: Callable[..., ImportJob]
) -> None:
    first = [HEADER, [make_nip(1), "Andi", "Kepala Dinas", "Dinas A", "II"]]
    assert confirm(upload("a.csv", text_csv(first).encode())).status == ImportJob.Status.DONE
    assert Position.objects.get(title="Kepala Dinas").is_unit_head

    second = [
        HEADER,
        [make_nip(3), "Cici", "Kepala Badan", "Badan B", "II"],
        [make_nip(4), "Dodi", "Kepala Badan", "Badan B", "II"],
    ]
    job = upload("b.csv", text_csv(second).encode())
    assert [(e["line"], e["causes"]) for e in job.errors] == [(3, ["head_taken"])]
    assert job.errors[0]["reasons"] == [
        "The post Kepala Badan heads its unit and is also given on line 2."
    ]

    third = [HEADER, [make_nip(2), "Budi", "Kepala Dinas", "Dinas A", "II"]]
    job = upload("c.csv", text_csv(third).encode())
    assert job.errors[0]["reasons"] == [
        f"The post Kepala Dinas heads its unit and is held by Andi (NIP {make_nip(1)}); end that assignment first or include the move in the file."
    ]
    job = confirm(job, mode=ImportJob.Mode.GOOD_ROWS)
    holders = Assignment.objects.filter(position__title="Kepala Dinas", end_date__isnull=True)
    assert holders.count() == 1


# --- 5. Preview, choices, cancel, expiry, remembered mapping, undo --------------------------


def test_the_preview_writes_nothing_and_suggests_existing_units(
    upload: Callable[..., ImportJob],
    confirm: Callable[..., ImportJob],
    pemda_a: Pemda,
    superadmin: User,
) -> None:
    pupr = org.unit_create(
        pemda=pemda_a, name="Dinas Pekerjaan Umum dan Penataan Ruang", acting_user=superadmin
    )
    units_before = Unit.objects.filter(pemda=pemda_a).count()
    rows = [
        HEADER,
        [make_nip(1), "Andi", "Kepala Dinas", "Dinas Pekerjaan Umum", "II"],
        [make_nip(2), "Budi", "Staf", "Dinas Pendidikan", ""],
    ]
    job = upload("pu.csv", text_csv(rows).encode())

    assert job.status == ImportJob.Status.PREVIEW
    assert not Official.objects.filter(pemda=pemda_a).exists()
    new = {u["name"]: u for u in job.preview["units_new"]}
    assert set(new) == {"Dinas Pekerjaan Umum", "Dinas Pendidikan"}
    assert new["Dinas Pekerjaan Umum"]["suggestions"][0]["id"] == pupr.pk
    assert new["Dinas Pendidikan"]["suggestions"] == []

    job = confirm(job, unit_choices={new["Dinas Pekerjaan Umum"]["key"]: pupr.pk})

    assert job.status == ImportJob.Status.DONE
    assert Unit.objects.filter(pemda=pemda_a).count() == units_before + 1  # Dinas Pendidikan only
    assert Position.objects.get(title="Kepala Dinas").unit == pupr


def test_the_preview_page_offers_the_close_match(
    upload: Callable[..., ImportJob], admin: User, pemda_a: Pemda, superadmin: User
) -> None:
    org.unit_create(
        pemda=pemda_a, name="Dinas Pekerjaan Umum dan Penataan Ruang", acting_user=superadmin
    )
    rows = [HEADER, [make_nip(1), "Andi", "Kepala Dinas", "Dinas Pekerjaan Umum", "II"]]
    job = upload("pu.csv", text_csv(rows).encode())
    client = client_for(admin)
    client.cookies["django_language"] = "en"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "What this import will do" in page
    assert "It is the existing unit Dinas Pekerjaan Umum dan Penataan Ruang" in page
    assert "Dinas Pekerjaan Umum dan Penataan Ruang?" in page


def test_a_waiting_import_can_be_cancelled_and_expires(
    upload: Callable[..., ImportJob], admin: User, pemda_a: Pemda
) -> None:
    content = text_csv([HEADER, *PEOPLE]).encode()
    job = upload("a.csv", content)
    import_job_cancel(job=job, acting_user=admin)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED
    with pytest.raises(DomainError, match="not waiting for a confirmation"):
        import_job_confirm(job=job, acting_user=admin)

    old = upload("b.csv", content)
    ImportJob.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(hours=49))
    fresh = upload("c.csv", content)
    assert import_jobs_expire(pemda=pemda_a) == 1
    assert ImportJob.objects.get(pk=old.pk).status == ImportJob.Status.EXPIRED
    assert ImportJob.objects.get(pk=fresh.pk).status == ImportJob.Status.PREVIEW
    assert not Official.objects.filter(pemda=pemda_a).exists()


def test_a_column_mapping_is_remembered_for_the_same_headers(
    upload: Callable[..., ImportJob], admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    headers = ["Nomor Induk", "Nama Pegawai", "Jabatan", "Tempat Tugas"]
    content = text_csv([headers, *[p[:4] for p in PEOPLE]]).encode()
    job = upload("bulan-1.csv", content)
    assert job.status == ImportJob.Status.MAPPING
    with django_capture_on_commit_callbacks(execute=True):
        import_job_map(
            job=job,
            mapping={
                "nip": "Nomor Induk",
                "name": "Nama Pegawai",
                "position": "Jabatan",
                "unit": "Tempat Tugas",
            },
            acting_user=admin,
        )

    again = upload("bulan-2.csv", content)

    assert again.status == ImportJob.Status.PREVIEW
    assert again.mapping["unit"] == "Tempat Tugas"
    assert again.preview["added"] == 3


def test_an_import_is_undone_within_24_hours_unless_changed_since(
    upload: Callable[..., ImportJob],
    confirm: Callable[..., ImportJob],
    admin: User,
    pemda_a: Pemda,
) -> None:
    first = [[*HEADER, "TMT JABATAN"], *[[*p, "02-01-2023"] for p in PEOPLE]]
    assert confirm(upload("a.csv", text_csv(first).encode())).status == ImportJob.Status.DONE
    before = sorted(
        Assignment.objects.filter(pemda=pemda_a).values_list("pk", "position_id", "end_date")
    )
    moved = [list(row) for row in first]
    moved[2] = [
        make_nip(2),
        "Budi Hartono",
        "Kepala Dinas Sosial",
        "Dinas Sosial",
        "II",
        "01-07-2025",
    ]
    moved.append([make_nip(9), "Dewi Baru", "Staf", "Dinas Baru", "", "01-07-2025"])
    job = confirm(upload("b.csv", text_csv(moved).encode()))
    assert job.summary["officials_moved"] == 1
    budi = Official.objects.get(nip=make_nip(2))
    assert Pact.objects.filter(
        official=budi, assignment__position__title="Kepala Dinas Sosial"
    ).exists()

    import_job_undo(job=job, acting_user=admin)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.UNDONE
    after = sorted(
        Assignment.objects.filter(pemda=pemda_a).values_list("pk", "position_id", "end_date")
    )
    assert after == before
    assert not Official.objects.filter(nip=make_nip(9)).exists()
    assert not Unit.objects.filter(name__in=["Dinas Baru"]).exists()
    assert not Position.objects.filter(title="Kepala Dinas Sosial").exists()
    assert (
        not Pact.objects.filter(official=budi, assignment__isnull=False)
        .exclude(assignment__position__title="Sekretaris")
        .exists()
    )

    # Changed since: refused. Too late: refused.
    job = confirm(upload("c.csv", text_csv(moved).encode()))
    dewi = Official.objects.get(nip=make_nip(9))
    org.official_update(official=dewi, acting_user=admin, email="dewi@example.go.id")
    with pytest.raises(DomainError, match="have been changed since"):
        import_job_undo(job=job, acting_user=admin)
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(hours=25))
    job.refresh_from_db()
    with pytest.raises(DomainError, match="within 24 hours only"):
        import_job_undo(job=job, acting_user=admin)


# --- 6. Errors people can act on ------------------------------------------------------------


def test_errors_name_line_column_value_grouped_and_downloadable(
    upload: Callable[..., ImportJob], admin: User, pemda_a: Pemda
) -> None:
    rows = [["DAFTAR PEGAWAI"], HEADER]
    rows += [[make_nip(i), f"Pegawai {i}", "Staf", "Dinas A", "Eselon IX"] for i in range(1, 1203)]
    rows += [["12345", "Salah NIP", "Staf", "Dinas A", ""]]
    job = upload("banyak.csv", text_csv(rows).encode())

    assert len(job.errors) == 1203
    first = job.errors[0]
    assert (first["line"], first["columns"], first["values"]) == (3, ["ESELON"], ["Eselon IX"])
    with translation.override("id"):
        client = client_for(admin)
        page = client.get(job.get_absolute_url()).content.decode()
    assert "1.202 baris: eselon/jenjang tidak dikenal" in page
    assert "1 baris: NIP tidak valid" in page

    client = client_for(admin)
    response = client.get(
        reverse("org:import_errors", kwargs={"pemda": pemda_a.slug, "pk": job.pk})
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1204  # the header and every refused row
    assert values[1][:2] == (3, "The eselon/level Eselon IX is not known.")
    assert list(values[1][2:]) == [make_nip(1), "Pegawai 1", "Staf", "Dinas A", "Eselon IX"]
    assert values[-1][0] == 1205


def test_the_size_limit_is_checked_while_streaming_and_stated_in_mb() -> None:
    with translation.override("id"):
        big = SimpleUploadedFile("besar.csv", b"x" * (20 * 1024 * 1024 + 1))
        with pytest.raises(DomainError) as error:
            read_upload(big)
    assert str(error.value) == "Berkas melebihi batas 20 MB."

    class Chunks:
        """An upload whose size is not known beforehand: refused at the chunk that passes."""

        size = 0
        read = 0

        def chunks(self) -> Iterator[bytes]:
            while True:
                self.read += 1
                yield b"x" * (1024 * 1024)

    stream = Chunks()
    with override_settings(PAKTA_IMPORT_MAX_BYTES=3 * 1024 * 1024), pytest.raises(DomainError):
        read_upload(stream)
    assert stream.read == 4


# --- 7. Status columns ----------------------------------------------------------------------


def test_legal_status_and_officials_missing_from_a_full_export(
    upload: Callable[..., ImportJob], confirm: Callable[..., ImportJob], pemda_a: Pemda
) -> None:
    assert confirm(upload("a.csv", text_csv([HEADER, *PEOPLE]).encode())).status == "done"
    headers = [*HEADER, "KEDUDUKAN HUKUM"]
    rows = [
        headers,
        [*PEOPLE[0], "Aktif"],
        [*PEOPLE[1], "Pensiun"],
        [make_nip(7), "Gita", "Staf", "Dinas A", "", "Meninggal"],
    ]  # Citra is missing from this file
    job = upload("b.csv", text_csv(rows).encode(), effective_date=dt.date(2025, 3, 1))

    assert (job.preview["leaving"], job.preview["leaving_unknown"], job.preview["missing"]) == (
        1,
        1,
        1,
    )
    job = confirm(job, end_missing=True)

    assert job.summary["officials_left"] == 1
    assert job.summary["assignments_ended"] == 1
    current = set(
        Assignment.objects.filter(pemda=pemda_a, end_date__isnull=True).values_list(
            "official__nip", flat=True
        )
    )
    assert current == {make_nip(1)}
    assert not Official.objects.filter(nip=make_nip(7)).exists()


# --- 8. API and command ---------------------------------------------------------------------


def test_the_api_uploads_previews_and_confirms(
    admin: User, pemda_a: Pemda, django_capture_on_commit_callbacks: Capture
) -> None:
    client = client_for(admin)
    base = f"/api/v1/p/{pemda_a.slug}/imports/"
    content = text_csv([["DAFTAR"], HEADER, *PEOPLE]).encode("cp1252")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base, {"file": SimpleUploadedFile("p.csv", content)})
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    status = client.get(f"{base}{job_id}/").json()
    assert (status["status"], status["header_line"]) == ("preview", 2)
    preview = client.get(f"{base}{job_id}/preview/").json()
    assert preview["preview"]["added"] == 3
    assert preview["errors"] == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{base}{job_id}/confirm/", {"mode": "all"}, content_type="application/json"
        )
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"  # saved by the background task
    assert client.get(f"{base}{job_id}/").json()["status"] == "done"
    assert len(names(pemda_a)) == 3

    bad = client.post(base, {"file": SimpleUploadedFile("p.pdf", b"%PDF-1.4")})
    assert bad.status_code == 400
    assert bad.json()["detail"] == (
        "Hanya berkas CSV (.csv) dan lembar kerja (.xlsx, .xls, .ods) yang dapat diimpor."
    )


def test_the_command_previews_with_dry_run_then_imports(
    tmp_path: Any, admin: User, pemda_a: Pemda
) -> None:
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(xlsx(("Data", [["REKAP PEGAWAI"], HEADER, *PEOPLE])))
    out = io.StringIO()

    call_command(
        "import_officials",
        str(path),
        pemda=pemda_a.slug,
        user=admin.username,
        dry_run=True,
        stdout=out,
    )

    assert "Sheet Data, headers on line 2, 3 rows" in out.getvalue()
    assert "added: 3" in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert not Official.objects.filter(pemda=pemda_a).exists()

    out = io.StringIO()
    call_command("import_officials", str(path), pemda=pemda_a.slug, user=admin.username, stdout=out)
    assert "officials_created: 3" in out.getvalue()
    assert len(names(pemda_a)) == 3

    with pytest.raises(CommandError, match="No Pemda"):
        call_command("import_officials", str(path), pemda="tidak-ada")


def test_the_page_cancels_a_preview_and_undoes_a_saved_import(
    upload: Callable[..., ImportJob],
    confirm: Callable[..., ImportJob],
    admin: User,
    pemda_a: Pemda,
) -> None:
    client = client_for(admin)
    client.cookies["django_language"] = "en"
    content = text_csv([HEADER, *PEOPLE]).encode()
    waiting = upload("a.csv", content)
    response = client.post(waiting.get_absolute_url(), {"action": "cancel"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ImportJob.Status.CANCELLED
    assert (
        "Cancelled: nothing was changed" in client.get(waiting.get_absolute_url()).content.decode()
    )

    done = confirm(upload("b.csv", content))
    assert len(names(pemda_a)) == 3
    response = client.post(done.get_absolute_url(), {"action": "undo"})
    assert response.status_code == 302
    page = client.get(done.get_absolute_url()).content.decode()
    assert "The import was undone." in page
    assert "Undo this import" not in page
    assert not Official.objects.filter(pemda=pemda_a).exists()

    # A second undo is refused with a message, not an error page.
    response = client.post(done.get_absolute_url(), {"action": "undo"})
    assert response.status_code == 400
    assert "Only a saved import can be undone." in response.content.decode()

    preview = client.get(f"/api/v1/p/{pemda_a.slug}/imports/{done.pk}/preview/?limit=abc").json()
    assert preview["status"] == "undone"
