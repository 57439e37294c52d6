"""The Inspektorat's case workflow: stages with guards, deadlines in working days with alerts,
assignment, transfer, recusal, sharing, openings logged, links to an official and a clause."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.notifications.models import Notification
from pakta.pacts import services as pacts
from pakta.reports import deadlines, keys, services
from pakta.reports.models import Report, ReportExclusion
from tests.conftest import PASSWORD
from tests.reports.conftest import handler_client, make_handler, submit

Stage = Report.Stage
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def key_of(user: Any) -> bytes:
    private = keys.handler_key_unwrap(key=user.handler_key, password=PASSWORD)
    assert private is not None
    return private


@pytest.mark.django_db
def test_working_days_skip_weekends_and_indonesian_holidays() -> None:
    # March 2026: Nyepi on Thursday 19 with cuti bersama on 18 and 20, Idul Fitri on the weekend
    # of 21-22 with cuti bersama on Monday 23 and Tuesday 24.
    for day in (18, 19, 20, 21, 22, 23, 24):
        assert not deadlines.is_working_day(dt.date(2026, 3, day)), day
    assert deadlines.is_working_day(dt.date(2026, 3, 17))
    # Filed on Tuesday 17 March: the 3rd working day after it is Friday 27 March.
    assert deadlines.add_working_days(dt.date(2026, 3, 17), 3) == dt.date(2026, 3, 27)
    assert deadlines.working_days_between(dt.date(2026, 3, 17), dt.date(2026, 3, 27)) == 3
    # Friday 2 January 2026 + 3 working days = Wednesday 7 January (weekend skipped).
    assert deadlines.add_working_days(dt.date(2026, 1, 2), 3) == dt.date(2026, 1, 7)


def test_first_response_deadline_is_three_working_days(pemda_a: Any, handler_a: Any) -> None:
    friday = dt.datetime(2026, 1, 2, 9, 0, tzinfo=WIB)
    due = deadlines.stage_deadline(Stage.RECEIVED, friday, "Asia/Jakarta")
    assert due == dt.datetime(2026, 1, 7, 23, 59, 59, tzinfo=WIB)
    report = submit(pemda_a).report
    assert report.due_at is not None and report.stage == Stage.RECEIVED


@pytest.mark.django_db
def test_the_first_response_is_configurable(settings: Any) -> None:
    settings.PAKTA_REPORT_FIRST_RESPONSE_DAYS = 5
    friday = dt.datetime(2026, 1, 2, 9, 0, tzinfo=WIB)
    assert deadlines.stage_deadline(Stage.RECEIVED, friday, "Asia/Jakarta").date() == dt.date(
        2026, 1, 9
    )


def test_the_workflow_follows_its_edges_with_audit_ids_only(pemda_a: Any, handler_a: Any) -> None:
    report = submit(pemda_a, what="Isi rahasia").report
    private = key_of(handler_a)
    with pytest.raises(DomainError, match="cannot move"):
        services.report_transition(
            report=report, to_stage=Stage.CLOSED, acting_user=handler_a, private_key=private
        )
    assert not AuditEvent.objects.filter(action="reports.report.stage_changed").exists()
    path = [
        Stage.VERIFICATION,
        Stage.CLARIFICATION,
        Stage.INVESTIGATION,
        Stage.SUBSTANTIATED,
        Stage.FOLLOW_UP,
        Stage.CLOSED,
    ]
    for stage in path:
        report = services.report_transition(
            report=report, to_stage=stage, acting_user=handler_a, private_key=private
        )
        assert report.stage == stage
    assert report.first_response_at and report.closed_at
    assert report.outcome == Stage.SUBSTANTIATED and report.due_at is None
    events = AuditEvent.objects.filter(action="reports.report.stage_changed").order_by("seq")
    assert [e.summary["to"] for e in events] == path
    assert all(set(e.summary) == {"from", "to"} for e in events)
    assert all("rahasia" not in str(e.summary).lower() for e in events)


def test_a_handler_who_cannot_read_cannot_act(
    pemda_a: Any, handler_a: Any, superadmin: Any
) -> None:
    report = submit(pemda_a).report
    late = make_handler("hadi", pemda_a, superadmin)
    with pytest.raises(DomainError, match="not shared with you"):
        services.report_transition(
            report=report, to_stage=Stage.VERIFICATION, acting_user=late, private_key=key_of(late)
        )
    with pytest.raises(DomainError, match="Unlock your report key"):
        services.report_transition(
            report=report, to_stage=Stage.VERIFICATION, acting_user=handler_a, private_key=None
        )
    report.refresh_from_db()
    assert report.stage == Stage.RECEIVED


def test_a_named_handler_is_excluded_and_a_substitute_gets_the_case(
    pemda_a: Any, handler_a: Any, handler_b: Any
) -> None:
    nip = handler_a.official.nip
    report = submit(pemda_a, who=f"Auditor dengan NIP {nip[:8]} {nip[8:14]} {nip[14:]}").report
    assert ReportExclusion.objects.filter(report=report, user=handler_a).exists()
    assert report.assignee == handler_b
    assert not report.grants.filter(user=handler_a).exists()
    # The excluded handler does not see that the report exists.
    client = handler_client(handler_a)
    assert (
        client.get(reverse("reports:detail", kwargs={"pemda": "alfa", "pk": report.pk})).status_code
        == 404
    )
    listing = client.get(reverse("reports:list", kwargs={"pemda": "alfa"})).content.decode()
    assert report.reference not in listing


def test_handlers_of_the_reported_unit_are_excluded(
    pemda_a: Any, handler_a: Any, handler_b: Any, auditor_position: Any
) -> None:
    report = submit(pemda_a, reported_unit=auditor_position.unit).report
    assert set(report.exclusions.values_list("user_id", flat=True)) == {
        handler_a.pk,
        handler_b.pk,
    }
    assert report.assignee is None and not report.grants.exists()


def test_assignment_transfer_and_sharing(
    pemda_a: Any, handler_a: Any, handler_b: Any, superadmin: Any
) -> None:
    report = submit(pemda_a).report
    assert report.assignee == handler_a  # fewest open cases, lowest id on a tie
    second = submit(pemda_a).report
    assert second.assignee == handler_b  # the load is spread
    late = make_handler("indra", pemda_a, superadmin)
    assert services.report_open(report=report, user=late, private_key=key_of(late)) is None
    services.report_assign(
        report=report, to_user=late, acting_user=handler_a, private_key=key_of(handler_a)
    )
    report.refresh_from_db()
    assert report.assignee == late
    assert services.report_open(report=report, user=late, private_key=key_of(late))
    event = AuditEvent.objects.get(action="reports.report.assigned")
    assert event.summary == {"from_user_id": handler_a.pk, "to_user_id": late.pk}
    assert Notification.objects.filter(user=late).exists()
    later = make_handler("joko", pemda_a, superadmin)
    services.report_share(report=report, to_user=later, acting_user=late, private_key=key_of(late))
    assert services.report_open(report=report, user=later, private_key=key_of(later))
    with pytest.raises(DomainError, match="already read"):
        services.report_share(
            report=report, to_user=later, acting_user=late, private_key=key_of(late)
        )


def test_recusal_hands_the_case_to_a_substitute(
    pemda_a: Any, handler_a: Any, handler_b: Any
) -> None:
    report = submit(pemda_a).report
    assert report.assignee == handler_a
    client = handler_client(handler_a)
    response = client.post(reverse("reports:recuse", kwargs={"pemda": "alfa", "pk": report.pk}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assignee == handler_b
    assert not report.grants.filter(user=handler_a).exists()
    assert ReportExclusion.objects.filter(
        report=report, user=handler_a, reason=ReportExclusion.Reason.RECUSED
    ).exists()
    assert (
        services.report_open(report=report, user=handler_a, private_key=key_of(handler_a)) is None
    )
    with pytest.raises(DomainError, match="excluded"):
        services.report_assign(
            report=report, to_user=handler_a, acting_user=handler_b, private_key=key_of(handler_b)
        )


def test_every_opening_is_logged(pemda_a: Any, handler_a: Any, superadmin: Any) -> None:
    report = submit(pemda_a).report
    client = handler_client(handler_a)
    url = reverse("reports:detail", kwargs={"pemda": "alfa", "pk": report.pk})
    client.get(url)
    client.get(url)
    late = make_handler("kartika", pemda_a, superadmin)
    handler_client(late).get(url)
    openings = AuditEvent.objects.filter(action="reports.report.opened", object_id=str(report.pk))
    assert [(e.actor_id, e.summary["decrypted"]) for e in openings.order_by("seq")] == [
        (handler_a.pk, True),
        (handler_a.pk, True),
        (late.pk, False),
    ]


def test_links_to_an_official_and_when_substantiated_to_a_clause(
    pemda_a: Any, handler_a: Any, official_a: Any, superadmin: Any
) -> None:
    report = submit(pemda_a).report
    private = key_of(handler_a)
    template = pacts.template_create(pemda=pemda_a, acting_user=superadmin)
    client = handler_client(handler_a)
    url = reverse("reports:link", kwargs={"pemda": "alfa", "pk": report.pk})
    client.post(url, {"official_nip": official_a.nip})
    report.refresh_from_db()
    assert report.official == official_a
    with pytest.raises(DomainError, match="Only a substantiated report"):
        services.report_link(
            report=report, acting_user=handler_a, private_key=private, template=template, clause=6
        )
    for stage in (Stage.VERIFICATION, Stage.INVESTIGATION, Stage.SUBSTANTIATED):
        report = services.report_transition(
            report=report, to_stage=stage, acting_user=handler_a, private_key=private
        )
    with pytest.raises(DomainError, match="Choose a clause between 1 and"):
        services.report_link(
            report=report, acting_user=handler_a, private_key=private, template=template, clause=99
        )
    client.post(url, {"template": template.pk, "clause": 6})
    report.refresh_from_db()
    assert (report.breached_template, report.breached_clause) == (template, 6)
    event = AuditEvent.objects.filter(action="reports.report.linked").latest("seq")
    assert event.summary == {
        "official_id": official_a.pk,
        "template_id": template.pk,
        "clause": 6,
    }


def test_deadline_alerts_are_sent_once_before_the_deadline(pemda_a: Any, handler_a: Any) -> None:
    report = submit(pemda_a).report
    due = report.due_at
    # Two working days before the deadline: not yet.
    early = due - dt.timedelta(days=10)
    assert services.report_deadline_alerts_send(now=early) == 0
    # On the last working day before it: one alert to the assignee, then none again.
    Notification.objects.all().delete()
    eve = due - dt.timedelta(hours=30)
    assert services.report_deadline_alerts_send(now=eve) == 1
    notes = Notification.objects.filter(user=handler_a)
    assert notes.count() == 1 and report.reference in notes.get().message
    assert services.report_deadline_alerts_send(now=eve) == 0
    # A new stage brings a new deadline, alerted again when it nears.
    services.report_transition(
        report=report,
        to_stage=Stage.VERIFICATION,
        acting_user=handler_a,
        private_key=key_of(handler_a),
    )
    report.refresh_from_db()
    out = StringIO()
    call_command("send_report_deadline_alerts", "--within-days", "30", stdout=out)
    assert "1 report(s) alerted." in out.getvalue()
    assert AuditEvent.objects.filter(action="reports.deadline.alerted").count() == 2
