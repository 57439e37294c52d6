"""Counts for the Inspektorat's annual report and the public page (counts only, no names)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from pakta.conflicts.models import (
    Decision,
    DecisionDeclaration,
    Finding,
    Recusal,
    StandingDeclaration,
)
from pakta.core.exports import stream_workbook
from pakta.org.models import Assignment, Pemda, Position, Unit

SUBMITTED = [StandingDeclaration.Status.SUBMITTED, StandingDeclaration.Status.CORRECTION]


def due_per_unit(pemda: Pemda, year: int) -> list[dict[str, Any]]:
    """Per top-level unit: officials currently assigned (due), declared for the year, late."""
    declared = (
        StandingDeclaration.objects.filter(pemda=pemda, year=year)
        .filter(status__in=[*SUBMITTED, StandingDeclaration.Status.SUPERSEDED])
        .values("official_id")
    )
    # Counted in the database per position (a large Pemda has 60,000 current assignments, read
    # from an index), then summed per OPD: the first id of the position's unit's materialised
    # path (as org.selectors.top_unit). An official counts once, at their definitive post: one
    # current definitive assignment per official (org_assignment_one_current_definitive), so
    # counting assignments counts officials.
    per_position = (
        Assignment.objects.filter(
            pemda=pemda, end_date__isnull=True, kind=Assignment.Kind.DEFINITIVE
        )
        .values("position_id")
        .annotate(
            due=Count("pk"),
            declared=Count("pk", filter=Q(official_id__in=declared)),
        )
        .order_by()
    )
    rows = list(per_position)
    posts = {
        pk: (unit_id, path)
        for pk, unit_id, path in Position.objects.filter(
            pk__in=[r["position_id"] for r in rows]
        ).values_list("pk", "unit_id", "unit__path")
    }
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        unit_id, path = posts[row["position_id"]]
        top_id = int(path.strip("/").split("/")[0]) if path else unit_id
        total = counts.setdefault(top_id, {"due": 0, "declared": 0, "late": 0})
        total["due"] += row["due"]
        total["declared"] += row["declared"]
        total["late"] += row["due"] - row["declared"]
    names = dict(Unit.objects.filter(pk__in=counts).values_list("pk", "name"))
    units = {pk: {"unit": names.get(pk, ""), **row} for pk, row in counts.items()}
    return sorted(units.values(), key=lambda r: (-r["late"], r["unit"]))


def per_year(pemda: Pemda) -> list[dict[str, Any]]:
    """Per year: declarations submitted, conflicts declared on decisions, recusals, findings."""
    years: dict[int, dict[str, Any]] = {}

    def row(year: int) -> dict[str, Any]:
        return years.setdefault(
            year, {"year": year, "declarations": 0, "conflicts": 0, "recusals": 0, "confirmed": 0}
        )

    counts: list[tuple[str, Any]] = [
        (
            "declarations",
            StandingDeclaration.objects.filter(pemda=pemda, status__in=SUBMITTED).values_list(
                "year"
            ),
        ),
        (
            "conflicts",
            DecisionDeclaration.objects.filter(
                pemda=pemda, has_conflict=True, is_current=True
            ).values_list("member__decision__year"),
        ),
        ("recusals", Recusal.objects.filter(pemda=pemda).values_list("decision__year")),
        (
            "confirmed",
            Finding.objects.filter(pemda=pemda, status=Finding.Status.CONFIRMED).values_list(
                "created_at__year"
            ),
        ),
    ]
    for column, queryset in counts:
        for year, n in queryset.annotate(n=Count("pk")).order_by():
            row(year)[column] = n
    return [years[y] for y in sorted(years, reverse=True)]


def findings_by_kind(pemda: Pemda) -> list[dict[str, Any]]:
    labels = dict(Finding.Kind.choices)
    rows = (
        Finding.objects.filter(pemda=pemda)
        .values("kind")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status=Finding.Status.OPEN)),
            confirmed=Count("pk", filter=Q(status=Finding.Status.CONFIRMED)),
            dismissed=Count("pk", filter=Q(status=Finding.Status.DISMISSED)),
        )
        .order_by("-total")
    )
    return [{**r, "label": str(labels.get(r["kind"], r["kind"]))} for r in rows]


def public_counts(pemda: Pemda) -> dict[str, Any]:
    return {
        "years": per_year(pemda),
        "decisions": Decision.objects.filter(pemda=pemda).count(),
        "clean": Decision.objects.filter(pemda=pemda, recorded_clean_at__isnull=False).count(),
    }


def report_xlsx(pemda: Pemda, year: int) -> bytes:
    """The annual report's three sheets (declarations per unit, per year, findings by kind),
    written straight to XLSX by ``stream_workbook`` (no workbook object to build and reload)."""
    return b"".join(
        stream_workbook(
            [
                (
                    _("Declarations"),
                    [_("Unit"), _("Due"), _("Declared"), _("Late")],
                    [
                        [r["unit"], r["due"], r["declared"], r["late"]]
                        for r in due_per_unit(pemda, year)
                    ],
                ),
                (
                    _("Per year"),
                    [
                        _("Year"),
                        _("Declarations"),
                        _("Conflicts declared"),
                        _("Recusals"),
                        _("Confirmed findings"),
                    ],
                    [
                        [
                            r["year"],
                            r["declarations"],
                            r["conflicts"],
                            r["recusals"],
                            r["confirmed"],
                        ]
                        for r in per_year(pemda)
                    ],
                ),
                (
                    _("Findings"),
                    [_("Kind"), _("Total"), _("Open"), _("Confirmed"), _("Dismissed")],
                    [
                        [r["label"], r["total"], r["open"], r["confirmed"], r["dismissed"]]
                        for r in findings_by_kind(pemda)
                    ],
                ),
            ]
        )
    )


@transaction.atomic
def report_export(*, pemda: Pemda, year: int, acting_user: Any) -> bytes:
    """The Inspektorat's annual report as XLSX, with the event that says who took it."""
    from pakta.audit.services import audit_record

    content = report_xlsx(pemda, year)
    audit_record(
        actor=acting_user,
        action="conflicts.report.exported",
        obj=None,
        pemda_id=pemda.pk,
        summary={"year": year},
    )
    return content
