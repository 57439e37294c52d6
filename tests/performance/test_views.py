"""The staff pages through the client, as the official, the superior and the others use them.

Pages are shown in Indonesian (the default language); the assertions read what users read."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant
from pakta.core.roles import Role
from pakta.org.models import Official
from pakta.performance import imports
from pakta.performance import services as perf
from pakta.performance.models import Indicator, PerformanceAgreement, Realization
from tests.conftest import PASSWORD, client_for
from tests.performance.conftest import YEAR, People, signed_agreement
from tests.signing.conftest import user_for

Status = PerformanceAgreement.Status


@pytest.fixture(autouse=True)
def indonesian(english):
    with translation.override("id"):
        yield


def member(official: Official, role: Role = Role.PEGAWAI, superadmin: User | None = None) -> Client:
    user = user_for(official)
    membership_grant(user=user, pemda=official.pemda, role=role, acting_user=superadmin)
    return client_for(user)


def base(people: People) -> str:
    return f"/p/{people.kadis.pemda.slug}/performance/"


def text(response) -> str:
    return response.content.decode()


def test_the_official_drafts_and_the_superior_approves_through_the_pages(people: People) -> None:
    kadis = member(people.kadis)
    bupati = member(people.bupati, Role.PIMPINAN)
    page = kadis.get(base(people))
    assert page.status_code == 200 and "Perjanjian Kinerja" in text(page)

    response = kadis.post(f"{base(people)}agreements/new/", {"year": YEAR})
    agreement = PerformanceAgreement.objects.get(official=people.kadis)
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    url = agreement.get_absolute_url()

    kadis.post(f"{url}goals/", {"name": "Meningkatnya derajat kesehatan"})
    goal = agreement.goals.get()
    response = kadis.post(
        f"{url}indicators/new/",
        {
            "goal": goal.pk,
            "name": "Cakupan imunisasi",
            "unit_of_measure": "%",
            "polarity": "higher",
            "target": "95",
            "tw1": "20",
            "tw2": "45",
            "tw3": "70",
            "tw4": "95",
            "weight": "1,5",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(agreement=agreement)
    assert indicator.weight == Decimal("1.5") and indicator.targets.count() == 4
    response = kadis.post(
        f"{url}indicators/new/",
        {
            "goal": goal.pk,
            "name": "x",
            "unit_of_measure": "%",
            "polarity": "higher",
            "target": "tujuh",
        },
    )
    assert response.status_code == 200 and "7-8" in text(response)  # the form explains ranges
    assert Indicator.objects.filter(agreement=agreement).count() == 1
    kadis.post(f"{url}programmes/", {"name": "Program Kesehatan", "budget": "1.250.000"})
    detail = kadis.get(url)
    assert "Rp1.250.000" in text(detail) and "Cakupan imunisasi" in text(detail)

    kadis.post(f"{url}submit/")
    agreement.refresh_from_db()
    assert agreement.status == Status.SUBMITTED

    # The official cannot approve their own agreement: a message, nothing changes.
    response = kadis.post(f"{url}approve/", follow=True)
    agreement.refresh_from_db()
    assert agreement.status == Status.SUBMITTED
    assert "pihak kedua" in text(response).lower()

    queue = bupati.get(f"{base(people)}review/")
    assert "Hadi Santoso" in text(queue)
    bupati.post(f"{url}return/", {"reason": "Tambahkan indikator waktu tunggu."})
    agreement.refresh_from_db()
    assert agreement.status == Status.RETURNED
    assert "Tambahkan indikator waktu tunggu." in text(kadis.get(url))
    kadis.post(f"{url}submit/")
    bupati.post(f"{url}approve/")
    agreement.refresh_from_db()
    assert agreement.status == Status.APPROVED

    sign_page = kadis.get(f"{url}sign/")
    assert sign_page.status_code == 200
    response = kadis.post(f"{url}sign/", {"agree": "on", "credential": "wrong-password"})
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.first_party_signed_at is None
    kadis.post(f"{url}sign/", {"agree": "on", "credential": PASSWORD})
    bupati.post(f"{url}sign/", {"agree": "on", "credential": PASSWORD})
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED
    pdf = kadis.get(f"{url}document.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert agreement.document.short_code_display in text(kadis.get(url))


def test_others_do_not_see_an_agreement(people: People, role_users: dict[str, User]) -> None:
    agreement = signed_agreement(people)
    url = agreement.get_absolute_url()
    kabid = member(people.kabid)  # a colleague, not a party
    assert kabid.get(url).status_code == 404
    assert client_for(role_users["pegawai"]).get(url).status_code == 404
    assert client_for(role_users["inspektorat"]).get(url).status_code == 200
    assert client_for(role_users["kepala_opd"]).get(url).status_code == 200  # their unit


def test_realization_with_evidence_and_verification(people: People) -> None:
    agreement = signed_agreement(people)
    kadis = member(people.kadis)
    bupati = member(people.bupati, Role.PIMPINAN)
    indicator = agreement.indicators.order_by("order").first()
    form_url = f"{base(people)}indicators/{indicator.pk}/realization/"
    assert kadis.get(f"{form_url}?quarter=1").status_code == 200
    response = kadis.post(form_url, {"quarter": "1", "value": "19"})
    assert response.status_code == 200 and not Realization.objects.exists()  # no evidence
    upload = SimpleUploadedFile("rekap-tw1.pdf", b"%PDF-1.4 rekap", content_type="application/pdf")
    response = kadis.post(
        form_url, {"quarter": "1", "value": "19", "note": "Rekap puskesmas", "evidence": [upload]}
    )
    assert response.status_code == 302
    realization = Realization.objects.get()
    assert realization.value == 19 and realization.evidence.count() == 1
    evidence = realization.evidence.get()
    download = bupati.get(f"{base(people)}evidence/{evidence.pk}/")
    assert download.status_code == 200 and download.content == b"%PDF-1.4 rekap"
    assert member(people.kabid).get(f"{base(people)}evidence/{evidence.pk}/").status_code == 404

    queue = bupati.get(f"{base(people)}review/")
    assert "rekap-tw1.pdf" in text(queue)
    bupati.post(f"{base(people)}realizations/{realization.pk}/verify/", {"next": "review"})
    realization.refresh_from_db()
    assert realization.status == Realization.Status.VERIFIED
    detail = kadis.get(agreement.get_absolute_url())
    assert "95%" in text(detail)  # 19 of 20 in TW I


def test_import_page_lists_each_bad_row(people: People) -> None:
    kadis = member(people.kadis)
    agreement = perf.agreement_create(
        pemda=people.kadis.pemda,
        official=people.kadis,
        year=YEAR,
        acting_user=user_for(people.kadis),
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(imports.HEADERS)
    sheet.append(["Sasaran", "Baik", "%", "MAKSIMAL", 10, "", "", "", "", ""])
    sheet.append(["Sasaran", "", "%", "MAKSIMAL", 10, "", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("pk.xlsx", buffer.getvalue())
    response = kadis.post(f"{agreement.get_absolute_url()}import/", {"file": upload})
    assert response.status_code == 200
    assert "Baris 3" in text(response)
    assert not agreement.indicators.exists()
    template = kadis.get(f"{base(people)}template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_register_tree_and_exports_for_viewers(
    people: People, role_users: dict[str, User], django_assert_max_num_queries
) -> None:
    kadis_agreement = signed_agreement(people)
    kabid_user = user_for(people.kabid)
    draft = perf.agreement_create(
        pemda=people.kabid.pemda, official=people.kabid, year=YEAR, acting_user=kabid_user
    )
    perf.indicator_cascade(
        source=kadis_agreement.indicators.order_by("order").first(),
        agreement=draft,
        acting_user=kabid_user,
    )
    admin = client_for(role_users["admin"])
    with django_assert_max_num_queries(25):
        register = admin.get(f"{base(people)}agreements/?year={YEAR}")
    assert register.status_code == 200
    page = text(register)
    assert "Hadi Santoso" in page and "Rina Marlina" in page
    tree = admin.get(f"{base(people)}tree/?year={YEAR}")
    assert tree.status_code == 200
    body = text(tree)
    # The division head's indicator sits under the office head's.
    assert body.index("Hadi Santoso") < body.index("Rina Marlina")
    export = admin.get(f"{base(people)}achievement.xlsx?year={YEAR}")
    assert export.status_code == 200 and export.getvalue()[:2] == b"PK"
    pegawai = client_for(role_users["pegawai"])
    assert pegawai.get(f"{base(people)}agreements/").status_code == 403


def test_budget_calendar_by_the_administrator(people: People, role_users: dict[str, User]) -> None:
    admin = client_for(role_users["admin"])
    response = admin.post(f"{base(people)}calendar/", {"year": YEAR, "dpa_date": "2026-01-05"})
    assert response.status_code == 302
    page = admin.get(f"{base(people)}calendar/")
    assert "2026" in text(page)
    assert client_for(role_users["kepala_opd"]).get(f"{base(people)}calendar/").status_code == 403
