"""Deadlines: alerts to handlers of stages past their deadline."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.reports.services.base import Stage
from pakta.reports.services.recipients import _notify, _users
from pakta.reports.services.reporter import _grant_holders

# --- Deadlines ------------------------------------------------------------------------------------


@transaction.atomic
def report_deadline_alerts_send(*, now: dt.datetime | None = None, within_days: int = 1) -> int:
    """Alert the handlers of every open case whose stage deadline is at most ``within_days``
    working days away (or passed), once per deadline. Returns how many cases were alerted."""
    from pakta.reports.selectors import report_due_soon

    now = now or timezone.now()
    count = 0
    for report in report_due_soon(now=now, within_days=within_days).select_for_update(of=("self",)):
        recipients = _users([report.assignee_id]) if report.assignee_id else []
        recipients = recipients or _grant_holders(report)
        overdue = report.due_at is not None and report.due_at < now
        message = (
            _("The deadline of the report %(reference)s (stage: %(stage)s) has passed.")
            if overdue
            else _("The deadline of the report %(reference)s (stage: %(stage)s) is near.")
        ) % {"reference": report.reference, "stage": Stage(report.stage).label}
        _notify(recipients, report, message)
        report.alerted_due_at = report.due_at
        report.save(update_fields=["alerted_due_at"])
        count += 1
    if count:
        audit_record(
            actor=None,
            action="reports.deadline.alerted",
            summary={"reports": count},
        )
    return count
