"""Cases opened from a late gratification report, a confirmed conflict-of-interest finding and a
procurement case closed with a finding: the button on the origin's page (for the Inspektorat,
not a Pegawai), the form pre-filled from the origin, the case linked to the real row and back,
and another Pemda's origin refused with nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from pakta.conflicts import services as conflicts
from pakta.conflicts.models import Finding
from pakta.discipline import services
from pakta.discipline.models import CaseStep, DisciplineCase, Provision
from pakta.gratification import services as gratification
from pakta.gratification.models import GratificationReport
from pakta.org import services as org
from pakta.procurement import services as procurement
from pakta.procurement.models import CommitteeMember
from pakta.procurement.services.cases import case_close
from pakta.procurement.services.cases import case_open as procurement_case_open
from tests.conftest import client_for
from tests.kit import assert_refused

pytestmark = pytest.mark.django_db


def late_report(pemda, official, acting_user) -> GratificationReport:
    return gratification.report_file(
        pemda=pemda,
        acting_user=acting_user,
        recipient=official,
        type=GratificationReport.Type.RECEIVED,
        giver_name="CV Rekanan Jaya",
        relationship="vendor",
        occasion="Hari raya",
        received_on=dt.date(2026, 2, 2),
        place="Kantor",
        kind="goods",
        description="Parsel",
        value=1_250_000,
        location=GratificationReport.Location.RECIPIENT,
        chronology="Diantar ke rumah.",
        today=dt.date(2026, 6, 1),
    )


def confirmed_finding(world) -> Finding:
    finding = Finding.objects.create(
        pemda=world.pemda,
        kind=Finding.Kind.UNDECLARED,
        official=world.staff,
        pair_key=f"test|{world.staff.pk}",
        score=Decimal("0.900"),
        weight=Decimal("3.00"),
        explanation="Saudara kandung adalah direktur CV Maju, peserta tender.",
    )
    return conflicts.finding_confirm(
        finding=finding, acting_user=world.users["auditor"], reason="Dokumen akta cocok."
    )


def closed_procurement_case(world):
    tenderer = procurement.party_get_or_create(
        pemda=world.pemda, name="CV Maju", roles=["tenderer"]
    )
    package = procurement.package_create(
        pemda=world.pemda,
        acting_user=world.superadmin,
        title="Pengadaan alat kesehatan",
        buyer=world.unit,
        method="open",
        hps_value=Decimal("100000000"),
        committee=[(world.staff, CommitteeMember.Role.PPK)],
        bids=[procurement.BidInput(tenderer=tenderer, amount=Decimal("95000000"))],
        winner=tenderer,
        contract_value=Decimal("95000000"),
    )
    case = procurement_case_open(package=package, acting_user=world.users["auditor"])
    return case_close(
        case=case,
        acting_user=world.users["auditor"],
        finding="referral",
        conclusion="Spesifikasi mengarah ke satu merek.",
    )


def _open_through_the_form(world, kind: str, row, summary_part: str) -> DisciplineCase:
    client = client_for(world.users["auditor"])
    url = reverse("discipline:case_create", kwargs={"pemda": "alfa"})
    page = client.get(url, {"origin": kind, "ref": row.pk})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["official"] == world.staff
    assert summary_part in form.initial["summary"]
    origin_page = client.get(row.get_absolute_url()).content.decode()
    assert f"origin={kind}&amp;ref={row.pk}" in origin_page  # the button
    assert form.initial["origin_ref"] == row.pk
    assert row.get_absolute_url() in page.content.decode()  # "opened from" links back
    data = {
        "official": world.staff.pk,
        "incident_date": form.initial["incident_date"].isoformat(),
        "level": "sedang",
        "provisions": [Provision.objects.get(code="5g").pk],
        "origin": kind,
        "origin_ref": row.pk,
        "summary": form.initial["summary"],
    }
    response = client.post(f"{url}?origin={kind}&ref={row.pk}", data)
    assert response.status_code == 302, response.context["form"].errors
    case = DisciplineCase.objects.get(origin=kind)
    assert case.origin_ref == row.pk and case.official == world.staff
    detail = client.get(case.get_absolute_url()).content.decode()
    assert f'href="{row.get_absolute_url()}"' in detail
    assert case.number in client.get(row.get_absolute_url()).content.decode()  # and back again
    return case


def test_a_late_gratification_report_opens_a_prefilled_linked_case(world) -> None:
    report = late_report(world.pemda, world.staff, world.superadmin)
    assert report.late
    case = _open_through_the_form(world, "gratification", report, "CV Rekanan Jaya")
    assert case.incident_date == dt.date(2026, 2, 2)
    assert case.origin_label == str(report)


def test_a_confirmed_conflict_finding_opens_a_prefilled_linked_case(world) -> None:
    finding = confirmed_finding(world)
    case = _open_through_the_form(world, "conflict", finding, "direktur CV Maju")
    assert "Dokumen akta cocok." in case.summary


def test_a_procurement_finding_opens_a_prefilled_linked_case(world) -> None:
    pcase = closed_procurement_case(world)
    case = _open_through_the_form(world, "procurement", pcase, "satu merek")
    assert case.origin_label == str(pcase.package)


def test_an_origin_that_may_not_open_a_case_is_refused(world) -> None:
    finding = Finding.objects.create(
        pemda=world.pemda,
        kind=Finding.Kind.UNDECLARED,
        official=world.staff,
        pair_key="open-one",
        score=Decimal("0.5"),
        weight=Decimal("1"),
        explanation="Belum ditinjau.",
    )
    with translation.override("id"), assert_refused(DisciplineCase, CaseStep, match="dikonfirmasi"):
        services.case_open(
            pemda=world.pemda,
            acting_user=world.users["auditor"],
            official=world.staff,
            incident_date=dt.date(2026, 3, 1),
            summary="Fakta.",
            provisions=list(Provision.objects.filter(code="5g")),
            level="ringan",
            origin="conflict",
            origin_ref=finding.pk,
        )


def test_another_pemdas_origin_is_refused_with_nothing_written(world, pemda_b) -> None:
    other = org.official_create(
        pemda=pemda_b, nip="197001011995031009", name="Budi Beta", acting_user=world.superadmin
    )
    report = late_report(pemda_b, other, world.superadmin)
    with (
        translation.override("id"),
        assert_refused(DisciplineCase, CaseStep, match="milik Pemda lain"),
    ):
        services.case_open(
            pemda=world.pemda,
            acting_user=world.users["auditor"],
            official=world.staff,
            incident_date=dt.date(2026, 2, 2),
            summary="Fakta.",
            provisions=list(Provision.objects.filter(code="5g")),
            level="ringan",
            origin="gratification",
            origin_ref=report.pk,
        )
    # The form does not pre-fill from it either: the message says why.
    client = client_for(world.users["auditor"])
    client.cookies["django_language"] = "id"
    page = client.get(
        reverse("discipline:case_create", kwargs={"pemda": "alfa"}),
        {"origin": "gratification", "ref": report.pk},
    )
    assert "milik Pemda lain" in page.content.decode()
    assert not page.context["form"].initial.get("summary")


def test_the_button_is_shown_to_the_inspektorat_not_to_a_pegawai(world) -> None:
    report = late_report(world.pemda, world.staff, world.users["staff"])
    link = reverse("discipline:case_create", kwargs={"pemda": "alfa"})
    link += f"?origin=gratification&amp;ref={report.pk}"
    auditor = client_for(world.users["auditor"])
    auditor.cookies["django_language"] = "id"
    page = auditor.get(report.get_absolute_url()).content.decode()
    assert "Buka kasus disiplin" in page and link in page
    pegawai = client_for(world.users["staff"])  # the recipient sees their own report
    pegawai.cookies["django_language"] = "id"
    own = pegawai.get(report.get_absolute_url())
    assert own.status_code == 200
    assert "Buka kasus disiplin" not in own.content.decode()
