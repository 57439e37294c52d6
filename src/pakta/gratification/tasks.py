"""Daily work: expire reports not completed in 20 working days, remind the reporter and the UPG
of deadlines due within 3 working days; and the "Tugas saya" items of both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.core.permissions import has_permission
from pakta.core.todo import Todo, register_todo
from pakta.gratification.deadlines import DUE_SOON_DAYS
from pakta.gratification.models import GratificationReport
from pakta.gratification.rules import tanggal
from pakta.notifications.reminders import register_reminder
from pakta.org.workdays import WorkCalendar

Status = GratificationReport.Status
UPG_STEPS = (Status.SUBMITTED, Status.ANALYSIS, Status.INTERNAL, Status.FORWARDED, Status.DECIDED)


def next_due(report: GratificationReport) -> dt.date | None:
    """The deadline that matters now for a report."""
    if report.status == Status.RETURNED:
        return report.completeness_due
    if report.status in (Status.SUBMITTED, Status.ANALYSIS, Status.INTERNAL):
        return report.forward_due
    if report.status == Status.DECIDED:
        return report.delivery_due
    return None


def upg_todos(user: Any, pemda: Any) -> Iterable[Todo]:
    if (
        pemda is None
        or not has_permission(user, pemda, "gratification.manage")
        or user.is_superuser
    ):
        return []
    reports = GratificationReport.objects.filter(pemda=pemda, status__in=UPG_STEPS).select_related(
        "pemda"
    )[:100]
    todos = []
    for report in reports:
        if report.status == Status.FORWARDED:
            title = _("Record KPK's decision on gratification report %(number)s") % {
                "number": report.number
            }
        else:
            title = _("Process gratification report %(number)s (%(status)s)") % {
                "number": report.number,
                "status": report.get_status_display(),
            }
        todos.append(
            Todo(
                kind="gratification.process",
                title=title,
                url=report.get_absolute_url(),
                since=report.reported_on,
                due=next_due(report),
            )
        )
    return todos


def reporter_todos(user: Any, pemda: Any) -> Iterable[Todo]:
    if pemda is None:
        return []
    q = Q(reporter_id=user.pk)
    if getattr(user, "official_id", None):
        q |= Q(recipient_id=user.official_id)
    reports = GratificationReport.objects.filter(
        q, pemda=pemda, status=Status.RETURNED
    ).select_related("pemda")
    return [
        Todo(
            kind="gratification.complete",
            title=_("Complete gratification report %(number)s") % {"number": r.number},
            url=r.get_absolute_url(),
            since=r.returned_on,
            due=r.completeness_due,
        )
        for r in reports
    ]


def _reminder_render(report: GratificationReport, due: dt.date) -> Any:
    def render(user: Any) -> tuple[str, str]:
        subject = _("Gratification report %(number)s is due on %(date)s") % {
            "number": report.number,
            "date": tanggal(due),
        }
        body = _(
            "The next step of gratification report %(number)s is due on %(date)s (%(status)s)."
        ) % {"number": report.number, "date": tanggal(due), "status": report.get_status_display()}
        return subject, body

    return render


def send_deadline_reminders(now: dt.datetime) -> int:
    """Once a day per report: expire overdue returned reports, then remind of deadlines due
    within 3 working days (the reporter for a returned report, the UPG for the others)."""
    from pakta.gratification.selectors import upg_users
    from pakta.gratification.services import reports_expire
    from pakta.notifications.services import message_send

    today = timezone.localdate(now)
    reports_expire(today=today)
    sent = 0
    calendars: dict[int, WorkCalendar] = {}
    open_reports = (
        GratificationReport.objects.filter(
            status__in=(Status.RETURNED, *UPG_STEPS[:3], Status.DECIDED)
        )
        .exclude(last_reminded_on=today)
        .select_related("pemda", "reporter")
    )
    for report in open_reports.iterator():
        due = next_due(report)
        if due is None:
            continue
        calendar = calendars.setdefault(report.pemda_id, WorkCalendar(report.pemda_id))
        if calendar.working_days_between(today, due) > DUE_SOON_DAYS:
            continue
        users = (
            [report.reporter] if report.status == Status.RETURNED else list(upg_users(report.pemda))
        )
        sent += message_send(
            users=users,
            render=_reminder_render(report, due),
            url=report.get_absolute_url(),
            pemda=report.pemda,
        )
        GratificationReport.objects.filter(pk=report.pk).update(last_reminded_on=today)
    return sent


register_reminder("gratification.deadlines", send_deadline_reminders)
register_todo("gratification.upg", upg_todos)
register_todo("gratification.reporter", reporter_todos)
