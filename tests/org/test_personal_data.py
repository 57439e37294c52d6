"""Personal data on a need-to-know basis (docs/permissions.md): a pegawai sees the directory
(names, positions, units), not the NIP, birth date, sex or e-mail of others; exports are for the
roles whose duty needs them and are audited with their row count; everyone sees and downloads
their own data and signed documents ("Data saya")."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant, user_create
from pakta.audit.models import AuditEvent
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Position, Unit
from pakta.signing import services as signing
from tests.conftest import PASSWORD, client_for
from tests.core.test_api import api, token_for
from tests.signing.conftest import simple_pdf

OTHER_NIP = "198502152010012003"


@pytest.fixture
def colleague(pemda_a: Pemda, position_a: Position, superadmin: User) -> Official:
    """Another official of Pemda A, in another unit, with an e-mail address."""
    other_unit = org.unit_create(pemda=pemda_a, name="Dinas Pendidikan", acting_user=superadmin)
    post = org.position_create(
        pemda=pemda_a, unit=other_unit, title="Guru", level="fungsional", acting_user=superadmin
    )
    official = org.official_create(
        pemda=pemda_a,
        nip=OTHER_NIP,
        name="Sri Wahyuni",
        email="sri@alfa.example",
        acting_user=superadmin,
    )
    org.assignment_start(
        official=official, position=post, start_date=dt.date(2020, 1, 6), acting_user=superadmin
    )
    return official


@pytest.fixture
def pegawai(official_a: Official, pemda_a: Pemda, superadmin: User) -> User:
    """Hadi's own account, a plain pegawai."""
    user = user_create(username="hadi", password=PASSWORD, acting_user=None, official=official_a)
    membership_grant(user=user, pemda=pemda_a, role=Role.PEGAWAI, acting_user=superadmin)
    return user


def officials_by_name(client: object) -> dict[str, dict]:
    body = client.get("/api/v1/p/alfa/officials/").json()  # type: ignore[attr-defined]
    return {o["name"]: o for o in body["results"]}


def test_a_pegawai_sees_the_directory_but_not_the_personal_data_of_others(
    pegawai: User, official_a: Official, colleague: Official
) -> None:
    listed = officials_by_name(api(token_for(pegawai)))
    other = listed["Sri Wahyuni"]
    assert other["full_name"] == "Sri Wahyuni"
    assert (other["nip"], other["email"], other["sex"], other["birth_date"]) == ("", "", None, None)
    own = listed["Hadi Santoso"]  # their own data, in full
    assert own["nip"] == official_a.nip and own["birth_date"] == "1970-01-01"

    # Searching by NIP (birth date and sex are in it) finds only one's own.
    token_client = api(token_for(pegawai))
    by_nip = token_client.get("/api/v1/p/alfa/officials/", {"nip": OTHER_NIP[:8]}).json()
    assert by_nip["count"] == 0
    assert token_client.get("/api/v1/p/alfa/officials/", {"nip": "1970"}).json()["count"] == 1

    client = client_for(pegawai)
    assert "Sri Wahyuni" not in client.get("/p/alfa/officials/", {"q": "19850215"}).content.decode()
    page = client.get("/p/alfa/officials/").content.decode()
    assert "Sri Wahyuni" in page and OTHER_NIP not in page
    assert official_a.nip in page
    detail = client.get(f"/p/alfa/officials/{colleague.pk}/").content.decode()
    assert "Sri Wahyuni" in detail
    assert "sri@alfa.example" not in detail and OTHER_NIP not in detail
    assert "hanya ditampilkan kepada yang tugasnya memerlukannya" in detail
    assert client.get("/p/alfa/officials/export.csv").status_code == 403
    assert "export.csv" not in page


def test_the_admin_exports_and_each_export_is_audited_with_its_rows(
    role_users: dict[str, User], official_a: Official, colleague: Official
) -> None:
    admin = client_for(role_users["admin"])
    listed = officials_by_name(api(token_for(role_users["admin"])))
    assert listed["Sri Wahyuni"]["nip"] == OTHER_NIP
    response = admin.get("/p/alfa/officials/export.csv")
    assert response.status_code == 200
    assert OTHER_NIP in response.getvalue().decode("utf-8-sig")
    event = AuditEvent.objects.get(action="org.officials.exported")
    assert event.summary == {"rows": 2, "format": "csv"}
    assert event.actor_id == role_users["admin"].pk


def test_a_kepala_opd_sees_personal_data_of_their_unit_only(
    pemda_a: Pemda, unit_a: Unit, official_a: Official, colleague: Official, superadmin: User
) -> None:
    head = user_create(username="kadis", password=PASSWORD, acting_user=None)
    membership_grant(
        user=head, pemda=pemda_a, role=Role.KEPALA_OPD, unit=unit_a, acting_user=superadmin
    )
    membership_grant(user=head, pemda=pemda_a, role=Role.PEGAWAI, acting_user=superadmin)
    listed = officials_by_name(api(token_for(head)))  # the directory of the whole Pemda
    assert listed["Hadi Santoso"]["nip"] == official_a.nip  # in their unit
    assert listed["Sri Wahyuni"]["nip"] == ""  # another unit
    export = client_for(head).get("/p/alfa/officials/export.csv").getvalue().decode("utf-8-sig")
    assert official_a.nip in export and OTHER_NIP not in export


def test_my_data_shows_and_downloads_ones_own_data_and_signed_documents(
    pegawai: User, official_a: Official, pemda_a: Pemda, superadmin: User, colleague: Official
) -> None:
    mine = signing.signed_document_create(
        pemda=pemda_a,
        kind="pact",
        title="Pakta Integritas 2026",
        render=lambda doc: simple_pdf(doc.token),
        acting_user=superadmin,
    )
    signing.signature_apply(
        document=mine, official=official_a, role="signer", acting_user=pegawai, credential=PASSWORD
    )
    theirs = signing.signed_document_create(
        pemda=pemda_a,
        kind="pact",
        title="Pakta orang lain",
        render=lambda doc: simple_pdf(doc.token),
        acting_user=superadmin,
    )
    client = client_for(pegawai)
    page = client.get("/accounts/me/")
    text = page.content.decode()
    assert page.status_code == 200
    assert official_a.nip in text and "1 Januari 1970" in text
    assert "Pakta Integritas 2026" in text and "Pakta orang lain" not in text
    assert "no-store" in page["Cache-Control"]

    download = client.get("/accounts/me/", {"document": mine.token})
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert client.get("/accounts/me/", {"document": theirs.token}).status_code == 404

    data = json.loads(client.get("/accounts/me/", {"format": "json"}).content)
    assert data["official"]["nip"] == official_a.nip
    assert data["official"]["birth_date"] == "1970-01-01"
    assert [d["title"] for d in data["signed_documents"]] == ["Pakta Integritas 2026"]
