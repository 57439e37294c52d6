"""The main journey of an administrator, in Chromium, against a live server.

An admin logs in through the form, uploads an HR export (with a title row above the header) with
one bad NIP, reads on the preview which line, column and value are wrong and why, confirms in
all-or-nothing mode and is refused, fixes the file, uploads it again, checks the preview (what
will be added, the units to create, the new head of a unit), confirms and finds the officials in
the list. Tasks run with the immediate backend in tests, so each step finishes inside its
request and the browser lands on the preview or the finished job.

The journey runs in English (chosen before it starts, as with the switch) so that its assertions read as the page
does; ``test_language_switch.py`` covers Indonesian.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from pakta.accounts.models import User
from pakta.org.models import Official, Pemda
from tests.browser.fixtures import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = (
    "DAFTAR NOMINATIF PEGAWAI TAHUN 2026,,,,,,\n"
    ",,,,,,\n"
    "NIP,NAMA,GELAR BELAKANG,JABATAN,UNIT KERJA,GOLONGAN,ESELON/JENJANG\n"
)
GOOD_ROWS = [
    "198503142010011002,Rahmat Wibisono,S.E.,Kepala Sub Bagian Umum,Dinas Pendidikan,Penata (III/c),IV\n",
    "199002152015032001,Sekar Ayuningtyas,S.Kom.,Analis Sistem Informasi,Dinas Kominfo,Penata Muda (III/a),fungsional\n",
]
# 30 February: the first eight digits are not a real birth date (the row is on line 6).
BAD_NIP = "198502302010011004"
FIXED_NIP = "198502202010011004"
THIRD_ROW = "{nip},Yudha Pratama,,Kepala Dinas Kominfo,Dinas Kominfo,Pembina Utama Muda (IV/c),JPT pratama\n"


@pytest.fixture
def ui_language() -> str:
    return "en"


SCREENSHOT = Path(os.environ.get("PAKTA_SCREENSHOT_DIR", tempfile.gettempdir()))


def upload(page: Any, *, name: str, content: str) -> None:
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()


def test_admin_imports_a_file_fixes_a_bad_row_and_sees_the_officials(
    browser_page: Any,
    pemda_a: Pemda,
    role_users: dict[str, User],
    settings: Any,
) -> None:
    settings.DEMO_MODE = True  # an admin must otherwise enrol TOTP before reaching any page
    page = browser_page
    admin = role_users["admin"]

    log_in(page, username=admin.username, password=PASSWORD)
    # One Pemda: the home page is that Pemda's, with its admin actions.
    assert page.locator("h1").inner_text() == "Kabupaten Alfa"
    page.get_by_role("link", name="Import officials").click()
    assert page.locator("h1").inner_text() == "Import officials from an HR export"
    assert page.url.endswith(reverse("org:import_list", kwargs={"pemda": pemda_a.slug}))

    # 1. A file whose third data row (line 6, under a title row, an empty row and the header)
    #    has an impossible birth date. The preview shows the row with its column and value.
    broken = HEADER + "".join(GOOD_ROWS) + THIRD_ROW.format(nip=BAD_NIP)
    upload(page, name="pegawai.csv", content=broken)
    assert page.locator("#import-status").inner_text() == "Waiting for confirmation"
    assert page.locator("#import-source").inner_text() == "Column headers on line 3."
    preview = page.locator("#import-preview")
    assert "Nothing has been written yet." in preview.inner_text()
    assert page.locator("h2", has_text="invalid row").inner_text() == "1 invalid row"
    assert "1 row: invalid NIP" in page.locator("ul.error-groups").inner_text()
    error_rows = page.locator("table.row-errors tbody tr")
    assert error_rows.count() == 1
    cells = error_rows.first.locator("td").all_inner_texts()
    assert cells[:4] == ["6", BAD_NIP, "NIP", BAD_NIP]
    assert "The first 8 digits of the NIP (19850230) are not a real birth date." in cells[4]
    # All or nothing with an invalid row: refused, nothing written.
    page.get_by_label("All or nothing: import only if every row is valid").check()
    page.get_by_role("button", name="Confirm and save").click()
    page.wait_for_load_state()
    assert page.locator("#import-status").inner_text() == "Rejected: nothing was changed"
    assert (
        "Nothing was imported because some rows are invalid."
        in page.locator("#import-progress").inner_text()
    )
    assert not Official.objects.filter(pemda=pemda_a).exists()

    # 2. The corrected file: the preview says what will happen, then it is confirmed.
    page.get_by_role("link", name="Back to imports").click()
    fixed = HEADER + "".join(GOOD_ROWS) + THIRD_ROW.format(nip=FIXED_NIP)
    upload(page, name="pegawai-diperbaiki.csv", content=fixed)
    assert page.locator("#import-status").inner_text() == "Waiting for confirmation"
    counts = page.locator(".preview-counts").inner_text()
    assert "3\nofficials to add" in counts
    assert page.locator("h3", has_text="units to create").inner_text() == "2 units to create"
    units = page.locator("#units-new tbody").inner_text()
    assert "Dinas Pendidikan" in units and "Dinas Kominfo" in units
    heads = page.locator("#heads-new tbody tr").all_inner_texts()
    assert heads == ["Dinas Kominfo\tKepala Dinas Kominfo\tYudha Pratama"]
    assert page.locator("table.row-errors").count() == 0
    assert not Official.objects.filter(pemda=pemda_a).exists()
    page.screenshot(path=str(SCREENSHOT / "import-preview.png"), full_page=True)
    page.get_by_role("button", name="Confirm and save").click()
    page.wait_for_load_state()
    assert page.locator("#import-status").inner_text() == "Done"
    assert "Officials created: 3" in page.locator("#import-progress").inner_text()
    assert page.get_by_role("button", name="Undo this import").is_visible()

    # 3. The officials list shows them, with their positions and units.
    page.get_by_role("link", name="See the officials").click()
    assert page.locator("h1").inner_text() == "Officials"
    table = page.locator("#official-table")
    assert "3 officials" in table.inner_text()
    rows = table.locator("tbody tr").all_inner_texts()
    assert any("Rahmat Wibisono, S.E." in r and "Kepala Sub Bagian Umum" in r for r in rows)
    assert any("Sekar Ayuningtyas, S.Kom." in r and "Dinas Kominfo" in r for r in rows)
    assert any("Yudha Pratama" in r and FIXED_NIP in r for r in rows)

    # The earlier, rejected upload is still listed as such.
    page.goto(reverse("org:import_list", kwargs={"pemda": pemda_a.slug}))
    history = page.locator("tbody tr").all_inner_texts()
    assert any("pegawai.csv" in r and "Rejected" in r for r in history)
    assert any("pegawai-diperbaiki.csv" in r and "Done" in r for r in history)
