"""Action plans: sources, drafting from the library, progress with evidence, verification by the
inspektorat (refused transitions leave no row and no event), reminders and escalation under
frozen time, the dashboard in red, and the report to KPK (signed PDF, XLSX)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from pakta.actionplans import selectors, services
from pakta.actionplans.models import ActionItem, ActionPlan, ActionProgress, RecommendedAction
from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.roles import Role
from pakta.notifications.models import Notification
from pakta.org import services as org
from pakta.org.models import Position
from pakta.surveys import services as surveys
from tests.conftest import PASSWORD, client_for

LETTER = "B/1838/KSP.00/70-73/04/2024"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def staff(pemda_a, unit_a, official_a, superadmin) -> dict[str, Any]:
    """official_a heads unit_a; ``owner`` works under them and has an account."""
    position = org.position_create(
        pemda=pemda_a,
        unit=unit_a,
        title="Pokja Pemilihan",
        level=Position.Level.FUNGSIONAL,
        acting_user=superadmin,
    )
    owner = org.official_create(
        pemda=pemda_a,
        nip="198503152010011003",
        name="Budi Pokja",
        email="budi@example.go.id",
        acting_user=superadmin,
    )
    org.assignment_start(
        official=owner, position=position, start_date=dt.date(2024, 1, 2), acting_user=superadmin
    )
    from pakta.accounts.services import user_create

    owner_user = user_create(
        username="budi",
        password=PASSWORD,
        acting_user=superadmin,
        official=owner,
        email="budi.user@example.go.id",
    )
    from pakta.accounts.services import membership_grant

    membership_grant(user=owner_user, pemda=pemda_a, role=Role.PEGAWAI, acting_user=superadmin)
    head_user = user_create(
        username="hadi", password=PASSWORD, acting_user=superadmin, official=official_a
    )
    membership_grant(user=head_user, pemda=pemda_a, role=Role.PEGAWAI, acting_user=superadmin)
    org.official_update(official=official_a, acting_user=superadmin, email="hadi@example.go.id")
    return {"owner": owner, "owner_user": owner_user, "head": official_a, "head_user": head_user}


def _plan(pemda, user) -> ActionPlan:
    return services.action_plan_create(
        pemda=pemda,
        acting_user=user,
        title="Tindak lanjut SPI 2023",
        source="kpk_letter",
        letter_number=LETTER,
        letter_date=dt.date(2024, 4, 4),
    )


def _item(plan, unit, owner, due=dt.date(2024, 6, 30), user=None) -> ActionItem:
    return services.action_item_add(
        plan=plan,
        acting_user=user,
        title="Deklarasi benturan kepentingan oleh Pokja",
        owner_unit=unit,
        owner=owner,
        due_date=due,
        required_output="Formulir deklarasi",
        dimension="procurement",
    )


def _evidence(name: str = "deklarasi.pdf") -> services.EvidenceFile:
    return services.EvidenceFile(name=name, content=PDF, content_type="application/pdf")


# --- Sources -------------------------------------------------------------------------------------


def test_plan_sources(pemda_a, superadmin) -> None:
    plan = _plan(pemda_a, superadmin)
    assert (plan.letter_number, plan.letter_date) == (LETTER, dt.date(2024, 4, 4))
    with pytest.raises(DomainError):
        services.action_plan_create(
            pemda=pemda_a, acting_user=superadmin, title="x", source="kpk_letter"
        )
    with pytest.raises(DomainError):
        services.action_plan_create(
            pemda=pemda_a, acting_user=superadmin, title="x", source="spi_finding"
        )
    result = surveys.spi_result_save(
        pemda=pemda_a, year=2023, acting_user=superadmin, index=Decimal(70)
    )
    finding = surveys.spi_finding_add(
        result=result,
        text="Kurangi trading in influence.",
        dimension="trading_in_influence",
        acting_user=superadmin,
    )
    from_finding = services.action_plan_create(
        pemda=pemda_a, acting_user=superadmin, title="SPI", source="spi_finding", finding=finding
    )
    assert from_finding.finding == finding
    assert ActionPlan.objects.count() == 2


def test_library_drafts_a_plan_in_a_few_clicks(pemda_a, unit_a, staff, superadmin) -> None:
    plan = _plan(pemda_a, superadmin)
    procurement = list(selectors.library_for(dimensions=["procurement"]))
    assert any("benturan kepentingan" in a.title for a in procurement)
    assert any("Rencana Umum Pengadaan" in a.title for a in procurement)
    assert any(
        "Seleksi terbuka" in a.title
        for a in RecommendedAction.objects.filter(dimension="hr_management")
    )
    items = services.action_plan_draft_from_library(
        plan=plan,
        actions=procurement[:2],
        owner_unit=unit_a,
        owner=staff["owner"],
        due_date=dt.date(2024, 9, 30),
        acting_user=superadmin,
    )
    assert [i.required_output for i in items] == [a.required_output for a in procurement[:2]]
    assert all(i.dimension == "procurement" for i in items)
    assert AuditEvent.objects.filter(action="actionplans.item.added").count() == 2


# --- Progress and verification ---------------------------------------------------------------------


def test_verification_workflow(pemda_a, unit_a, staff, superadmin, role_users) -> None:
    plan = _plan(pemda_a, superadmin)
    item = _item(plan, unit_a, staff["owner"])
    owner, inspektorat = staff["owner_user"], role_users["inspektorat"]

    # Someone else's action: refused, nothing written.
    before = (ActionProgress.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDeniedError):
        services.action_progress_post(item=item, acting_user=role_users["pimpinan"], note="x")
    # Verifying an item nobody submitted: refused, nothing written.
    with pytest.raises(DomainError):
        services.action_item_verify(item=item, acting_user=inspektorat, accepted=True)
    # Submitting without any evidence: refused.
    with pytest.raises(DomainError, match="evidence"):
        services.action_progress_post(item=item, acting_user=owner, note="selesai", submit=True)
    assert (ActionProgress.objects.count(), AuditEvent.objects.count()) == before
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN

    services.action_progress_post(item=item, acting_user=owner, note="Formulir dibagikan")
    services.action_progress_post(
        item=item, acting_user=owner, note="Terkumpul", files=[_evidence()], submit=True
    )
    item.refresh_from_db()
    assert item.status == ActionItem.Status.SUBMITTED
    # The owner cannot mark it done, nor can an administrator: only the inspektorat verifies.
    for user in (owner, role_users["admin"]):
        with pytest.raises(PermissionDeniedError):
            services.action_item_verify(item=item, acting_user=user, accepted=True)
    # Returning needs a reason.
    count = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        services.action_item_verify(item=item, acting_user=inspektorat, accepted=False, reason=" ")
    assert AuditEvent.objects.count() == count
    services.action_item_verify(
        item=item, acting_user=inspektorat, accepted=False, reason="Deklarasi Pokja 3 belum ada."
    )
    item.refresh_from_db()
    assert item.status == ActionItem.Status.RETURNED and "Pokja 3" in item.return_reason
    # Resubmission reuses the evidence already attached.
    services.action_progress_post(
        item=item, acting_user=owner, note="Pokja 3 menyusul", submit=True
    )
    done = services.action_item_verify(item=item, acting_user=inspektorat, accepted=True)
    assert done.status == ActionItem.Status.DONE and done.verified_by == inspektorat
    # Done is final.
    count = (ActionProgress.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError):
        services.action_progress_post(item=item, acting_user=owner, note="lagi")
    with pytest.raises(DomainError):
        services.action_item_verify(item=item, acting_user=inspektorat, accepted=True)
    assert (ActionProgress.objects.count(), AuditEvent.objects.count()) == count
    actions = list(
        AuditEvent.objects.filter(object_type="actionplans.actionitem", object_id=str(item.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "actionplans.item.added",
        "actionplans.item.progress",
        "actionplans.item.submitted",
        "actionplans.item.returned",
        "actionplans.item.submitted",
        "actionplans.item.accepted",
    ]


def test_progress_and_verification_through_the_client(
    pemda_a, unit_a, staff, superadmin, role_users
) -> None:
    item = _item(_plan(pemda_a, superadmin), unit_a, staff["owner"])
    owner = client_for(staff["owner_user"])
    base = {"pemda": pemda_a.slug, "pk": item.pk}
    page = owner.get(reverse("actionplans:item_detail", kwargs=base))
    assert page.status_code == 200 and "Formulir deklarasi" in page.content.decode()
    response = owner.post(
        reverse("actionplans:item_progress", kwargs=base),
        {
            "note": "Semua Pokja sudah deklarasi",
            "submit": "on",
            "evidence": [SimpleUploadedFile("deklarasi.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.SUBMITTED
    document = ActionProgress.objects.get(item=item).evidence.get()
    download = owner.get(reverse("actionplans:evidence", kwargs=base) + f"?file={document.sha256}")
    assert download.status_code == 200 and download.content == PDF
    # Another employee does not even see the progress form's target.
    stranger = client_for(role_users["pegawai"])
    assert (
        stranger.post(reverse("actionplans:item_progress", kwargs=base), {"note": "x"}).status_code
        == 404
    )
    inspektorat = client_for(role_users["inspektorat"])
    response = inspektorat.post(
        reverse("actionplans:item_verify", kwargs=base), {"decision": "accept"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE


# --- Reminders and escalation ----------------------------------------------------------------------


def test_reminders_then_escalation_to_the_superior_under_frozen_time(
    pemda_a, unit_a, staff, superadmin, role_users
) -> None:
    plan = _plan(pemda_a, superadmin)
    item = _item(plan, unit_a, staff["owner"], due=dt.date(2024, 6, 30))
    later = _item(plan, unit_a, staff["owner"], due=dt.date(2024, 12, 31))

    with time_machine.travel(dt.datetime(2024, 6, 1, 8, tzinfo=dt.UTC), tick=False):
        run = services.action_reminders_run()
    assert (run.reminded, run.escalated) == (0, 0)  # a month ahead: too early

    with time_machine.travel(dt.datetime(2024, 6, 25, 8, tzinfo=dt.UTC), tick=False):
        run = services.action_reminders_run()
        again = services.action_reminders_run()
    assert (run.reminded, run.escalated) == (1, 0) and run.item_ids == [item.pk]
    assert again.reminded == 0  # once a day
    assert [m.to for m in mail.outbox] == [["budi.user@example.go.id"]]
    assert Notification.objects.filter(user=staff["owner_user"]).count() == 1
    mail.outbox.clear()

    with time_machine.travel(dt.datetime(2024, 7, 1, 8, tzinfo=dt.UTC), tick=False):
        run = services.action_reminders_run()
        client = client_for(role_users["pimpinan"])
        dashboard = client.get(reverse("actionplans:dashboard", kwargs={"pemda": pemda_a.slug}))
    assert run.escalated == 1 and run.item_ids == [item.pk]
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["budi.user@example.go.id", "hadi@example.go.id"]  # owner and superior
    assert Notification.objects.filter(user=staff["head_user"]).count() == 1
    item.refresh_from_db()
    assert item.escalated_on == dt.date(2024, 7, 1)
    html = dashboard.content.decode()
    late_section = html.split("<h2>", 2)[1]
    assert 'class="overdue"' in late_section and str(item.pk) in late_section
    assert f"/items/{later.pk}/" not in late_section  # not late: not red
    event = AuditEvent.objects.filter(action="actionplans.reminders.sent").order_by("-seq").first()
    assert event.summary["escalated"] == [item.pk]

    with time_machine.travel(dt.datetime(2024, 7, 2, 8, tzinfo=dt.UTC), tick=False):
        assert services.action_reminders_run().escalated == 0  # escalated once


def test_verified_items_are_never_late(pemda_a, unit_a, staff, superadmin, role_users) -> None:
    item = _item(_plan(pemda_a, superadmin), unit_a, staff["owner"], due=dt.date(2024, 6, 30))
    services.action_progress_post(
        item=item, acting_user=staff["owner_user"], note="ok", files=[_evidence()], submit=True
    )
    services.action_item_verify(item=item, acting_user=role_users["inspektorat"], accepted=True)
    with time_machine.travel(dt.datetime(2024, 8, 1, 8, tzinfo=dt.UTC), tick=False):
        assert services.action_reminders_run().escalated == 0
        assert selectors.dashboard_counts(pemda=pemda_a)["late"] == 0


# --- Views and the report ------------------------------------------------------------------------


def test_progress_views_per_plan_unit_and_source(
    pemda_a, unit_a, staff, superadmin, role_users
) -> None:
    plan = _plan(pemda_a, superadmin)
    _item(plan, unit_a, staff["owner"], due=dt.date(2000, 1, 1))
    client = client_for(role_users["upg"])
    for by, label in (("plan", plan.title), ("unit", unit_a.name), ("source", "")):
        response = client.get(
            reverse("actionplans:progress", kwargs={"pemda": pemda_a.slug}) + f"?by={by}"
        )
        assert response.status_code == 200
        assert label in response.content.decode()
    detail = client.get(plan.get_absolute_url()).content.decode()
    # The timeline: drawn by ECharts from JSON, the late bar red, the dates in the table.
    assert 'data-chart="plan-timeline-spec"' in detail and "#dc2626" in detail
    assert '<tr data-state="late">' in detail
    assert LETTER in detail and "4 April 2024" in detail


def test_report_xlsx_lists_recommendation_action_status_and_evidence(
    pemda_a, unit_a, staff, superadmin
) -> None:
    plan = _plan(pemda_a, superadmin)
    item = _item(plan, unit_a, staff["owner"])
    services.action_progress_post(
        item=item,
        acting_user=staff["owner_user"],
        note="ok",
        files=[_evidence("deklarasi-pokja.pdf")],
        submit=True,
    )
    client = client_for(superadmin)
    response = client.get(
        reverse("actionplans:report_xlsx", kwargs={"pemda": pemda_a.slug, "pk": plan.pk})
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    row = rows[1]
    assert row[2] == item.title and row[3] == unit_a.name and row[4] == "Budi Pokja"
    assert "deklarasi-pokja.pdf" in row[9]


def test_signed_report_pdf(pemda_a, unit_a, staff, superadmin, tmp_path) -> None:
    from pakta.accounts.services import membership_grant
    from pakta.signing import services as signing
    from pakta.signing.models import SignedDocument
    from tests.signing.conftest import pdfsig

    plan = _plan(pemda_a, superadmin)
    _item(plan, unit_a, staff["owner"])
    head_user = staff["head_user"]
    membership_grant(user=head_user, pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=superadmin)
    head_user = type(head_user).objects.get(pk=head_user.pk)
    documents = SignedDocument.objects.count()
    with pytest.raises(DomainError):
        services.action_plan_report_sign(plan=plan, acting_user=head_user, credential="wrong")
    assert SignedDocument.objects.count() == documents  # a wrong confirmation leaves nothing
    document = services.action_plan_report_sign(
        plan=plan, acting_user=head_user, credential=PASSWORD
    )
    assert document.kind == SignedDocument.Kind.REPORT and document.signatures.count() == 1
    plan.refresh_from_db()
    assert plan.report == document
    client = client_for(head_user)
    pdf = client.get(
        reverse("actionplans:report_pdf", kwargs={"pemda": pemda_a.slug, "pk": plan.pk})
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert signing.document_verify(content=pdf.content).authentic
    output = pdfsig(pdf.content, tmp_path)
    assert "Signature is Valid" in output, output


def test_daily_command_runs_the_reminders(pemda_a, unit_a, staff, superadmin) -> None:
    from django.core.management import call_command

    _item(_plan(pemda_a, superadmin), unit_a, staff["owner"], due=dt.date(2024, 6, 30))
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2024, 7, 3, 8, tzinfo=dt.UTC), tick=False):
        call_command("send_action_reminders", stdout=out)
    assert "escalated=1" in out.getvalue()
