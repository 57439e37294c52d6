"""Reads of the surveys app: results, trends, weakest dimensions, and the internal survey's
scores with the 10-respondent rule applied."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from pakta.core.charts import number, render_chart
from pakta.org.models import Pemda, Unit
from pakta.surveys.models import (
    Category,
    Dimension,
    Questionnaire,
    SpiFinding,
    SpiResult,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyToken,
    SurveyYear,
)

# Results of a group of fewer respondents are never shown (nor can be derived by subtraction).
MIN_RESPONDENTS = 10


def survey_year_list() -> QuerySet[SurveyYear]:
    return SurveyYear.objects.order_by("-year")


def survey_year_find(*, year: int) -> SurveyYear | None:
    """The thresholds of ``year``, or None when none are set."""
    return SurveyYear.objects.filter(year=year).first()


def survey_year_get(*, pk: int) -> SurveyYear:
    return get_object_or_404(SurveyYear, pk=pk)


def spi_result_list_for(*, pemda: Pemda) -> QuerySet[SpiResult]:
    return SpiResult.objects.filter(pemda=pemda).select_related("survey_year")


def spi_result_get_for(*, pemda: Pemda, pk: int) -> SpiResult:
    return get_object_or_404(spi_result_list_for(pemda=pemda), pk=pk)


def spi_finding_list_for(*, pemda: Pemda) -> QuerySet[SpiFinding]:
    return SpiFinding.objects.filter(pemda=pemda).select_related("result__survey_year")


def spi_finding_get_for(*, pemda: Pemda, pk: int) -> SpiFinding:
    return get_object_or_404(spi_finding_list_for(pemda=pemda), pk=pk)


def weakest_dimensions(result: SpiResult, count: int = 3) -> list[tuple[str, Any, Decimal]]:
    """The lowest-scoring dimensions: (code, label, score), weakest first."""
    scored = [
        (code, score) for code, score in result.dimension_scores().items() if score is not None
    ]
    scored.sort(key=lambda pair: pair[1])
    return [(code, Dimension(code).label, score) for code, score in scored[:count]]


@dataclass
class TrendPoint:
    year: int
    index: Decimal
    national: Decimal | None
    category: str | None


def spi_trend_for(*, pemda: Pemda) -> list[TrendPoint]:
    """The Pemda's index and the national index per year, oldest first."""
    return [
        TrendPoint(
            year=r.survey_year.year,
            index=r.index,
            national=r.survey_year.national_index,
            category=r.category,
        )
        for r in spi_result_list_for(pemda=pemda).order_by("survey_year__year")
    ]


CATEGORY_COLOURS: dict[str, str] = {
    Category.SANGAT_RENTAN: "#7f1d1d",
    Category.RENTAN: "#dc2626",
    Category.WASPADA: "#ca8a04",
    Category.TERJAGA: "#16a34a",
}


def trend_chart(points: Sequence[TrendPoint]) -> SafeString:
    """The index per year beside the national index, drawn by ECharts (``pakta.core.charts``),
    with the same figures as a table. Empty when there is no result yet."""
    if not points:
        return SafeString("")
    escape = html.escape
    labels = dict(Category.choices)
    own_name, national_name = gettext("This Pemda"), gettext("National index")
    head = (
        f'<tr><th scope="col">{escape(gettext("Year"))}</th>'
        f'<th scope="col">{escape(own_name)}</th><th scope="col">{escape(gettext("Category"))}</th>'
        f'<th scope="col">{escape(national_name)}</th></tr>'
    )
    body = "".join(
        f'<tr><th scope="row">{p.year}</th>'
        f'<td class="num" data-value="{p.index}">{escape(number_format(p.index, 2))}</td>'
        f"<td>{escape(str(labels.get(p.category, '')) if p.category else '')}</td>"
        f'<td class="num" data-value="{"" if p.national is None else p.national}">'
        f"{'' if p.national is None else escape(number_format(p.national, 2))}</td></tr>"
        for p in points
    )
    values = [float(p.index) for p in points] + [float(p.national) for p in points if p.national]
    spec = {
        "categories": [str(p.year) for p in points],
        "series": [
            {
                "name": own_name,
                "colour": "#1d4ed8",
                "values": [number(p.index) for p in points],
                "point_colours": [
                    CATEGORY_COLOURS.get(p.category, "#1f2937") if p.category else "#1f2937"
                    for p in points
                ],
                "point_notes": [
                    str(labels.get(p.category, "")) if p.category else "" for p in points
                ],
            },
            {
                "name": national_name,
                "colour": "#9ca3af",
                "dashed": True,
                "values": [number(p.national) for p in points],
            },
        ],
        "unit": "",
        "decimals": 2,
        "min": max(0.0, (min(values) // 5) * 5 - 5),
        "max": min(100.0, (max(values) // 5) * 5 + 5),
    }
    return render_chart(
        kind="line",
        chart_id="spi-trend",
        title=gettext("SPI index per year, with the national index"),
        desc=gettext(
            "Solid line: this Pemda (dots coloured by category). Dashed line: national index."
        ),
        spec=spec,
        table_head=SafeString(head),
        table_body=SafeString(body),
        filename="spi-trend",
    )


# --- Internal survey ---------------------------------------------------------------------------


def questionnaire_list_for(*, pemda: Pemda) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(pemda=pemda)


def questionnaire_get_for(*, pemda: Pemda, pk: int) -> Questionnaire:
    return get_object_or_404(questionnaire_list_for(pemda=pemda), pk=pk)


def survey_list_for(*, pemda: Pemda) -> QuerySet[Survey]:
    return Survey.objects.filter(pemda=pemda).select_related("questionnaire")


def survey_get_for(*, pemda: Pemda, pk: int) -> Survey:
    return get_object_or_404(survey_list_for(pemda=pemda), pk=pk)


def survey_participation(*, survey: Survey) -> dict[str, int]:
    """Invitations by status, tokens used and responses (counts only)."""
    invitations = {
        status: SurveyInvitation.objects.filter(survey=survey, status=status).count()
        for status in SurveyInvitation.Status.values
    }
    return {
        **invitations,
        "tokens": SurveyToken.objects.filter(survey=survey).count(),
        "used": SurveyToken.objects.filter(survey=survey, used=True).count(),
        "responses": SurveyResponse.objects.filter(survey=survey).count(),
    }


def response_columns(*, survey_ids: Sequence[int]) -> tuple[Any, Any, list[str]]:
    """The responses of the given surveys as three columns: survey ids and unit ids (NumPy
    arrays, unit -1 for none) and the answer strings; one read, no model instances."""
    import numpy as np

    if not survey_ids:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), []
    quote = connection.ops.quote_name
    survey = quote("survey_id")
    if len(survey_ids) == 1:
        where, params = f"{survey} = %s", [survey_ids[0]]
    else:
        # Many surveys: a sequential scan beats one index lookup per row (SQLite's unary plus
        # keeps it off the index; PostgreSQL's planner chooses by itself).
        column = f"+{survey}" if connection.vendor == "sqlite" else survey
        where, params = f"{column} IN ({', '.join(['%s'] * len(survey_ids))})", list(survey_ids)
    # Quoted names of our own table; the values are parameters.
    table = quote(SurveyResponse._meta.db_table)
    columns = f"{survey}, COALESCE({quote('unit_id')}, -1), {quote('answers')}"
    sql = f"SELECT {columns} FROM {table} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    count = len(rows)
    surveys = np.fromiter((r[0] for r in rows), dtype=np.int64, count=count)
    units = np.fromiter((r[1] for r in rows), dtype=np.int64, count=count)
    return surveys, units, [r[2] for r in rows]


@dataclass
class ScoreRow:
    label: str
    respondents: int
    index: float | None
    category: str | None
    dimensions: dict[str, float | None] = field(default_factory=dict)
    unit_id: int | None = None


@dataclass
class SurveyReport:
    """What may be shown of an internal survey: groups under 10 respondents are withheld."""

    total: ScoreRow | None
    units: list[ScoreRow]
    withheld_units: int
    withheld_respondents: int
    respondents: int


def survey_report(*, survey: Survey) -> SurveyReport:
    """Scores of the Pemda and of each OPD with at least ``MIN_RESPONDENTS`` respondents.

    Units under the threshold are pooled as "other units"; when that pool itself is under the
    threshold but not empty, the smallest shown units join it (so that no small group can be
    worked out by subtracting the shown units from the total).
    """
    from django.utils.translation import gettext as _

    from pakta.surveys.services import survey_scores_compute

    scores = survey_scores_compute(surveys=[survey]).get(survey.pk)
    year = survey_year_find(year=survey.year)

    def category(index: float | None) -> str | None:
        return year.category_of(round(index, 2)) if (year and index is not None) else None

    if scores is None or scores.total.respondents < MIN_RESPONDENTS:
        respondents = scores.total.respondents if scores else 0
        return SurveyReport(None, [], len(scores.units) if scores else 0, respondents, respondents)
    shown = {
        u: s for u, s in scores.units.items() if u is not None and s.respondents >= MIN_RESPONDENTS
    }
    hidden = sum(s.respondents for u, s in scores.units.items() if u not in shown)
    for unit_id in sorted(shown, key=lambda u: shown[u].respondents):
        if hidden == 0 or hidden >= MIN_RESPONDENTS:
            break
        hidden += shown.pop(unit_id).respondents
    names = dict(Unit.objects.filter(pk__in=list(shown)).values_list("pk", "name"))
    units = sorted(
        (
            ScoreRow(
                label=names.get(u, "?"),
                respondents=s.respondents,
                index=s.index,
                category=category(s.index),
                dimensions=s.dimensions,
                unit_id=u,
            )
            for u, s in shown.items()
        ),
        key=lambda row: (row.index is None, row.index or 0),
    )
    total = scores.total
    return SurveyReport(
        total=ScoreRow(
            label=_("Whole Pemda"),
            respondents=total.respondents,
            index=total.index,
            category=category(total.index),
            dimensions=total.dimensions,
        ),
        units=units,
        withheld_units=len(scores.units) - len(units),
        withheld_respondents=hidden,
        respondents=total.respondents,
    )
