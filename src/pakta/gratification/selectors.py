"""Reads of gratification reports, always scoped by Pemda and by who may see them."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from pakta.accounts.models import User
from pakta.core.permissions import has_permission
from pakta.core.roles import Role
from pakta.gratification.models import (
    CustodyItem,
    GiverEntry,
    GratificationReport,
    GratificationRule,
    QuarterlyRecap,
)
from pakta.gratification.permissions import can_see_report
from pakta.org.models import Pemda

OPEN = [
    GratificationReport.Status.SUBMITTED,
    GratificationReport.Status.RETURNED,
    GratificationReport.Status.ANALYSIS,
    GratificationReport.Status.FORWARDED,
    GratificationReport.Status.INTERNAL,
    GratificationReport.Status.DECIDED,
]


def upg_users(pemda: Pemda) -> QuerySet[User]:
    return User.objects.filter(
        memberships__pemda=pemda, memberships__role=Role.UPG, is_active=True
    ).distinct()


def report_list_for(*, pemda: Pemda, user: Any, status: str = "") -> QuerySet[GratificationReport]:
    """Every report for the UPG and the Inspektorat; one's own reports for anyone else."""
    reports = GratificationReport.objects.filter(pemda=pemda).select_related("recipient_unit")
    if not has_permission(user, pemda, "gratification.read"):
        reports = reports.filter(own_q(user))
    if status:
        reports = reports.filter(status=status)
    return reports


def own_q(user: Any) -> Q:
    q = Q(reporter_id=user.pk)
    if getattr(user, "official_id", None):
        q |= Q(recipient_id=user.official_id)
    return q


def my_reports(*, pemda: Pemda, user: Any) -> QuerySet[GratificationReport]:
    return GratificationReport.objects.filter(pemda=pemda).filter(own_q(user))


def report_get_for(*, pemda: Pemda, user: Any, pk: int) -> GratificationReport:
    """A report the user may see, else 404 (as if it did not exist)."""
    report = (
        GratificationReport.objects.filter(pemda=pemda, pk=pk)
        .select_related("pemda", "recipient_unit", "reporter")
        .first()
    )
    if report is None or not can_see_report(user, report):
        raise Http404
    return report


def recap_list_for(*, pemda: Pemda, year: int) -> QuerySet[QuarterlyRecap]:
    return QuarterlyRecap.objects.filter(pemda=pemda, year=year)


def recap_find_for(*, pemda: Pemda, year: int, quarter: int) -> QuarterlyRecap | None:
    """The recap of a quarter with its signed PDF, or None."""
    return (
        QuarterlyRecap.objects.filter(pemda=pemda, year=year, quarter=quarter)
        .select_related("document__pdf")
        .first()
    )


def rule_list() -> QuerySet[GratificationRule]:
    """The national rules, newest first within each category."""
    return GratificationRule.objects.order_by("category", "-effective_from")


def custody_list_for(*, pemda: Pemda) -> QuerySet[CustodyItem]:
    return CustodyItem.objects.filter(pemda=pemda).select_related("report")


def custody_get_for(*, pemda: Pemda, pk: int) -> CustodyItem:
    """One of the Pemda's custody items (404 otherwise)."""
    return get_object_or_404(custody_list_for(pemda=pemda), pk=pk)


def giver_list_for(*, pemda: Pemda) -> QuerySet[GiverEntry]:
    return GiverEntry.objects.filter(pemda=pemda).select_related("unit")


def stats(
    *, pemda: Pemda, year: int | None = None, period: tuple[Any, Any] | None = None
) -> dict[str, Any]:
    """Counts and values by month, kind, unit and outcome, and the share reported on time."""
    reports = GratificationReport.objects.filter(pemda=pemda)
    if year:
        reports = reports.filter(received_on__year=year)
    if period:
        reports = reports.filter(received_on__gte=period[0], received_on__lte=period[1])
    rows = list(
        reports.values(
            "received_on",
            "kind",
            "recipient_unit_name",
            "decision",
            "status",
            "type",
            "value",
            "late",
        )
    )
    by: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in rows:
        outcome = row["decision"] or row["status"]
        for key, value in (
            ("month", row["received_on"].strftime("%Y-%m")),
            ("kind", row["kind"]),
            ("unit", row["recipient_unit_name"] or "-"),
            ("outcome", outcome),
            ("type", row["type"]),
        ):
            by[key][value][0] += 1
            by[key][value][1] += row["value"]
    on_time = sum(1 for r in rows if not r["late"])
    return {
        "total": len(rows),
        "value": sum(r["value"] for r in rows),
        "on_time": on_time,
        "on_time_share": round(100 * on_time / len(rows), 1) if rows else None,
        "by": {k: dict(sorted(v.items())) for k, v in by.items()},
    }


def public_summary(*, pemda: Pemda, year: int) -> dict[str, Any]:
    """Counts only: no reporter, no giver, no unit, no value of a single report."""
    reports = GratificationReport.objects.filter(pemda=pemda, received_on__year=year)
    types = Counter(reports.values_list("type", flat=True))
    decisions = Counter(d for d in reports.values_list("decision", flat=True) if d)
    months = Counter(d.month for d in reports.values_list("received_on", flat=True))
    return {
        "year": year,
        "total": sum(types.values()),
        "received": types.get(GratificationReport.Type.RECEIVED, 0),
        "refused": types.get(GratificationReport.Type.REFUSED, 0),
        "decisions": dict(decisions),
        "months": [months.get(m, 0) for m in range(1, 13)],
        "on_time": reports.filter(late=False).count(),
    }
