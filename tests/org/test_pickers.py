"""Searchable pickers: the scoped search endpoint (one page at most, by name or NIP, another
Pemda's officials never), and the forms that use them (no list of every official rendered; the
NIP typed in without JavaScript; a refused value kept with the error beside it; nothing saved)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from pakta.actionplans import services as plans
from pakta.actionplans.models import ActionItem, ActionPlan
from pakta.audit.models import AuditEvent
from pakta.org import pickers
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from tests.conftest import client_for
from tests.kit import make_nip

pytestmark = pytest.mark.django_db


def picker(client: Any, pemda: Pemda, kind: str, q: str) -> Any:
    return client.get(reverse("org:picker", kwargs={"pemda": pemda.slug, "kind": kind}), {"q": q})


@pytest.fixture
def many(pemda_a: Pemda, unit_a: Unit, superadmin: Any) -> list[Official]:
    """Thirty officials named Budi in Pemda A (more than a page)."""
    return [
        org.official_create(
            pemda=pemda_a, nip=make_nip(i), name=f"Budi Santoso {i:02d}", acting_user=superadmin
        )
        for i in range(1, 31)
    ]


def test_search_returns_one_page_by_name_or_nip_within_the_pemda(
    many: list[Official],
    pemda_a: Pemda,
    pemda_b: Pemda,
    role_users: dict[str, Any],
    superadmin: Any,
) -> None:
    org.official_create(pemda=pemda_b, nip=make_nip(99), name="Budi Beta", acting_user=superadmin)
    client = client_for(role_users["admin"])
    body = picker(client, pemda_a, "officials", "budi").json()
    assert len(body["results"]) == pickers.PAGE and body["more"] is True
    assert all(r["label"].startswith("Budi Santoso") for r in body["results"])
    assert "Budi Beta" not in str(body)
    # By NIP (the beginning of it, spaces ignored), one match with its NIP in the label.
    nip = many[4].nip
    body = picker(client, pemda_a, "officials", f"{nip[:8]} {nip[8:]}").json()
    assert [r["id"] for r in body["results"]] == [many[4].pk]
    assert nip in body["results"][0]["label"]
    # Units by name.
    body = picker(client, pemda_a, "units", "kesehatan").json()
    assert [r["label"] for r in body["results"]] == ["Dinas Kesehatan"]


def test_a_pegawai_finds_names_but_no_nip(
    many: list[Official], pemda_a: Pemda, role_users: dict[str, Any]
) -> None:
    """Need-to-know: the picker shows a pegawai (and the UPG, the Pimpinan, the Inspektorat)
    names, never another official's NIP, and does not search by NIP (a prefix is a birth date)."""
    for role in ("pegawai", "upg", "pimpinan", "inspektorat"):
        client = client_for(role_users[role])
        body = picker(client, pemda_a, "officials", "budi").json()
        assert len(body["results"]) == pickers.PAGE
        assert not any(re.search(r"\d{18}", r["label"]) for r in body["results"]), role
        nip = many[4].nip
        assert picker(client, pemda_a, "officials", nip[:8]).json()["results"] == [], role
        assert picker(client, pemda_a, "officials", nip).json()["results"] == [], role


def test_search_is_refused_outside_the_pemda(
    many: list[Official], pemda_a: Pemda, pemda_b: Pemda, other_pemda_admin: Any
) -> None:
    client = client_for(other_pemda_admin)
    assert picker(client, pemda_a, "officials", "budi").status_code == 404
    assert picker(client, pemda_b, "nonsense", "budi").status_code == 404
    anonymous = picker(client.__class__(), pemda_a, "officials", "budi")
    assert anonymous.status_code == 302


def test_item_form_has_no_list_of_officials_and_accepts_a_typed_nip(
    many: list[Official], pemda_a: Pemda, unit_a: Unit, role_users: dict[str, Any], superadmin: Any
) -> None:
    plan = plans.action_plan_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="Rencana",
        source=ActionPlan.Source.KPK_LETTER,
        letter_number="B/1/2024",
        letter_date=dt.date(2024, 4, 4),
    )
    client = client_for(role_users["admin"])
    path = reverse("actionplans:item_create", kwargs={"pemda": pemda_a.slug, "pk": plan.pk})
    html = client.get(path).content.decode()
    assert "Budi Santoso" not in html  # no official listed
    assert 'name="owner"' in html and 'name="owner_unit"' in html
    picker_url = reverse("org:picker", kwargs={"pemda": pemda_a.slug, "kind": "officials"})
    assert f'data-picker="{picker_url}"' in html
    data = {
        "title": "Deklarasi benturan kepentingan",
        "owner_unit": str(unit_a.pk),
        "owner": "999999999999999999",  # a NIP nobody has
        "due_date": "2030-06-30",
        "required_output": "Formulir",
    }
    events = AuditEvent.objects.count()
    response = client.post(path, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak ada pegawai Pemda ini dengan NIP atau id tersebut" in page
    # What was typed stays; the unit keeps its label for the picker.
    assert 'value="999999999999999999"' in page
    assert re.search(
        r'<input type="text" name="owner_unit" value="\d+"[^>]*data-picker-label="Dinas Kesehatan"',
        page,
    )
    assert not ActionItem.objects.exists() and AuditEvent.objects.count() == events
    # The NIP typed in (spaces allowed), as without JavaScript: saved with that official.
    nip = many[2].nip
    response = client.post(path, {**data, "owner": f"{nip[:8]} {nip[8:14]} {nip[14:]}"})
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.owner == many[2] and item.owner_unit == unit_a


def test_an_official_of_another_pemda_is_refused(
    pemda_a: Pemda, pemda_b: Pemda, unit_a: Unit, role_users: dict[str, Any], superadmin: Any
) -> None:
    stranger = org.official_create(
        pemda=pemda_b, nip=make_nip(77), name="Orang Lain", acting_user=superadmin
    )
    field = pickers.PickerField(kind="officials")
    field.bind(pemda=pemda_a)
    for value in (str(stranger.pk), stranger.nip):
        with pytest.raises(Exception, match="NIP"):
            field.clean(value)


def _queries(client: Any, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_pages_with_pickers_do_not_grow_with_the_officials(
    pemda_a: Pemda, unit_a: Unit, role_users: dict[str, Any], superadmin: Any
) -> None:
    """The pages that listed every official: the same queries and no more HTML with ten times
    the officials (nobody's name is on them)."""
    plan = plans.action_plan_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="Rencana",
        source=ActionPlan.Source.KPK_LETTER,
        letter_number="B/1/2024",
        letter_date=dt.date(2024, 4, 4),
    )
    client = client_for(role_users["admin"])
    paths = [
        reverse("actionplans:item_create", kwargs={"pemda": pemda_a.slug, "pk": plan.pk}),
        reverse("actionplans:library_draft", kwargs={"pemda": pemda_a.slug, "pk": plan.pk}),
        reverse("performance:mine", kwargs={"pemda": pemda_a.slug}),
        reverse("org:position_create", kwargs={"pemda": pemda_a.slug}),
    ]

    def measure() -> list[tuple[int, int]]:
        return [(_queries(client, p), len(client.get(p).content)) for p in paths]

    for i in range(1, 6):
        org.official_create(
            pemda=pemda_a, nip=make_nip(i), name=f"Budi {i}", acting_user=superadmin
        )
    few = measure()
    for i in range(6, 61):
        org.official_create(
            pemda=pemda_a, nip=make_nip(i), name=f"Budi {i}", acting_user=superadmin
        )
        org.unit_create(pemda=pemda_a, name=f"Bidang {i}", acting_user=superadmin)
    many = measure()
    for path, (q_few, size_few), (q_many, size_many) in zip(paths, few, many, strict=True):
        assert q_many == q_few, path
        assert abs(size_many - size_few) < 200, path
