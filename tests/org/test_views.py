"""The org pages, as an admin of Pemda A sees them; the officials list pins its query count."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Position, Unit
from pakta.org.nip import parse_nip
from tests.conftest import client_for
from tests.kit import AuditWatch, make_nip

pytestmark = pytest.mark.django_db

# The officials table costs this many queries whatever the number of officials on the page:
# session, user, OTP device, Pemda, memberships, the count, the page, its current assignments
# (one query of plain values), the unit chosen in the filter (one look-up: the filter is a
# searchable picker, it never lists the units); which of the page's officials the user may see
# the personal data of needs no query for an administrator, who sees the whole Pemda's. The full
# page, unfiltered, looks no unit up and adds the layout's unread-notifications count.
OFFICIAL_TABLE_QUERIES = 9
OFFICIAL_LIST_QUERIES = OFFICIAL_TABLE_QUERIES


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(role_users: dict[str, User]) -> Client:
    client = client_for(role_users["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name: str, pemda: Pemda, **kwargs: Any) -> str:
    return reverse(f"org:{name}", kwargs={"pemda": pemda.slug, **kwargs})


@pytest.fixture
def tree(pemda_a: Pemda, unit_a: Unit, superadmin: User) -> dict[str, Any]:
    """Dinas Kesehatan > Bidang P2P, and Dinas Sosial, with one official in each."""
    bidang = org.unit_create(
        pemda=pemda_a, parent=unit_a, name="Bidang P2P", kind="sub_unit", acting_user=superadmin
    )
    sosial = org.unit_create(pemda=pemda_a, name="Dinas Sosial", acting_user=superadmin)
    people = {}
    for index, (unit, title, level, name) in enumerate(
        [
            (bidang, "Kepala Bidang P2P", "administrator", "Rina Kusuma"),
            (sosial, "Kepala Dinas Sosial", "jpt_pratama", "Joko Susilo"),
        ]
    ):
        position = org.position_create(
            pemda=pemda_a, unit=unit, title=title, level=level, acting_user=superadmin
        )
        official = org.official_create(
            pemda=pemda_a, nip=make_nip(index), name=name, acting_user=superadmin
        )
        org.assignment_start(
            official=official,
            position=position,
            start_date=dt.date(2024, 1, 2),
            acting_user=superadmin,
        )
        people[name] = official
    return {"bidang": bidang, "sosial": sosial, **people}


def test_unit_list_and_detail(
    admin_client: Client, pemda_a: Pemda, unit_a: Unit, tree: dict[str, Any]
) -> None:
    page = admin_client.get(url("unit_list", pemda_a))
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("Dinas Kesehatan", "Bidang P2P", "Dinas Sosial"):
        assert name in text

    detail = admin_client.get(url("unit_detail", pemda_a, pk=unit_a.pk))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Dinas Kesehatan" in text
    assert "Bidang P2P" in text  # its sub-unit
    assert "Dinas Sosial" not in text


def test_position_list_shows_level_and_eselon(
    admin_client: Client, pemda_a: Pemda, tree: dict[str, Any]
) -> None:
    page = admin_client.get(url("position_list", pemda_a))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kepala Bidang P2P" in text
    assert "Kepala Dinas Sosial" in text
    assert "JPT Pratama" in text
    assert "Administrator" in text


def test_official_list_with_filters(
    admin_client: Client, pemda_a: Pemda, tree: dict[str, Any]
) -> None:
    page = admin_client.get(url("official_list", pemda_a))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rina Kusuma" in text and "Joko Susilo" in text
    assert "Kepala Bidang P2P" in text  # the current position beside the name

    by_unit = admin_client.get(url("official_list", pemda_a), {"unit": tree["bidang"].pk})
    assert "Rina Kusuma" in by_unit.content.decode()
    assert "Joko Susilo" not in by_unit.content.decode()

    by_level = admin_client.get(url("official_list", pemda_a), {"level": "jpt_pratama"})
    assert "Joko Susilo" in by_level.content.decode()
    assert "Rina Kusuma" not in by_level.content.decode()

    by_name = admin_client.get(url("official_list", pemda_a), {"q": "rina"})
    assert "Rina Kusuma" in by_name.content.decode()
    assert "Joko Susilo" not in by_name.content.decode()

    nothing = admin_client.get(url("official_list", pemda_a), {"q": "tidak ada"})
    assert "No officials match." in nothing.content.decode()


def test_official_list_answers_htmx_with_the_table_only(
    admin_client: Client, pemda_a: Pemda, tree: dict[str, Any]
) -> None:
    response = admin_client.get(
        url("official_list", pemda_a), {"q": "joko"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "org/_official_table.html"
    text = response.content.decode()
    assert "<html" not in text
    assert "Joko Susilo" in text
    assert "Rina Kusuma" not in text
    assert "1 official" in text


def test_official_detail_shows_the_position_history(
    admin_client: Client, pemda_a: Pemda, tree: dict[str, Any], superadmin: User
) -> None:
    rina: Official = tree["Rina Kusuma"]
    org.assignment_start(
        official=rina,
        position=Position.objects.get(title="Kepala Dinas Sosial"),
        start_date=dt.date(2025, 7, 1),
        acting_user=superadmin,
    )
    page = admin_client.get(url("official_detail", pemda_a, pk=rina.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert rina.nip in text
    assert text.index("Kepala Dinas Sosial") < text.index("Kepala Bidang P2P")  # newest first
    assert "current" in text
    assert text.count("<tr>") == 3  # the header row and two assignments


def test_official_detail_of_another_pemda_is_not_found(
    admin_client: Client, pemda_a: Pemda, pemda_b: Pemda, superadmin: User
) -> None:
    stranger = org.official_create(
        pemda=pemda_b, nip=make_nip(50), name="Orang Beta", acting_user=superadmin
    )
    assert admin_client.get(url("official_detail", pemda_a, pk=stranger.pk)).status_code == 404


def test_create_official_with_an_invalid_nip_shows_the_error(
    admin_client: Client, pemda_a: Pemda
) -> None:
    watch = AuditWatch()
    nip = "198502302010011002"  # 30 February
    response = admin_client.post(url("official_create", pemda_a), {"nip": nip, "name": "Salah"})
    assert response.status_code == 200
    assert "The first 8 digits of the NIP (19850230) are not a real birth date." in (
        response.content.decode()
    )
    assert not Official.objects.filter(nip=nip).exists()
    assert watch.events() == []


def test_create_official_redirects_to_the_new_official(
    admin_client: Client, pemda_a: Pemda
) -> None:
    nip = make_nip(77, sex=2)
    response = admin_client.post(
        url("official_create", pemda_a),
        {"nip": nip, "name": "Dewi Anggraini", "back_title": "S.Kom.", "golongan": "III/b"},
    )
    official = Official.objects.get(nip=nip)
    assert response.status_code == 302
    assert response["Location"] == official.get_absolute_url()
    assert (official.pemda, official.full_name, official.sex) == (
        pemda_a,
        "Dewi Anggraini, S.Kom.",
        "P",
    )
    assert official.birth_date == parse_nip(nip).birth_date
    assert AuditEvent.objects.filter(
        action="org.official.created", object_id=str(official.pk)
    ).exists()
    follow = admin_client.get(response["Location"])
    assert "Dewi Anggraini, S.Kom." in follow.content.decode()


def _officials(pemda: Pemda, unit: Unit, actor: User, count: int) -> None:
    positions = [
        org.position_create(
            pemda=pemda, unit=unit, title=f"Staf {i}", level="pelaksana", acting_user=actor
        )
        for i in range(3)
    ]
    start = Official.objects.count()
    for i in range(start, start + count):
        official = org.official_create(
            pemda=pemda, nip=make_nip(100 + i), name=f"Pegawai {i:03d}", acting_user=actor
        )
        org.assignment_start(
            official=official,
            position=positions[i % 3],
            start_date=dt.date(2024, 1, 2),
            acting_user=actor,
        )


def test_official_list_pages_show_each_official_with_the_current_post_and_the_total(
    admin_client: Client, pemda_a: Pemda, unit_a: Unit, superadmin: User
) -> None:
    """54 officials: 50 on the first page by name, the other 4 on the second; each row links to
    the official, shows the NIP (the administrator sees personal data), the current position and
    its unit, and the golongan; an official without a post shows dashes."""
    _officials(pemda_a, unit_a, superadmin, 53)
    nobody = org.official_create(
        pemda=pemda_a,
        nip=make_nip(900),
        name="Zaenal Arifin",
        front_title="Dr.",
        back_title="M.Si.",
        golongan="Pembina (IV/a)",
        acting_user=superadmin,
    )
    first = admin_client.get(url("official_list", pemda_a)).content.decode()
    assert "54 officials" in first
    assert "Page 1 of 2" in first
    assert 'href="?page=2">Next</a>' in first
    names = re.findall(r'<a href="/p/[^"]+/officials/\d+/">([^<]+)</a>', first)
    assert names == [f"Pegawai {i:03d}" for i in range(50)]
    one = Official.objects.get(name="Pegawai 001")
    assert (
        f"<td><code>{one.nip}</code></td>"
        f'<td><a href="{url("official_detail", pemda_a, pk=one.pk)}">Pegawai 001</a></td>\n'
        "  <td>Staf 1</td><td>Dinas Kesehatan</td>"
    ) in first

    second = admin_client.get(url("official_list", pemda_a), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert 'href="?page=1">Previous</a>' in second and ">Next</a>" not in second
    names = re.findall(r'<a href="/p/[^"]+/officials/\d+/">([^<]+)</a>', second)
    assert names == ["Pegawai 050", "Pegawai 051", "Pegawai 052", "Dr. Zaenal Arifin, M.Si."]
    assert (
        f'{nobody.pk}/">Dr. Zaenal Arifin, M.Si.</a></td>\n'
        "  <td>—</td><td>—</td>\n  <td>Pembina (IV/a)</td></tr>"
    ) in second


@pytest.mark.parametrize("count", [5, 30])
def test_official_list_query_count_does_not_grow_with_officials(
    admin_client: Client,
    pemda_a: Pemda,
    unit_a: Unit,
    superadmin: User,
    count: int,
    django_assert_num_queries: Any,
) -> None:
    _officials(pemda_a, unit_a, superadmin, count)
    admin_client.get(url("official_list", pemda_a))  # warm the session and caches
    with django_assert_num_queries(OFFICIAL_LIST_QUERIES):
        response = admin_client.get(url("official_list", pemda_a))
    assert response.status_code == 200
    assert response.content.decode().count("Staf ") == count


def test_official_list_htmx_query_count(
    admin_client: Client,
    pemda_a: Pemda,
    unit_a: Unit,
    superadmin: User,
    django_assert_num_queries: Any,
) -> None:
    _officials(pemda_a, unit_a, superadmin, 30)
    admin_client.get(url("official_list", pemda_a))
    with django_assert_num_queries(OFFICIAL_TABLE_QUERIES):
        response = admin_client.get(
            url("official_list", pemda_a), {"unit": unit_a.pk}, HTTP_HX_REQUEST="true"
        )
    assert response.content.decode().count("Staf ") == 30
