"""``load_demo``: what a new user of the demo finds in each area, logged in with the demo password.

One test, because loading the demo takes a while (PDF rendering and signing): about twenty
signed PDFs are made even with 60 officials per Pemda.
"""

from __future__ import annotations

import io
import re
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from pakta.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from pakta.accounts.models import User
from pakta.actionplans.models import ActionItem
from pakta.audit.models import AuditEvent
from pakta.audit.selectors import audit_chain_verify
from pakta.core.documents import document_read
from pakta.core.setup import setup_checklist
from pakta.org.models import Pemda
from pakta.pacts.models import Pact, SigningEvent
from pakta.performance.models import PerformanceAgreement, Realization
from pakta.performance.services import quarter_bounds
from pakta.reports.models import Report
from pakta.signing.models import SignedDocument
from pakta.surveys.models import SpiResult
from tests.performance.test_dashboard import heat_cells
from tests.signing.conftest import pdfsig

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
P = "/p/tanjungsari"


def login(username: str) -> Client:
    """Log in through the login page, as a visitor of the demo does."""
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} cannot log in with the demo password"
    return client


def compliance_totals(client: Client, year: int) -> list[int]:
    page = client.get(f"{P}/pacts/compliance/?year={year}").content.decode()
    card = page.split('id="compliance-totals">', 1)[1].split("</p>", 1)[0]
    return [int(n) for n in re.findall(r"\d+", card)]


def test_demo_fills_every_area_through_the_services(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("load_demo", officials=60, stdout=out)
    output = out.getvalue()
    assert "demo data loaded" in output
    # No secret is printed: the recovery key and receipt codes go to a file only its owner reads.
    secrets_file = Path(settings.VAR_DIR) / "demo-secrets.txt"
    secrets = secrets_file.read_text()
    codes = re.findall(r": (\d{16})$", secrets, flags=re.MULTILINE)
    recovery = re.search(r"recovery key of inspektorat.tanjungsari: (\S+)", secrets)
    assert len(codes) == 3 and recovery, secrets
    assert all(code not in output for code in codes) and recovery.group(1) not in output
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    today = timezone.now().astimezone(ZoneInfo("Asia/Makassar")).date()
    year = today.year

    # Pacts: the ceremony of the 40 heads of OPD, open, led by the Bupati, with witnesses.
    admin = login("admin.tanjungsari")
    event = SigningEvent.objects.get(pemda__slug="tanjungsari")
    assert event.title == f"Penandatanganan Pakta Integritas dan Perjanjian Kinerja {year}"
    assert event.status == SigningEvent.Status.OPEN and event.witnesses.count() == 3
    assert event.template.is_published
    page = admin.get(f"{P}/pacts/events/{event.pk}/").content.decode()
    assert "Bupati Tanjung Sari" in page
    assert compliance_totals(admin, year) == [7, 32, 1]  # signed, not signed, excused

    # A countersigned pact is a PDF with two valid signatures.
    completed = Pact.objects.filter(
        event=event, document__status=SignedDocument.Status.COMPLETED
    ).first()
    assert completed is not None and completed.document is not None
    report = pdfsig(document_read(completed.document.pdf), tmp_path)  # type: ignore[arg-type]
    assert report.count("Signature is Valid.") == 2, report

    # The demo Kepala Dinas Kesehatan finds their pact in the inbox and signs it.
    kadis = login("kadis.tanjungsari")
    inbox = kadis.get(f"{P}/inbox/").content.decode()
    (link,) = re.findall(rf'href="({P}/inbox/\d+/)"', inbox)
    response = kadis.post(link, {"agree": "on", "credential": DEMO_PASSWORD})
    assert response.status_code == 302
    assert compliance_totals(admin, year) == [8, 31, 1]
    # ... and their performance agreement waits for the signatures.
    waiting = PerformanceAgreement.objects.get(
        official__user__username="kadis.tanjungsari", year=year
    )
    assert waiting.status == PerformanceAgreement.Status.APPROVED

    # Performance: four signed agreements; the dashboard's heat map shows the verified quarters.
    signed = PerformanceAgreement.objects.filter(
        pemda__slug="tanjungsari", year=year, status=PerformanceAgreement.Status.SIGNED
    )
    assert signed.count() == 4
    response = login("bupati.tanjungsari").get(f"{P}/performance/dashboard/")
    assert response.status_code == 200
    cells = heat_cells(response.content.decode())
    for quarter in (q for q in (1, 2) if quarter_bounds(year, q)[0] <= today):
        shown = {key for (key, q), (value, _text) in cells.items() if q == str(quarter) and value}
        assert shown == {str(a.unit_id) for a in signed}, quarter
        assert Realization.objects.filter(
            agreement__in=signed, quarter=quarter, status=Realization.Status.VERIFIED
        ).count() == sum(a.indicators.count() for a in signed)

    # SPI results of three years, and an action plan with an action awaiting verification.
    results = SpiResult.objects.filter(pemda__slug="tanjungsari")
    assert sorted(r.survey_year.year for r in results) == [2023, 2024, 2025]
    inspektorat = login("inspektorat.tanjungsari")
    assert [r.category for r in results.order_by("survey_year__year")] == [
        "rentan",
        "rentan",
        "waspada",
    ]
    plans = inspektorat.get(f"{P}/actionplans/").content.decode()
    assert "Tindak lanjut rekomendasi KPK hasil SPI 2025" in plans
    items = ActionItem.objects.filter(pemda__slug="tanjungsari")
    assert sorted(i.status for i in items) == ["open", "open", "submitted"]
    submitted = items.get(status=ActionItem.Status.SUBMITTED)
    assert submitted.progress.filter(evidence__isnull=False).exists()

    # Reports: logging in as the Inspektorat opens them (the key is enrolled with the password).
    listing = inspektorat.get(f"{P}/reports/").content.decode()
    reports = Report.objects.filter(pemda__slug="tanjungsari")
    assert reports.count() == 3
    assert all(r.reference in listing for r in reports)
    bribery = reports.get(category=Report.Category.BRIBERY)
    page = inspektorat.get(f"{P}/reports/{bribery.pk}/").content.decode()
    assert "Rp150.000" in page
    assert reports.filter(stage=Report.Stage.VERIFICATION).count() == 1

    # Every change went through the services: the audit chain holds and records them.
    assert audit_chain_verify().ok
    for action in (
        "pacts.pact.signed",
        "performance.realization.verified",
        "surveys.result.recorded",
        "actionplans.item.submitted",
        "reports.report.submitted",
    ):
        assert AuditEvent.objects.filter(action=action).exists(), action

    # The setup checklist of the demo Pemda is complete, and the staff accounts belong to
    # officials of the units whose work they do.
    pemda = Pemda.objects.get(slug="tanjungsari")
    assert [item.label for item in setup_checklist(pemda) if not item.ok] == []
    page = admin.get(f"{P}/setup/").content.decode()
    assert "Semua sudah tersedia" in page
    for username in ("inspektorat.tanjungsari", "upg.tanjungsari", "admin.tanjungsari"):
        assert User.objects.get(username=username).official is not None, username

    # Every page a demo account is offered (the menu and the home page) opens.
    for username, _label in DEMO_ACCOUNTS:
        client = login(username)
        home = client.get("/", follow=True)
        assert home.status_code == 200, username
        links = set(re.findall(r'href="(/[^"#?]*)"', home.content.decode()))
        assert len(links) >= 5, (username, links)  # the menu and the home page were read
        for link in sorted(links - {"/accounts/logout/"}):
            if link.startswith(("/static/", "/api/docs")):
                continue
            response = client.get(link)
            assert response.status_code < 400, (username, link, response.status_code)

    # The demo never loads in production.
    with override_settings(PRODUCTION=True), pytest.raises(CommandError):
        call_command("load_demo", officials=60, stdout=io.StringIO())

    # Loading again changes nothing.
    events = AuditEvent.objects.count()
    again = io.StringIO()
    call_command("load_demo", officials=60, stdout=again)
    assert "already loaded" in again.getvalue()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_reference_data_comes_back_after_a_flush() -> None:
    """A database emptied after migrating gets its SPI thresholds and rules back before the
    demo loads, instead of "no thresholds for the survey year"."""
    from pakta.gratification.models import GratificationRule
    from pakta.ops.reference_data import reference_data_ensure
    from pakta.surveys.models import SurveyYear

    SurveyYear.objects.all().delete()
    GratificationRule.objects.all().delete()
    assert set(reference_data_ensure()) == {"surveys.SurveyYear", "gratification.GratificationRule"}
    assert SurveyYear.objects.filter(year=2025).exists()
    assert GratificationRule.objects.exists()
    assert reference_data_ensure() == []  # nothing to do the second time
