"""Every page is reachable: compliance and event reports from the pacts pages, the national
pages export to XLSX and PDF, the notifications page keeps the Pemda menu."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import load_workbook

from pakta.accounts.services import membership_grant
from pakta.core.roles import Role
from tests.conftest import client_for
from tests.pacts.event_world import EventWorld, build_event_world
from tests.signing.conftest import user_for


def get(client, url: str):
    with translation.override("id"):
        return client.get(url, HTTP_ACCEPT_LANGUAGE="id")


def test_compliance_and_event_report_are_linked_and_national_pages_export(
    pemda_a, official_a, unit_a, superadmin
) -> None:
    world: EventWorld = build_event_world(pemda_a, official_a, unit_a, superadmin)
    admin = client_for(superadmin)
    pacts_page = get(admin, f"/p/{pemda_a.slug}/pacts/").content.decode()
    assert f'href="/p/{pemda_a.slug}/pacts/compliance/"' in pacts_page
    event_page = get(admin, f"/p/{pemda_a.slug}/pacts/events/{world.event.pk}/").content.decode()
    report_url = f"/p/{pemda_a.slug}/pacts/events/{world.event.pk}/report/"
    assert f'href="{report_url}"' in event_page
    assert "Laporan, lembar kepatuhan dan buku pakta" in event_page
    report = get(admin, report_url).content.decode()
    assert f'href="/p/{pemda_a.slug}/pacts/compliance/"' in report  # and back

    national = get(admin, "/nasional/pakta/2026/").content.decode()
    assert 'href="/nasional/pakta/2026/export.xlsx"' in national
    assert 'href="/nasional/pakta/2026/export.pdf"' in national
    xlsx = get(admin, "/nasional/pakta/2026/export.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Pemda", "Sudah ditandatangani", "Belum ditandatangani", "Dikecualikan")
    # Numbers stay numbers: two signed, two not yet, one excused of five.
    assert rows[1] == ("Kabupaten Alfa", 2, 2, 1, 5, 40)
    pdf = get(admin, "/nasional/pakta/2026/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert get(admin, "/nasional/pakta/2026/export.doc").status_code == 404

    kinerja = get(admin, "/nasional/kinerja/2026/").content.decode()
    assert 'href="/nasional/kinerja/2026/export.pdf"' in kinerja
    sheet = load_workbook(io.BytesIO(get(admin, "/nasional/kinerja/2026/export.xlsx").content))
    assert next(sheet.active.iter_rows(values_only=True)) == (
        "Pemda",
        "TW I (%)",
        "TW II (%)",
        "TW III (%)",
        "TW IV (%)",
    )
    assert get(admin, "/nasional/kinerja/2026/export.pdf").content.startswith(b"%PDF")
    # Not for a Pemda's staff.
    kabid = user_for(world.pending[0].official)
    assert get(client_for(kabid), "/nasional/pakta/2026/export.xlsx").status_code in (403, 404)


def test_the_notifications_page_keeps_the_pemda_menu(pemda_a, official_a) -> None:
    user = user_for(official_a)
    membership_grant(user=user, pemda=pemda_a, role=Role.PEGAWAI, acting_user=None)
    page = get(client_for(user), "/notifications/").content.decode()
    assert f'href="/p/{pemda_a.slug}/"' in page and "Beranda" in page
    assert f'href="/p/{pemda_a.slug}/performance/"' in page
