"""The pacts API as a machine client uses it: a token, templates, an event from invitation to
signature, the PDF, and the public verification by token and by upload."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact, PactTemplate, SigningEvent
from pakta.signing.models import Signature
from tests.conftest import PASSWORD, make_user
from tests.core.test_api import api, token_for
from tests.kit import make_leader
from tests.signing.conftest import simple_pdf, user_for

BASE = "/api/v1/p/{slug}/"


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def url(path: str, slug: str = "alfa") -> str:
    return BASE.format(slug=slug) + path


@pytest.fixture
def admin(role_users: dict[str, User]) -> Client:
    return api(token_for(role_users["admin"]))


@pytest.fixture
def bupati(pemda_a: Pemda, superadmin: User) -> Official:
    return make_leader(
        pemda_a, superadmin, nip="196601011990031001", name="Bambang Wijaya", title="Bupati Alfa"
    )


def member(official: Official, pemda: Pemda, superadmin: User) -> User:
    """The official's account, a pegawai of the Pemda."""
    user = user_for(official)
    membership_grant(user=user, pemda=pemda, role=Role.PEGAWAI, acting_user=superadmin)
    return user


def test_templates_draft_publish_and_new_version(admin: Client, pemda_a: Pemda) -> None:
    created = post(admin, url("pact-templates/"), {"name": "Pakta Integritas ASN"})
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft" and draft["version"] == 1
    assert len(draft["clauses"]) == 7  # the standard commitments

    changed = admin.patch(
        url(f"pact-templates/{draft['id']}/"),
        json.dumps({"clauses": ["tidak menerima gratifikasi;", "  "]}),
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["clauses"] == ["tidak menerima gratifikasi;"]

    published = post(admin, url(f"pact-templates/{draft['id']}/publish/"))
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    refused = admin.patch(
        url(f"pact-templates/{draft['id']}/"),
        json.dumps({"title": "PAKTA"}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "Templat yang sudah diterbitkan tidak dapat diubah; buatlah versi baru."
    )

    copy = post(admin, url(f"pact-templates/{draft['id']}/new-version/"))
    assert copy.status_code == 201
    assert (copy.json()["version"], copy.json()["status"]) == (2, "draft")
    assert copy.json()["clauses"] == ["tidak menerima gratifikasi;"]
    listed = admin.get(url("pact-templates/")).json()
    assert [t["version"] for t in listed["results"]] == [2, 1]


def test_event_sign_download_and_verify(
    admin: Client,
    pemda_a: Pemda,
    official_a: Official,
    bupati: Official,
    superadmin: User,
) -> None:
    template = pacts.template_current(pemda_a, superadmin)
    draft = pacts.template_create(pemda=pemda_a, acting_user=superadmin)
    refused = post(
        admin,
        url("signing-events/"),
        {"title": "X", "date": "2026-03-26", "place": "Aula", "template": draft.pk},
    )
    assert refused.status_code == 400  # only a published template

    created = post(
        admin,
        url("signing-events/"),
        {
            "title": "Penandatanganan Pakta Integritas 2026",
            "date": "2026-03-26",
            "place": "Aula Krakatau",
            "template": template.pk,
            "leader": bupati.pk,
            "leader_title": "Bupati Alfa",
        },
    )
    assert created.status_code == 201, created.content
    event = created.json()
    assert (event["status"], event["year"], event["participants"]) == ("draft", 2026, 0)

    added = post(
        admin,
        url(f"signing-events/{event['id']}/participants/"),
        {"kind": "nips", "nips": [official_a.nip, "199901012020121999"]},
    )
    assert added.status_code == 200, added.content
    assert added.json() == {"added": 1, "not_found": ["199901012020121999"], "participants": 1}
    again = post(admin, url(f"signing-events/{event['id']}/participants/"), {"kind": "kepala_opd"})
    assert again.json()["added"] == 0  # Hadi (the only OPD head) is invited already
    assert post(admin, url(f"signing-events/{event['id']}/open/")).json()["status"] == "open"

    pact = Pact.objects.get(event_id=event["id"])
    assert pact.witness == bupati
    listed = admin.get(url(f"pacts/?event={event['id']}&status=pending")).json()
    assert [p["official_name"] for p in listed["results"]] == [official_a.full_name]

    signer = api(token_for(member(official_a, pemda_a, superadmin)))
    sign_url = url(f"pacts/{pact.pk}/sign/")
    wrong = post(signer, sign_url, {"credential": "not-my-password"})
    assert wrong.status_code == 400
    assert wrong.json()["detail"] == "Konfirmasi salah: tidak ada dokumen yang ditandatangani."
    assert post(signer, sign_url).status_code == 400  # the credential is required
    assert not Signature.objects.exists()
    pact.refresh_from_db()
    assert pact.status == Pact.Status.PENDING

    # The administrator sees the pact but cannot sign it for Hadi.
    assert post(admin, sign_url, {"credential": PASSWORD}).status_code == 400
    assert not Signature.objects.exists()

    signed = post(signer, sign_url, {"credential": PASSWORD})
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert (body["status"], body["role"], body["pact_status"]) == ("signed", "signer", "signed")
    assert body["name"] == official_a.full_name
    repeated = post(signer, sign_url, {"credential": PASSWORD})
    assert repeated.status_code == 200
    assert repeated.json()["signature"] == body["signature"]
    assert Signature.objects.count() == 1

    witness = api(token_for(member(bupati, pemda_a, superadmin)))
    countersigned = post(witness, url(f"pacts/{pact.pk}/witness-sign/"), {"credential": PASSWORD})
    assert countersigned.status_code == 200, countersigned.content
    assert countersigned.json()["role"] == "witness"
    assert countersigned.json()["position"] == "Bupati Alfa"

    download = signer.get(url(f"pacts/{pact.pk}/pdf/"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    content = download.content
    assert content.startswith(b"%PDF")
    assert admin.get(url(f"pacts/{pact.pk}/pdf/")).content == content

    # Public verification: no token, no session.
    pact.refresh_from_db()
    public = Client()
    record = public.get(f"/api/v1/verify/{pact.document.token}/")
    assert record.status_code == 200
    assert record["Cache-Control"] == "no-store"
    data = record.json()
    assert data["title"] == pact.document.title
    assert data["pemda"] == "Kabupaten Alfa"
    assert data["status"] == "completed"
    assert data["all_valid"] is True
    assert len(data["sha256"]) == 64
    assert [(s["role"], s["name"], s["status"]) for s in data["signatures"]] == [
        ("signer", official_a.full_name, "valid"),
        ("witness", bupati.full_name, "valid"),
    ]
    assert public.get("/api/v1/verify/no-such-token/").status_code == 404

    checked = public.post("/api/v1/verify/", {"file": _upload(content)})
    assert checked.status_code == 200, checked.content
    result = checked.json()
    assert result["authentic"] is True
    assert result["document"]["token"] == pact.document.token
    assert result["document"]["is_latest"] is True
    assert [c["status"] for c in result["checks"]] == ["valid", "valid"]

    stranger = public.post("/api/v1/verify/", {"file": _upload(simple_pdf("Palsu"))})
    assert stranger.status_code == 200
    assert (stranger.json()["authentic"], stranger.json()["document"]) == (False, None)
    not_pdf = public.post("/api/v1/verify/", {"file": _upload(b"hello")})
    assert not_pdf.status_code == 400
    assert "file" in not_pdf.json()


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("pakta.pdf", content, content_type="application/pdf")


def test_lists_are_scoped_to_the_pemda_and_other_pemdas_see_nothing(
    admin: Client,
    official_a: Official,
    pemda_a: Pemda,
    pemda_b: Pemda,
    other_pemda_admin: User,
    role_users: dict[str, User],
    superadmin: User,
) -> None:
    beta_unit = org.unit_create(pemda=pemda_b, name="Dinas Beta", acting_user=superadmin)
    position = org.position_create(
        pemda=pemda_b, unit=beta_unit, title="Analis", level="fungsional", acting_user=superadmin
    )
    beta = org.official_create(
        pemda=pemda_b, nip="198001012005012001", name="Rina Beta", acting_user=superadmin
    )
    org.assignment_start(
        official=beta, position=position, start_date=dt.date(2024, 1, 2), acting_user=superadmin
    )
    pact_a = Pact.objects.get(official=official_a)  # from the assignment
    pact_b = Pact.objects.get(official=beta)

    results = admin.get(url("pacts/")).json()["results"]
    assert [p["id"] for p in results] == [pact_a.pk]
    assert admin.get(url(f"pacts/{pact_b.pk}/")).status_code == 404
    assert admin.get(url(f"pacts/{pact_b.pk}/pdf/")).status_code == 404
    assert admin.get(url("pacts/?year=1999")).json()["count"] == 0

    # Kepala OPD of another unit sees nothing of Hadi's unit.
    other = org.unit_create(pemda=pemda_a, name="Dinas Pendidikan", acting_user=superadmin)
    head = make_user("kepala-other", pemda_a, Role.KEPALA_OPD, unit=other, granter=superadmin)
    assert api(token_for(head)).get(url("pacts/")).json()["count"] == 0
    own_head = api(token_for(role_users["kepala_opd"]))  # of Hadi's unit
    assert [p["id"] for p in own_head.get(url("pacts/")).json()["results"]] == [pact_a.pk]

    beta_admin = api(token_for(other_pemda_admin))
    for path in ("pacts/", f"pacts/{pact_a.pk}/", "signing-events/", "pact-templates/"):
        assert beta_admin.get(url(path)).status_code == 404, path
    assert beta_admin.get(url(f"pacts/{pact_a.pk}/", slug="beta")).status_code == 404
    assert post(beta_admin, url(f"pacts/{pact_a.pk}/sign/"), {"credential": "x"}).status_code == 404


def test_pegawai_cannot_manage_events_or_excuse(
    role_users: dict[str, User], official_a: Official, pemda_a: Pemda, superadmin: User
) -> None:
    pegawai = api(token_for(role_users["pegawai"]))
    template = pacts.template_current(pemda_a, superadmin)
    response = post(
        pegawai,
        url("signing-events/"),
        {"title": "X", "date": "2026-03-26", "place": "Aula", "template": template.pk},
    )
    assert response.status_code == 403
    assert not SigningEvent.objects.exists()
    assert pegawai.get(url("signing-events/")).status_code == 403  # no pacts.view either
    assert post(pegawai, url("pact-templates/")).status_code == 403
    assert PactTemplate.objects.count() == 1
    pact = Pact.objects.get(official=official_a)
    assert post(pegawai, url(f"pacts/{pact.pk}/excuse/"), {"reason": "cuti"}).status_code == 403
    # Someone else's pact is not even there for a pegawai.
    assert pegawai.get(url(f"pacts/{pact.pk}/pdf/")).status_code == 404


def test_excuse_and_participants_by_unit(
    admin: Client, official_a: Official, unit_a: Unit, pemda_a: Pemda, superadmin: User
) -> None:
    event = pacts.event_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="Penandatanganan",
        date=dt.date(2026, 1, 8),
        place="Aula",
        template=pacts.template_current(pemda_a, superadmin),
    )
    missing = post(admin, url(f"signing-events/{event.pk}/participants/"), {"kind": "unit"})
    assert missing.status_code == 400 and "unit" in missing.json()
    added = post(
        admin,
        url(f"signing-events/{event.pk}/participants/"),
        {"kind": "unit", "unit": unit_a.pk},
    )
    assert added.json()["added"] == 1
    pact = Pact.objects.get(event=event)
    assert post(admin, url(f"pacts/{pact.pk}/excuse/"), {"reason": " "}).status_code == 400
    excused = post(admin, url(f"pacts/{pact.pk}/excuse/"), {"reason": "Cuti besar"})
    assert excused.status_code == 200
    assert (excused.json()["status"], excused.json()["excused_reason"]) == ("excused", "Cuti besar")
    assert post(admin, url(f"signing-events/{event.pk}/close/")).status_code == 400  # not open
