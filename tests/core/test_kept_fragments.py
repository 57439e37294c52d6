"""What the busiest pages keep between visits still shows what each visitor should see.

The public report form keeps its fields (the unit list) per Pemda and language until the next
audited change in the Pemda; the main menu and the empty officials filter are kept per process
under every value their HTML depends on (the Pemda, the permissions, the language). The
changes a user makes show at once, and one visitor never sees another's menu or language.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.imports import import_job_create
from pakta.org.models import Pemda, Unit
from tests.conftest import client_for, make_user
from tests.kit import make_nip

pytestmark = pytest.mark.django_db


def _client(language: str, user: User | None = None) -> Client:
    client = client_for(user) if user is not None else Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def _unit_options(page: str) -> list[str]:
    select = re.search(r'<select name="reported_unit".*?</select>', page, re.S)
    assert select is not None
    return [html.unescape(o) for o in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))]


def _menu(page: str) -> str:
    found = re.search(r'<nav class="mainnav".*?</nav>', page, re.S)
    assert found is not None
    return found.group(0)


# --- The public report form -------------------------------------------------------------------


def test_the_report_form_lists_a_unit_created_renamed_or_closed_at_once(
    pemda_a: Pemda, unit_a: Unit, superadmin: User
) -> None:
    url = reverse("report_public:intake", kwargs={"pemda": pemda_a.slug})
    visitor = _client("id")
    assert _unit_options(_page(visitor, url)) == ["Tidak tahu / tidak ada", "Dinas Kesehatan"]
    with CaptureQueriesContext(connection) as queries:
        again = _page(visitor, url)
    assert _unit_options(again) == ["Tidak tahu / tidak ada", "Dinas Kesehatan"]
    assert not [q for q in queries.captured_queries if "org_unit" in q["sql"]]  # kept

    education = org.unit_create(pemda=pemda_a, name="Dinas Pendidikan", acting_user=superadmin)
    org.unit_create(
        pemda=pemda_a, name="Bidang SD", parent=education, kind="sub_unit", acting_user=superadmin
    )
    assert _unit_options(_page(visitor, url)) == [
        "Tidak tahu / tidak ada",
        "Dinas Kesehatan",
        "Dinas Pendidikan",
        "· Bidang SD",
    ]

    org.unit_update(
        unit=education, acting_user=superadmin, name="Dinas Pendidikan dan Kebudayaan", kind="dinas"
    )
    org.unit_update(
        unit=unit_a, acting_user=superadmin, name=unit_a.name, kind=unit_a.kind, is_active=False
    )
    assert _unit_options(_page(visitor, url)) == [
        "Tidak tahu / tidak ada",
        "Dinas Pendidikan dan Kebudayaan",
        "· Bidang SD",
    ]


def test_the_report_form_is_kept_per_language_and_per_pemda(
    pemda_a: Pemda, pemda_b: Pemda, unit_a: Unit, superadmin: User
) -> None:
    org.unit_create(pemda=pemda_b, name="Dinas Perhubungan", acting_user=superadmin)
    url_a = reverse("report_public:intake", kwargs={"pemda": pemda_a.slug})
    url_b = reverse("report_public:intake", kwargs={"pemda": pemda_b.slug})
    indonesian = _page(_client("id"), url_a)
    english = _page(_client("en"), url_a)
    assert "Unit (OPD) mana yang bersangkutan?" in indonesian
    assert "Which unit (OPD) is concerned?" in english
    assert "Unit (OPD) mana" not in english
    assert _unit_options(english) == ["I don't know / none", "Dinas Kesehatan"]
    assert _unit_options(_page(_client("id"), url_b)) == [
        "Tidak tahu / tidak ada",
        "Dinas Perhubungan",
    ]
    # The page around the kept fields is each visitor's own: a form token of its own each time.
    tokens = {
        re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', _page(Client(), url_a))[-1]
        for _ in range(2)
    }
    assert len(tokens) == 2


# --- The main menu ----------------------------------------------------------------------------


def test_each_user_sees_the_menu_of_their_own_permissions_and_a_new_role_at_once(
    pemda_a: Pemda, role_users: dict[str, User], superadmin: User
) -> None:
    home = f"/p/{pemda_a.slug}/"
    audit, imports = f'href="/p/{pemda_a.slug}/audit/', f'href="/p/{pemda_a.slug}/import'
    admin_menu = _menu(_page(_client("en", role_users["admin"]), home))
    assert audit in admin_menu and imports in admin_menu
    assert ">Units</a>" in admin_menu

    pegawai = _client("en", role_users["pegawai"])
    pegawai_menu = _menu(_page(pegawai, home))
    assert audit not in pegawai_menu and imports not in pegawai_menu
    assert ">Units</a>" in pegawai_menu
    assert ">Unit kerja</a>" in _menu(_page(_client("id", role_users["pegawai"]), home))

    # Given the Inspektorat's role, the same user sees the audit trail in the menu at once.
    membership_grant(
        user=role_users["pegawai"], pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=superadmin
    )
    assert audit in _menu(_page(pegawai, home))


def test_the_menu_of_another_pemda_leads_to_that_pemda(
    pemda_a: Pemda, pemda_b: Pemda, role_users: dict[str, User], superadmin: User
) -> None:
    admin_b = make_user("admin-b", pemda_b, Role.ADMIN, granter=superadmin)
    menu_a = _menu(_page(_client("id", role_users["admin"]), f"/p/{pemda_a.slug}/"))
    menu_b = _menu(_page(_client("id", admin_b), f"/p/{pemda_b.slug}/"))
    assert f"/p/{pemda_a.slug}/units/" in menu_a and f"/p/{pemda_b.slug}/" not in menu_a
    assert f"/p/{pemda_b.slug}/units/" in menu_b and f"/p/{pemda_a.slug}/" not in menu_b


# --- The officials list and Beranda -----------------------------------------------------------


def test_the_empty_officials_filter_is_each_pemdas_own_in_each_language(
    pemda_a: Pemda, pemda_b: Pemda, role_users: dict[str, User], superadmin: User
) -> None:
    admin_b = make_user("admin-b", pemda_b, Role.ADMIN, granter=superadmin)
    page_a = _page(_client("id", role_users["admin"]), f"/p/{pemda_a.slug}/officials/")
    page_b = _page(_client("id", admin_b), f"/p/{pemda_b.slug}/officials/")
    assert f'data-picker="/p/{pemda_a.slug}/pick/units/"' in page_a
    assert f'data-picker="/p/{pemda_b.slug}/pick/units/"' in page_b
    assert "Semua jenjang" in page_a and "Semua jenjang" in page_b
    english = _page(_client("en", admin_b), f"/p/{pemda_b.slug}/officials/")
    assert "All levels" in english and "Semua jenjang" not in english
    # A filtered list shows what was chosen.
    filtered = _page(
        _client("en", admin_b), f"/p/{pemda_b.slug}/officials/?q=Budi&level=administrator"
    )
    assert 'name="q" value="Budi"' in filtered
    assert '<option value="administrator" selected>' in filtered


def test_beranda_lists_recent_imports_to_the_managers_only(
    pemda_a: Pemda, role_users: dict[str, User]
) -> None:
    content = f"NIP,NAMA\n{make_nip(1)},Andi Wijaya\n".encode()
    import_job_create(
        pemda=pemda_a,
        file_name="pegawai-2026.csv",
        content=content,
        acting_user=role_users["admin"],
        effective_date=dt.date(2026, 1, 2),
        enqueue=False,
    )
    home = f"/p/{pemda_a.slug}/"
    admin_page = _page(_client("en", role_users["admin"]), home)
    assert "Recent imports" in admin_page
    job = re.search(r'<li><a href="(/p/[^"]+/imports?/\d+/)">pegawai-2026.csv</a> · ', admin_page)
    assert job is not None, admin_page
    assert _page(_client("en", role_users["admin"]), job.group(1))
    assert "Recent imports" not in _page(_client("en", role_users["pegawai"]), home)
