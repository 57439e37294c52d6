"""The main journey of an administrator, in Chromium, against a live server.

An admin logs in through the form, uploads an HR export with one bad NIP, reads which line is
wrong and why, fixes the file, uploads it again and finds the officials in the list. Tasks run
with the immediate backend in tests, so the import finishes inside the upload request and the
browser lands on a finished job.

The journey runs in English (chosen before it starts, as with the switch) so that its assertions read as the page
does; ``test_language_switch.py`` covers Indonesian.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pakta.accounts.models import User
from pakta.org.models import Official, Pemda
from tests.browser.fixtures import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "NIP,NAMA,GELAR BELAKANG,JABATAN,UNIT KERJA,GOLONGAN,ESELON/JENJANG\n"
GOOD_ROWS = [
    "198503142010011002,Rahmat Wibisono,S.E.,Kepala Sub Bagian Umum,Dinas Pendidikan,Penata (III/c),IV\n",
    "199002152015032001,Sekar Ayuningtyas,S.Kom.,Analis Sistem Informasi,Dinas Kominfo,Penata Muda (III/a),fungsional\n",
]
# 30 February: the first eight digits are not a real birth date.
BAD_NIP = "198502302010011004"
FIXED_NIP = "198502202010011004"
THIRD_ROW = "{nip},Yudha Pratama,,Kepala Dinas Kominfo,Dinas Kominfo,Pembina Utama Muda (IV/c),JPT pratama\n"


@pytest.fixture
def ui_language() -> str:
    return "en"


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

    # 1. A file whose third data row (line 4, after the header) has an impossible birth date.
    broken = HEADER + "".join(GOOD_ROWS) + THIRD_ROW.format(nip=BAD_NIP)
    upload(page, name="pegawai.csv", content=broken)
    progress = page.locator("#import-progress")
    assert page.locator("#import-status").inner_text() == "Rejected: nothing was changed"
    assert "Nothing was imported because some rows are invalid." in progress.inner_text()
    assert page.locator("h2", has_text="invalid row").inner_text() == "1 invalid row"
    error_rows = page.locator("table.row-errors tbody tr")
    assert error_rows.count() == 1
    cells = error_rows.first.locator("td").all_inner_texts()
    assert cells[0] == "4"
    assert cells[1] == BAD_NIP
    assert "The first 8 digits of the NIP (19850230) are not a real birth date." in cells[2]
    assert not Official.objects.filter(pemda=pemda_a).exists()

    # 2. The corrected file goes through.
    page.get_by_role("link", name="Back to imports").click()
    fixed = HEADER + "".join(GOOD_ROWS) + THIRD_ROW.format(nip=FIXED_NIP)
    upload(page, name="pegawai-diperbaiki.csv", content=fixed)
    assert page.locator("#import-status").inner_text() == "Done"
    assert "Officials created: 3" in page.locator("#import-progress").inner_text()
    assert page.locator("table.row-errors").count() == 0

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
