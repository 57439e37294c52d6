"""What waits for a handler in the integrity reports ("Tugas saya"): cases assigned to them and
cases past the deadline of their stage. Titles carry the case reference only, never content."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.core.permissions import has_permission
from pakta.core.todo import Todo, register_todo
from pakta.reports import selectors
from pakta.reports.models import Report

LIMIT = 50


def report_todos(user: Any, pemda: Any) -> Iterable[Todo]:
    """One query: open cases assigned to the handler, and open cases past their deadline."""
    if not has_permission(user, pemda, "reports.handle"):
        return
    now = timezone.now()
    cases = (
        selectors.report_list_for(user=user, pemda=pemda)
        .exclude(stage=Report.Stage.CLOSED)
        .filter(Q(assignee=user) | Q(due_at__lt=now))
        .order_by("due_at", "created_at")
    )
    for report in cases[:LIMIT]:
        values = {"reference": report.reference, "stage": report.get_stage_display()}
        if report.due_at is not None and report.due_at < now:
            title = _("Case %(reference)s: the deadline of the stage “%(stage)s” has passed")
        else:
            title = _("Case %(reference)s waits for you (stage “%(stage)s”)")
        yield Todo(
            kind="reports.overdue" if report.due_at and report.due_at < now else "reports.assigned",
            title=title % values,
            url=reverse("reports:detail", kwargs={"pemda": pemda.slug, "pk": report.pk}),
            since=report.created_at,
            due=report.due_at,
        )


register_todo("reports", report_todos)
