"""Figures of discipline cases: by stage, age against deadlines, sanctions by level, by pact
clause and by unit, per year; nationally; and the public counts (level and clause only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from pakta.discipline.models import DisciplineCase, Sanction
from pakta.discipline.rules import Level
from pakta.org.models import Pemda
from pakta.org.workdays import WorkCalendar


def years(pemda: Pemda | None = None) -> list[int]:
    cases = (
        DisciplineCase.objects.all()
        if pemda is None
        else DisciplineCase.objects.filter(pemda=pemda)
    )
    found = sorted(set(cases.values_list("year", flat=True)), reverse=True)
    return found or [timezone.localdate().year]


def _cases(pemda: Pemda, year: int | None, unit_id: int | None = None) -> Any:
    cases = DisciplineCase.objects.filter(pemda=pemda)
    if year:
        cases = cases.filter(year=year)
    if unit_id:
        cases = cases.filter(unit_id=unit_id)
    return cases


def _decided(pemda: Pemda | None, year: int | None, *, final: bool = False) -> Any:
    sanctions = Sanction.objects.exclude(status=Sanction.Status.ANNULLED)
    if final:  # the public sees only decisions that are final (objection window closed)
        sanctions = sanctions.filter(status=Sanction.Status.IN_FORCE)
    if pemda is not None:
        sanctions = sanctions.filter(pemda=pemda)
    if year:
        sanctions = sanctions.filter(case__year=year)
    return sanctions


def by_stage(
    pemda: Pemda, year: int | None = None, unit_id: int | None = None
) -> list[dict[str, Any]]:
    counts = dict(_cases(pemda, year, unit_id).values_list("stage").annotate(n=Count("pk")))
    return [
        {"stage": value, "label": label, "count": counts.get(value, 0)}
        for value, label in DisciplineCase.Stage.choices
    ]


def ages(
    pemda: Pemda, year: int | None = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Each open case: its age in working days and the days past (or left to) its deadline."""
    today = today or timezone.localdate()
    calendar = WorkCalendar(pemda)
    rows = []
    for case in (
        _cases(pemda, year).filter(is_open=True).select_related("unit").order_by("stage_due")
    ):
        over = calendar.working_days_between(case.stage_due, today) if case.stage_due else 0
        rows.append(
            {
                "case": case,
                "age": calendar.working_days_between(case.opened_on, today),
                "over": over,
                "late": bool(case.stage_due and case.stage_due < today),
            }
        )
    return rows


def sanctions_by_level(
    pemda: Pemda | None, year: int | None = None, *, final: bool = False
) -> list[dict[str, Any]]:
    counts = dict(_decided(pemda, year, final=final).values_list("level").annotate(n=Count("pk")))
    return [{"level": v, "label": label, "count": counts.get(v, 0)} for v, label in Level.choices]


def sanctions_by_clause(
    pemda: Pemda, year: int | None = None, *, final: bool = False
) -> list[dict[str, Any]]:
    """Sanctions per clause of the pact broken (clause number, text of the current template)."""
    from pakta.pacts.models import PactTemplate

    template = (
        PactTemplate.objects.filter(pemda=pemda, status=PactTemplate.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )
    clauses = list(template.clauses) if template else []
    rows = (
        _decided(pemda, year, final=final)
        .filter(case__pact_clause__isnull=False)
        .values("case__pact_clause", "level")
        .annotate(n=Count("pk"))
    )
    table: dict[int, dict[str, Any]] = {}
    for row in rows:
        number = row["case__pact_clause"]
        entry = table.setdefault(
            number,
            {
                "clause": number,
                "text": clauses[number - 1] if 0 < number <= len(clauses) else "",
                "ringan": 0,
                "sedang": 0,
                "berat": 0,
                "total": 0,
            },
        )
        entry[row["level"]] += row["n"]
        entry["total"] += row["n"]
    return [table[k] for k in sorted(table)]


def by_unit(pemda: Pemda, year: int | None = None) -> list[dict[str, Any]]:
    rows = (
        _cases(pemda, year)
        .values("unit__name")
        .annotate(
            cases=Count("pk"),
            open=Count("pk", filter=Q(is_open=True)),
            ringan=Count(
                "pk", filter=Q(sanction__level="ringan") & ~Q(sanction__status="annulled")
            ),
            sedang=Count(
                "pk", filter=Q(sanction__level="sedang") & ~Q(sanction__status="annulled")
            ),
            berat=Count("pk", filter=Q(sanction__level="berat") & ~Q(sanction__status="annulled")),
        )
        .order_by("-cases", "unit__name")
    )
    return list(rows)


def national(year: int | None = None) -> list[dict[str, Any]]:
    """Per Pemda: cases, open cases, late cases and sanctions by level."""
    today = timezone.localdate()
    cases = DisciplineCase.objects.all()
    if year:
        cases = cases.filter(year=year)
    rows = (
        cases.values("pemda__name", "pemda__slug")
        .annotate(
            cases=Count("pk"),
            open=Count("pk", filter=Q(is_open=True)),
            late=Count("pk", filter=Q(is_open=True, stage_due__lt=today)),
            ringan=Count(
                "pk", filter=Q(sanction__level="ringan") & ~Q(sanction__status="annulled")
            ),
            sedang=Count(
                "pk", filter=Q(sanction__level="sedang") & ~Q(sanction__status="annulled")
            ),
            berat=Count("pk", filter=Q(sanction__level="berat") & ~Q(sanction__status="annulled")),
        )
        .order_by("pemda__name")
    )
    return [dict(row) for row in rows]


def public_counts(pemda: Pemda, year: int | None = None) -> dict[str, Any]:
    """What the public page shows: sanctions by level and by pact clause, nothing else."""
    return {
        "by_level": sanctions_by_level(pemda, year, final=True),
        "by_clause": [
            {k: row[k] for k in ("clause", "text", "ringan", "sedang", "berat", "total")}
            for row in sanctions_by_clause(pemda, year, final=True)
        ],
    }
