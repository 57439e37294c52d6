"""The public page of a Pemda's signed pacts (/publik/<pemda>/pakta/)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from pakta.accounts.models import User
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact
from tests.portal.conftest import make_leader, sign_pact
from tests.portal.test_verification import page_text

pytestmark = pytest.mark.django_db


def official_in(
    pemda: Pemda, unit: Unit, superadmin: User, *, nip: str, name: str, level: str, head: bool
) -> Official:
    position = org.position_create(
        pemda=pemda,
        unit=unit,
        title=f"Jabatan {name}",
        level=level,
        is_unit_head=head,
        acting_user=superadmin,
    )
    official = org.official_create(pemda=pemda, nip=nip, name=name, acting_user=superadmin)
    org.assignment_start(
        official=official, position=position, start_date=dt.date(2024, 1, 2), acting_user=superadmin
    )
    return official


def test_lists_only_signed_public_pacts_of_this_pemda(
    signed_pact: Pact,
    pemda_a: Pemda,
    pemda_b: Pemda,
    unit_a: Unit,
    bupati: Official,
    superadmin: User,
) -> None:
    # In Pemda A: a staff member's pact, signed but not public (not a leader or OPD head)...
    staff = official_in(
        pemda_a,
        unit_a,
        superadmin,
        nip="199001012015031002",
        name="Rina Staf",
        level="fungsional",
        head=False,
    )
    staff_pact = sign_pact(pemda_a, staff, bupati, superadmin, witness=False)
    assert staff_pact.status == Pact.Status.SIGNED and not staff_pact.document.is_public
    # ...and an OPD head who has not signed yet.
    other_unit = org.unit_create(pemda=pemda_a, name="Dinas Pendidikan", acting_user=superadmin)
    unsigned = official_in(
        pemda_a,
        other_unit,
        superadmin,
        nip="197502022000031003",
        name="Joko Belum",
        level="jpt_pratama",
        head=True,
    )
    event = pacts.event_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="Susulan",
        date=signed_pact.event.date,
        place="Aula",
        template=pacts.template_current(pemda_a, superadmin),
        leader=bupati,
    )
    pacts.event_add_participants(event=event, officials=[unsigned], acting_user=superadmin)
    # In Pemda B: a head of OPD's signed, public pact.
    walikota = make_leader(
        pemda_b, superadmin, nip="196702021991031004", name="Wali Beta", title="Wali Kota Beta"
    )
    unit_b = org.unit_create(pemda=pemda_b, name="Dinas Beta", acting_user=superadmin)
    head_b = official_in(
        pemda_b,
        unit_b,
        superadmin,
        nip="197103032000031005",
        name="Kepala Beta",
        level="jpt_pratama",
        head=True,
    )
    pact_b = sign_pact(pemda_b, head_b, walikota, superadmin)
    assert pact_b.document.is_public

    response = Client().get("/publik/alfa/pakta/")
    assert response.status_code == 200
    text = page_text(response)
    html = response.content.decode()
    assert "Hadi Santoso, S.E." in text
    assert f'href="/v/{signed_pact.document.token}"' in html
    assert signed_pact.document.short_code_display in text
    assert "Rina Staf" not in text  # signed, but not a leader or OPD head
    assert "Joko Belum" not in text  # not signed
    assert "Kepala Beta" not in text and pact_b.document.token not in html  # another Pemda

    beta = Client().get("/publik/beta/pakta/")
    assert "Kepala Beta" in page_text(beta)
    assert "Hadi Santoso" not in page_text(beta)


def test_unknown_pemda_is_a_404(db) -> None:
    response = Client().get("/publik/tidak-ada/pakta/")
    assert response.status_code == 404
    assert '<html lang="id">' in response.content.decode()


def test_query_count_does_not_grow_with_the_list(
    signed_pact: Pact, django_assert_num_queries
) -> None:
    Client().get("/publik/alfa/pakta/")  # warm: the Pemda's zone is kept a minute (core.zone)
    with django_assert_num_queries(3):
        response = Client().get("/publik/alfa/pakta/")
    assert "Hadi Santoso, S.E." in page_text(response)
