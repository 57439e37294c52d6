"""The pages as users see them: the form with its live check and field errors in Indonesian,
the UPG's steps, the exports, the statistics and the public summary (counts only)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from pakta.accounts.services import membership_grant, user_create
from pakta.audit.models import AuditEvent
from pakta.core.roles import Role
from pakta.gratification.exports import GOL_COLUMNS
from pakta.gratification.models import GratificationReport
from pakta.org import services as org
from tests.conftest import PASSWORD, client_for
from tests.gratification.conftest import PDF, file_report

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC)


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "type": "received",
        "giver_name": "PT Maju Jaya",
        "giver_organisation": "PT Maju Jaya",
        "giver_identifier": "",
        "relationship": "vendor",
        "occasion": "Hari raya",
        "exempt_category": "",
        "received_on": "2026-02-23",
        "place": "Kantor",
        "kind": "goods",
        "description": "Parsel",
        "value": "750000",
        "location": "recipient",
        "chronology": "Diantar kurir.",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
def test_file_a_report_through_the_form(pemda_a: Any, reporter: Any) -> None:
    client = client_for(reporter)
    url = reverse("gratification:create", kwargs={"pemda": pemda_a.slug})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
    assert (
        "Laporkan gratifikasi" in page.content.decode()
        and "197001012000031001" in page.content.decode()
    )
    data = form_data()
    data["evidence"] = io.BytesIO(PDF)
    data["evidence"].name = "foto.pdf"
    response = client.post(url, data)
    report = GratificationReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    detail = client.get(report.get_absolute_url()).content.decode()
    assert report.number in detail and "Rp750.000" in detail and "foto.pdf" in detail
    mine = client.get(
        reverse("gratification:mine", kwargs={"pemda": pemda_a.slug})
    ).content.decode()
    assert report.number in mine


@time_machine.travel(NOW, tick=False)
def test_bad_input_next_to_the_field_in_indonesian(pemda_a: Any, reporter: Any) -> None:
    client = client_for(reporter)
    client.cookies["django_language"] = "id"
    url = reverse("gratification:create", kwargs={"pemda": pemda_a.slug})
    events = AuditEvent.objects.count()
    page = client.post(
        url, form_data(value="0", giver_name="PT Tetap Diketik"), HTTP_ACCEPT_LANGUAGE="id"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Perkiraan nilai harus lebih dari Rp0." in html
    assert 'value="PT Tetap Diketik"' in html  # typed values kept
    page = client.post(url, form_data(received_on="2026-03-09"), HTTP_ACCEPT_LANGUAGE="id")
    assert "Tanggal penerimaan tidak boleh di masa depan." in page.content.decode()
    assert not GratificationReport.objects.exists() and AuditEvent.objects.count() == events


@time_machine.travel(NOW, tick=False)
def test_live_check_cites_the_rule(pemda_a: Any, reporter: Any) -> None:
    client = client_for(reporter)
    url = reverse("gratification:assess", kwargs={"pemda": pemda_a.slug})
    html = client.post(
        url,
        form_data(relationship="family", exempt_category="ceremony", value="1200000"),
        HTTP_ACCEPT_LANGUAGE="id",
    ).content.decode()
    assert "Dapat dikecualikan" in html and "Perkom KPK 1/2026" in html
    html = client.post(
        url,
        form_data(exempt_category="ceremony", vendor_active_contract="on"),
        HTTP_ACCEPT_LANGUAGE="id",
    ).content.decode()
    assert "wajib ditolak" in html


@time_machine.travel(NOW, tick=False)
def test_upg_verifies_and_others_do_not_see(
    pemda_a: Any, reporter: Any, upg: Any, role_users: Any
) -> None:
    report = file_report(pemda_a, reporter)
    upg_client = client_for(upg)
    queue = upg_client.get(
        reverse("gratification:queue", kwargs={"pemda": pemda_a.slug})
    ).content.decode()
    assert report.number in queue
    step = reverse("gratification:step", kwargs={"pemda": pemda_a.slug, "pk": report.pk})
    upg_client.post(step, {"step": "verify"})
    report.refresh_from_db()
    assert report.status == GratificationReport.Status.ANALYSIS
    assert client_for(role_users["inspektorat"]).get(report.get_absolute_url()).status_code == 200
    for role in ("admin", "pimpinan", "kepala_opd", "pegawai"):
        assert client_for(role_users[role]).get(report.get_absolute_url()).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_exports_stats_and_public_summary(
    pemda_a: Any, reporter: Any, upg: Any, role_users: Any
) -> None:
    file_report(pemda_a, reporter)
    file_report(pemda_a, reporter, type="refused", giver_name="CV Rahasia Sekali")
    xlsx = client_for(upg).get(reverse("gratification:recap_xlsx", kwargs={"pemda": pemda_a.slug}))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert list(rows[0]) == GOL_COLUMNS and len(rows) == 3
    assert rows[1][4] == "197001012000031001"
    # Personal data: the download is audited with its row count (docs/permissions.md).
    event = AuditEvent.objects.get(action="gratification.recap.exported")
    assert (event.actor_id, event.summary["rows"]) == (upg.pk, 2)
    for role in ("admin", "pimpinan", "inspektorat", "pegawai"):
        denied = client_for(role_users[role]).get(
            reverse("gratification:recap_xlsx", kwargs={"pemda": pemda_a.slug})
        )
        assert denied.status_code == 403, role
    stats = (
        client_for(role_users["pimpinan"])
        .get(
            reverse("gratification:stats", kwargs={"pemda": pemda_a.slug}),
            HTTP_ACCEPT_LANGUAGE="id",
        )
        .content.decode()
    )
    assert "Rp1.500.000" in stats and "Dinas Kesehatan" in stats
    public = (
        client_for(role_users["pegawai"])
        .__class__()
        .get(reverse("gratification_public:summary", kwargs={"pemda": pemda_a.slug}) + "?year=2026")
        .content.decode()
    )
    assert "Hadi" not in public and "Maju Jaya" not in public and "Rahasia" not in public
    assert "<dd>2</dd>" in public and "<dd>1</dd>" in public  # total, and one refused


@time_machine.travel(NOW, tick=False)
def test_signed_recap(
    pemda_a: Any, reporter: Any, superadmin: Any, unit_a: Any, tmp_path: Any
) -> None:
    from pakta.gratification.exports import report_recap_sign
    from pakta.signing import services as signing
    from tests.signing.conftest import pdfsig

    position = org.position_create(
        pemda=pemda_a,
        unit=unit_a,
        title="Sekretaris UPG",
        level="fungsional",
        acting_user=superadmin,
    )
    official = org.official_create(
        pemda=pemda_a, nip="198503152010011003", name="Sri UPG", acting_user=superadmin
    )
    org.assignment_start(
        official=official, position=position, start_date=dt.date(2024, 1, 2), acting_user=superadmin
    )
    user = user_create(username="sri", password=PASSWORD, acting_user=superadmin, official=official)
    membership_grant(user=user, pemda=pemda_a, role=Role.UPG, acting_user=superadmin)
    report = file_report(pemda_a, reporter)
    document = report_recap_sign(report=report, acting_user=user, credential=PASSWORD)
    assert document.signatures.count() == 1
    pdf = client_for(user).get(
        reverse("gratification:recap_pdf", kwargs={"pemda": pemda_a.slug, "pk": report.pk})
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert signing.document_verify(content=pdf.content).authentic
    assert "Signature is Valid" in pdfsig(pdf.content, tmp_path)


@time_machine.travel(NOW, tick=False)
def test_quarterly_recap_to_the_regional_head(
    pemda_a: Any, reporter: Any, superadmin: Any, unit_a: Any, role_users: Any, tmp_path: Any
) -> None:
    from pypdf import PdfReader

    from pakta.core.errors import DomainError
    from pakta.gratification.exports import quarter_recap_sign
    from pakta.signing import services as signing

    position = org.position_create(
        pemda=pemda_a, unit=unit_a, title="Ketua UPG", level="fungsional", acting_user=superadmin
    )
    official = org.official_create(
        pemda=pemda_a, nip="198503152010011003", name="Sri UPG", acting_user=superadmin
    )
    org.assignment_start(
        official=official, position=position, start_date=dt.date(2024, 1, 2), acting_user=superadmin
    )
    user = user_create(username="sri", password=PASSWORD, acting_user=superadmin, official=official)
    membership_grant(user=user, pemda=pemda_a, role=Role.UPG, acting_user=superadmin)
    file_report(pemda_a, reporter)
    file_report(pemda_a, reporter, type="refused", giver_name="CV Rahasia Sekali")
    with pytest.raises(DomainError):
        quarter_recap_sign(
            pemda=pemda_a, year=2026, quarter=5, acting_user=user, credential=PASSWORD
        )
    client = client_for(user)
    response = client.post(
        reverse("gratification:quarter_sign", kwargs={"pemda": pemda_a.slug}),
        {"year": "2026", "quarter": "1", "credential": PASSWORD},
    )
    assert response.status_code == 302
    pdf = client_for(role_users["pimpinan"]).get(response["Location"])
    assert pdf.status_code == 200 and signing.document_verify(content=pdf.content).authentic
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "TRIWULAN 1 TAHUN 2026" in text and "2 (1 diterima, 1 ditolak)" in text
    assert "Rahasia" not in text and "Maju Jaya" not in text
