"""The UPG's workflow: one service per step, each guarded; every step audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.todo import todo_list_for
from pakta.gratification import custody, services, tasks
from pakta.gratification.models import GratificationReport
from pakta.gratification.services import UploadedFile
from tests.gratification.conftest import PDF, TODAY, file_report

pytestmark = pytest.mark.django_db
Status = GratificationReport.Status


def test_full_path_to_kpk_decision_and_deposit(pemda_a: Any, reporter: Any, upg: Any) -> None:
    report = file_report(pemda_a, reporter, location="upg", compensation_requested=True)
    item = custody.custody_receive(
        report=report,
        acting_user=upg,
        description="Parsel",
        received_from="Hadi",
        storage="Lemari UPG 1",
        condition="good",
    )
    assert [t.title for t in todo_list_for(user=upg, pemda=pemda_a)] == [
        f"Process gratification report {report.number} (Submitted (diajukan))"
    ]
    report = services.report_verify(report=report, acting_user=upg)
    report = services.report_analyse(
        report=report,
        acting_user=upg,
        related_to_position=True,
        contrary_to_duty=True,
        exempt_confirmed=False,
        appraised_value=700_000,
        note="Dari rekanan",
        route="kpk",
    )
    with pytest.raises(DomainError, match="must be forwarded to KPK"):
        services.report_analyse(
            report=report,
            acting_user=upg,
            related_to_position=True,
            contrary_to_duty=True,
            exempt_confirmed=False,
            appraised_value=None,
            note="",
            route="internal",
        )
    report = services.report_forward(report=report, acting_user=upg, today=TODAY)
    report = services.report_kpk_number(report=report, acting_user=upg, kpk_number="GRAT-2026-0042")
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="number of its decision letter"):
        services.report_decide(
            report=report,
            acting_user=upg,
            decision="state",
            letter_number=" ",
            letter_date=TODAY,
            today=TODAY,
        )
    assert AuditEvent.objects.count() == events
    assert GratificationReport.objects.get(pk=report.pk).status == Status.FORWARDED
    report = services.report_decide(
        report=report,
        acting_user=upg,
        decision="state",
        letter_number="SK-123/GRA/2026",
        letter_date=TODAY,
        letter=UploadedFile("sk.pdf", PDF),
        today=TODAY,
    )
    assert report.status == Status.DECIDED and report.decision_by_kpk
    assert report.delivery_due == dt.date(2026, 3, 11)  # 7 working days, no holiday in between
    with pytest.raises(DomainError, match="proof of deposit"):
        services.report_execute(report=report, acting_user=upg, execution="deposited")
    with pytest.raises(DomainError, match="does not fit"):
        services.report_execute(report=report, acting_user=upg, execution="returned")
    report = services.report_execute(
        report=report,
        acting_user=upg,
        execution="compensated",
        compensation_value=700_000,
        proof=UploadedFile("bukti.pdf", PDF),
    )
    assert report.status == Status.CLOSED and report.compensation_value == 700_000
    custody.custody_release(
        item=item,
        acting_user=upg,
        released_to="Penerima (kompensasi)",
        receipt=UploadedFile("tanda-terima.pdf", PDF),
    )
    steps = list(report.steps.values_list("step", flat=True))
    assert steps == ["filed", "verified", "analysed", "forwarded", "decided", "executed"]
    actions = set(
        AuditEvent.objects.filter(action__startswith="gratification.").values_list(
            "action", flat=True
        )
    )
    assert {
        "gratification.report.forwarded",
        "gratification.report.decided",
        "gratification.custody.released",
    } <= actions


def test_incomplete_report_returns_and_expires(pemda_a: Any, reporter: Any, upg: Any) -> None:
    report = file_report(pemda_a, reporter)
    report = services.report_return(
        report=report, acting_user=upg, missing="Foto barang", today=TODAY
    )
    assert report.completeness_due == dt.date(2026, 3, 31) or report.completeness_due > TODAY
    # (The reporter's own pact waits too: only the gratification tasks are looked at here.)
    assert [
        t.kind
        for t in todo_list_for(user=reporter, pemda=pemda_a)
        if t.kind.startswith("gratification.")
    ] == ["gratification.complete"]
    with pytest.raises(DomainError, match="not possible while"):
        services.report_verify(report=report, acting_user=upg)
    completed = services.report_complete(
        report=report,
        acting_user=reporter,
        note="Foto terlampir",
        files=[UploadedFile("foto.pdf", PDF)],
        today=TODAY,
    )
    assert completed.status == Status.SUBMITTED
    again = services.report_return(
        report=completed, acting_user=upg, missing="Kronologi", today=TODAY
    )
    assert services.reports_expire(today=again.completeness_due) == 0
    assert services.reports_expire(today=again.completeness_due + dt.timedelta(days=1)) == 1
    assert GratificationReport.objects.get(pk=report.pk).status == Status.NOT_PROCESSED


def test_internal_decision_and_perishable_food(pemda_a: Any, reporter: Any, upg: Any) -> None:
    report = file_report(
        pemda_a,
        reporter,
        kind="food",
        location="upg",
        relationship="colleague",
        giver_name="Rekan kerja",
        exempt_category="colleague",
        value=300_000,
    )
    item = custody.custody_receive(
        report=report,
        acting_user=upg,
        description="Kue basah",
        received_from="Hadi",
        storage="Pantry",
        condition="perishable",
    )
    with pytest.raises(DomainError, match="distribution report"):
        custody.custody_release(item=item, acting_user=upg, released_to="Panti Asuhan")
    custody.custody_release(
        item=item,
        acting_user=upg,
        released_to="Panti Asuhan Kasih",
        distribution_report="Dibagikan 2 Maret 2026, diterima pengurus.",
    )
    report = services.report_verify(report=report, acting_user=upg)
    report = services.report_analyse(
        report=report,
        acting_user=upg,
        related_to_position=False,
        contrary_to_duty=False,
        exempt_confirmed=True,
        appraised_value=None,
        note="",
        route="internal",
    )
    report = services.report_decide(
        report=report,
        acting_user=upg,
        decision="recipient",
        letter_number="800/12/UPG/2026",
        letter_date=TODAY,
        today=TODAY,
    )
    assert not report.decision_by_kpk
    report = services.report_execute(report=report, acting_user=upg, execution="kept")
    assert report.status == Status.CLOSED


def test_steps_are_for_the_upg_only(pemda_a: Any, reporter: Any, role_users: Any) -> None:
    report = file_report(pemda_a, reporter)
    for role in ("inspektorat", "admin", "pegawai"):
        with pytest.raises(PermissionDeniedError):
            services.report_verify(report=report, acting_user=role_users[role])


def test_reminder_for_due_report(pemda_a: Any, reporter: Any, upg: Any) -> None:
    from django.utils import timezone

    from pakta.notifications.models import Notification

    report = file_report(pemda_a, reporter, received_on=dt.date(2026, 2, 2))
    now = timezone.make_aware(dt.datetime.combine(report.forward_due, dt.time(8)))
    assert tasks.send_deadline_reminders(now) == 1
    assert tasks.send_deadline_reminders(now) == 0  # once a day
    assert Notification.objects.filter(user=upg, message__contains=report.number).exists()
