"""Reads of the reporting channel: case lists for handlers, due dates, and safe statistics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakta.org.models import Pemda
from pakta.reports import deadlines
from pakta.reports.models import Report, ReportAttachment, ReportExclusion, ReportKeyGrant

# Statistics never show a count below this: a small cell could point at one report.
K_THRESHOLD = 5


def report_list_for(*, user: Any, pemda: Pemda) -> QuerySet[Report]:
    """The reports of ``pemda`` a handler may know of: all but those they are excluded from."""
    excluded = ReportExclusion.objects.filter(report=OuterRef("pk"), user=user)
    readable = ReportKeyGrant.objects.filter(report=OuterRef("pk"), user=user)
    return (
        Report.objects.filter(pemda=pemda)
        .annotate(is_excluded=Exists(excluded), can_read=Exists(readable))
        .filter(is_excluded=False)
        .select_related("assignee", "reported_unit")
        .order_by("due_at", "-created_at")
    )


def report_get_for(*, user: Any, pemda: Pemda, pk: int) -> Report:
    report = report_list_for(user=user, pemda=pemda).select_related("pemda").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def attachment_get_for(*, user: Any, pemda: Pemda, pk: int) -> ReportAttachment:
    attachment = (
        ReportAttachment.objects.select_related("report__pemda", "document", "original", "message")
        .filter(report__pemda=pemda, pk=pk)
        .exclude(report__exclusions__user=user)
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def report_of_reporter(*, pemda: Pemda, pk: Any) -> Report | None:
    """The report a reporter's session names (their cookie holds its id and key), or None."""
    return Report.objects.filter(pk=pk, pemda=pemda).select_related("pemda").first()


def attachment_of_reporter(*, report: Report, token: str) -> ReportAttachment | None:
    """An attachment of the reporter's own report, by its public id, or None."""
    return (
        ReportAttachment.objects.select_related("document", "message")
        .filter(report=report, public_id=token)
        .first()
    )


def handlers_for(report: Report) -> QuerySet[Any]:
    """Handlers a case can go to: enrolled, of the Pemda, not excluded from it."""
    from pakta.accounts.models import User
    from pakta.reports.services import eligible_handler_keys

    return User.objects.filter(pk__in=eligible_handler_keys(report).values("user_id")).order_by(
        "username"
    )


def report_due_soon(*, now: dt.datetime, within_days: int = 1) -> QuerySet[Report]:
    """Open cases whose deadline is at most ``within_days`` working days away, or passed, and
    not yet alerted for that deadline."""
    horizon_day = deadlines.add_working_days(timezone.localdate(now), within_days)
    horizon = dt.datetime.combine(
        horizon_day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone()
    )
    queryset = (
        Report.objects.exclude(stage=Report.Stage.CLOSED)
        .filter(due_at__isnull=False, due_at__lte=horizon)
        .select_related("pemda")
    )
    # alerted_due_at is NULL until the first alert; NULL = F() is unknown in SQL, hence the OR.
    return queryset.filter(Q(alerted_due_at__isnull=True) | ~Q(alerted_due_at=F("due_at")))


# --- Statistics -----------------------------------------------------------------------------------

AGE_BANDS: list[tuple[str, Any, int | None]] = [
    ("d7", _("Up to 7 days"), 7),
    ("d30", _("8 to 30 days"), 30),
    ("d90", _("31 to 90 days"), 90),
    ("older", _("More than 90 days"), None),
]


@dataclass
class Cell:
    key: str
    label: Any
    count: int | None  # None: suppressed

    @property
    def shown(self) -> str:
        return str(self.count) if self.count is not None else f"< {K_THRESHOLD}"


@dataclass
class Table:
    title: Any
    cells: list[Cell]
    total: int | None


def _suppressed(counts: list[tuple[str, Any, int]], k: int) -> list[Cell]:
    """Cells below ``k`` (zero included) are hidden; if exactly one is hidden, the next
    smallest is hidden too, so that no hidden cell can be computed from the total."""
    hidden = {key for key, _label, n in counts if n < k}
    if len(hidden) == 1:
        rest = sorted((n, key) for key, _label, n in counts if key not in hidden)
        if rest:
            hidden.add(rest[0][1])
    return [Cell(key, label, None if key in hidden else n) for key, label, n in counts]


def report_statistics(
    *, pemda: Pemda, now: dt.datetime | None = None, k: int = K_THRESHOLD
) -> list[Table]:
    """Counts by category, by stage and by age, each with small cells suppressed."""
    now = now or timezone.now()
    reports = Report.objects.filter(pemda=pemda)
    total = reports.count()
    by_category = dict(reports.values_list("category").annotate(n=Count("pk")))
    by_stage = dict(reports.values_list("stage").annotate(n=Count("pk")))
    # Age bands counted in the database: one conditional count per band, no row scan in Python.
    age_filters: dict[str, Q] = {}
    lower: dt.datetime | None = None
    for key, _label, days in AGE_BANDS:
        band = Q() if lower is None else Q(created_at__lt=lower)
        if days is not None:
            band &= Q(created_at__gte=now - dt.timedelta(days=days))
            lower = now - dt.timedelta(days=days)
        age_filters[key] = band
    ages = reports.aggregate(**{key: Count("pk", filter=q) for key, q in age_filters.items()})
    shown_total = total if total >= k else None
    return [
        Table(
            _("By category"),
            _suppressed(
                [(c.value, c.label, by_category.get(c.value, 0)) for c in Report.Category], k
            ),
            shown_total,
        ),
        Table(
            _("By stage"),
            _suppressed([(s.value, s.label, by_stage.get(s.value, 0)) for s in Report.Stage], k),
            shown_total,
        ),
        Table(
            _("By age"),
            _suppressed([(key, label, ages[key]) for key, label, _days in AGE_BANDS], k),
            shown_total,
        ),
    ]
