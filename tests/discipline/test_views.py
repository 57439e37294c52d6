"""The pages: opening a case (bad input answered next to the field in Indonesian, typed values
kept, nothing written), the case page (confidential, every opening audited, the reporter never
named), the flag on pact and agreement pages, the SIASN export, the figures and the public page."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pakta.audit.models import AuditEvent
from pakta.discipline import services
from pakta.discipline.models import DisciplineCase, Provision
from pakta.reports import keys
from pakta.reports import services as reports
from pakta.reports.models import Report
from tests.conftest import PASSWORD, client_for
from tests.discipline.conftest import open_case
from tests.discipline.test_procedure import _examine, _sign_bap

pytestmark = pytest.mark.django_db


def indonesian(user):
    client = client_for(user)
    client.cookies["django_language"] = "id"
    return client


def test_bad_input_is_answered_next_to_the_field_in_indonesian(world) -> None:
    client = indonesian(world.users["auditor"])
    url = reverse("discipline:case_create", kwargs={"pemda": "alfa"})
    five_l = Provision.objects.get(code="5l")
    data = {
        "official": world.staff.pk,
        "incident_date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "level": "ringan",
        "provisions": [five_l.pk],
        "pact_clause": 9,
        "origin": "manual",
        "summary": "Meminta imbalan atas layanan izin.",
    }
    before = AuditEvent.objects.count()
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="id")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pakta Integritas memuat butir 1 sampai 7." in page
    assert "Meminta imbalan atas layanan izin." in page  # the typed values stay
    assert not DisciplineCase.objects.exists() and AuditEvent.objects.count() == before
    data["pact_clause"] = 2
    response = client.post(url, data)
    case = DisciplineCase.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    # A second case for the same facts: refused, in Indonesian, nothing written.
    response = client.post(url, data)
    assert "sudah dibuka untuk fakta yang sama" in response.content.decode()
    assert DisciplineCase.objects.count() == 1


def test_case_page_is_confidential_and_each_opening_is_audited(world, role_users) -> None:
    case = open_case(world)
    url = case.get_absolute_url()
    response = client_for(world.users["auditor"]).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert case.number in page and "tidak meminta atau menerima pemberian" in page
    client_for(world.users["head"]).get(url)  # the direct superior
    assert AuditEvent.objects.filter(action="discipline.case.viewed").count() == 2
    # Not yet summoned: the official concerned and an unrelated employee see nothing.
    assert client_for(world.users["staff"]).get(url).status_code == 404
    assert client_for(role_users["pegawai"]).get(url).status_code == 404
    assert client_for(role_users["kepala_opd"]).get(url).status_code == 404


def test_the_reporter_is_never_named(world, superadmin) -> None:
    from tests.reports.conftest import make_handler

    handler = make_handler("dewi", world.pemda, superadmin)
    private = keys.handler_key_unwrap(key=handler.handler_key, password=PASSWORD)
    report = reports.report_submit(
        pemda=world.pemda,
        category=Report.Category.BRIBERY,
        what="Rudi meminta uang pelicin.",
        identity_mode=Report.IdentityMode.CONFIDENTIAL,
        identity_name="Siti Pelapor Rahasia",
        identity_contact="siti.pelapor@example.com",
    ).report
    for stage in ("verification", "investigation", "substantiated"):
        report = reports.report_transition(
            report=report, to_stage=stage, acting_user=handler, private_key=private
        )
    template = world.pact.template
    reports.report_link(
        report=report,
        acting_user=handler,
        private_key=private,
        official=world.staff,
        template=template,
        clause=2,
    )
    report.refresh_from_db()
    case = services.case_open(
        pemda=world.pemda,
        acting_user=world.users["auditor"],
        official=world.staff,
        incident_date=timezone.localdate(),
        summary="Dari pengaduan.",
        provisions=list(Provision.objects.filter(code="5k")),
        level="ringan",
        origin="report",
        origin_report=report,
    )
    assert case.pact_clause == 2  # taken from the report's link
    case = _examine(world, case)
    for user in (world.users["auditor"], world.users["head"], world.users["staff"]):
        page = client_for(user).get(case.get_absolute_url()).content.decode()
        assert report.reference in page
        assert "Siti Pelapor" not in page and "siti.pelapor" not in page
    # The examiner and the official are not even told whether the reporter gave a name.
    for user in (world.users["head"], world.users["staff"]):
        page = client_for(user).get(case.get_absolute_url()).content.decode()
        assert "Identitas pelapor dilindungi" in page
        assert "/reports/" not in page
    events = AuditEvent.objects.filter(action__startswith="discipline.")
    assert all("Siti" not in json.dumps(e.summary) for e in events)


def _decided(world, *, sanction_type="demotion_12", level="berat"):
    case = open_case(world, level=level)
    today = timezone.localdate()
    services.summons_issue(
        case=case, acting_user=world.users["head"], letter_date=today, hearing_date=today
    )
    services.team_form(
        case=case, acting_user=world.users["auditor"], members=[world.head, world.auditor, world.hr]
    )
    services.examination_record(
        case=case,
        acting_user=world.users["auditor"],
        examiner=world.auditor,
        held_on=today,
        findings="Terbukti.",
        level=level,
    )
    _sign_bap(world, case, world.users["auditor"])
    return services.case_decide(
        case=case,
        acting_user=world.users["bupati"],
        authority="regional_head",
        sanction_type=sanction_type,
        decision_number="800/7/BKPSDM/2026",
        decision_date=today,
        start_date=today,
        reason="Menerima hadiah berkaitan jabatan",
        credential=PASSWORD,
    )


def test_heavy_sanction_flag_and_case_link_on_the_pact_page(world, role_users) -> None:
    sanction = _decided(world)
    url = world.pact.get_absolute_url()
    page = client_for(world.users["auditor"]).get(url).content.decode()
    assert "Sedang menjalani hukuman disiplin berat" in page
    assert reverse("discipline:pact_cases", kwargs={"pemda": "alfa", "pk": world.pact.pk}) in page
    cases = client_for(world.users["auditor"]).get(
        reverse("discipline:pact_cases", kwargs={"pemda": "alfa", "pk": world.pact.pk})
    )
    assert sanction.case.number in cases.content.decode()
    # An admin of pacts who may not see every case... the Pimpinan sees the flag, not the link.
    page = client_for(role_users["pimpinan"]).get(url).content.decode()
    assert "Sedang menjalani hukuman disiplin berat" in page
    assert "discipline/pacts/" not in page


def test_siasn_export_xlsx_json_and_zip_with_the_signed_decision(world) -> None:
    sanction = _decided(world)
    client = client_for(world.users["hr"])
    base = {"pemda": "alfa"}
    data = json.loads(client.get(reverse("discipline:siasn_json", kwargs=base)).content)
    (row,) = data["hukdis"]
    assert row["nip"] == world.staff.nip
    assert row["tingkat_hukuman"] == "B"
    assert row["jenis_hukuman"] == "Penurunan Jabatan Setingkat Lebih Rendah Selama 12 Bulan"
    assert row["nomor_sk"] == "800/7/BKPSDM/2026"
    assert row["tanggal_sk"] == sanction.decision_date.strftime("%d-%m-%Y")
    assert (row["masa_tahun"], row["masa_bulan"]) == (1, 0)
    assert row["pasal_dilanggar"].startswith("Pasal 5 huruf k")
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("discipline:siasn_xlsx", kwargs=base)).content)
    ).active
    rows = list(sheet.values)
    assert rows[0][0] == "nip" and rows[1][7] == "800/7/BKPSDM/2026"
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("discipline:siasn_zip", kwargs=base)).content)
    )
    names = archive.namelist()
    assert {"hukdis.json", "hukdis.xlsx", "SK-800-7-BKPSDM-2026.pdf"} <= set(names)
    assert archive.read("SK-800-7-BKPSDM-2026.pdf").startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="discipline.sanctions.exported").count() == 3


def test_figures_and_public_page(world, superadmin) -> None:
    sanction = _decided(world)
    case = sanction.case
    services.decision_deliver(
        case=case, acting_user=world.users["auditor"], delivered_on=sanction.decision_date
    )
    sanction.refresh_from_db()
    page = (
        client_for(world.users["auditor"])
        .get(reverse("discipline:stats", kwargs={"pemda": "alfa"}))
        .content.decode()
    )
    assert "Dinas Kesehatan" in page and case.number in page
    public_url = reverse("discipline_public:public", kwargs={"pemda": "alfa"})
    public = client_for(world.users["staff"]).__class__().get(public_url).content.decode()
    assert world.staff.full_name not in public and case.number not in public
    assert (
        "No sanction tied to a pact clause." in public or "Belum ada hukuman" in public
    )  # not final yet
    services.case_finalise(
        case=case, acting_user=None, today=sanction.objection_until + dt.timedelta(days=1)
    )
    public = client_for(world.users["staff"]).__class__().get(public_url).content.decode()
    assert "tidak meminta atau menerima pemberian" in public  # clause 2 counted
    assert world.staff.full_name not in public and "Dinas Kesehatan" not in public
    national = client_for(superadmin).get(reverse("discipline_public:national")).content.decode()
    assert "Kabupaten Alfa" in national
