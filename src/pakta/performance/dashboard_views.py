"""Performance dashboards: achievement by unit and quarter (heat map), the trend over quarters,
the indicators below target and the agreements not yet signed, each exportable to XLSX.

They read only the aggregates the services keep (``pakta.performance.dashboard``), so their query
count does not grow with the number of officials or realizations. Unit-scoped for Kepala OPD.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from pakta.core.downloads import download_response, streaming_download
from pakta.core.exports import rows_to_xlsx, stream_xlsx
from pakta.core.mixins import SuperadminRequiredMixin
from pakta.org.models import Unit
from pakta.performance import charts, dashboard, export_selectors, selectors
from pakta.performance.achievement import band_label
from pakta.performance.models import QUARTER_LABELS, QUARTERS, AgreementCount, PerformanceAgreement
from pakta.performance.rendering import target_text
from pakta.performance.views import XLSX, PerformancePageMixin

PAGE_SIZE = 50


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class DashboardMixin(PerformancePageMixin):
    permission = "performance.view"

    @property
    def year(self) -> int:
        return _int(self.request.GET.get("year"), timezone.localdate().year)

    @property
    def quarter(self) -> int | None:
        value = _int(self.request.GET.get("quarter"), 0)
        return value if value in QUARTERS else None

    def unit_url(self, unit: Unit) -> str:
        return reverse(
            "performance_dashboard:unit", kwargs={"pemda": self.pemda.slug, "pk": unit.pk}
        )

    def agreement_url(self, agreement: PerformanceAgreement) -> str:
        return reverse(
            "performance:agreement_detail", kwargs={"pemda": self.pemda.slug, "pk": agreement.pk}
        )

    def status_labels(self) -> dict[str, str]:
        return {
            "signed": gettext("Signed"),
            "approved": gettext("Approved, awaiting signatures"),
            "submitted": gettext("Submitted for review"),
            "draft": gettext("Draft or returned"),
        }


def _count_row(label: str, count: AgreementCount) -> dict[str, Any]:
    return {
        "label": label,
        "signed": count.signed,
        "approved": count.approved,
        "submitted": count.submitted,
        "draft": count.draft + count.returned,
        "not_signed": count.not_signed,
        "total": count.not_signed + count.signed,
    }


def _overall(
    trend: dict[int, Any], quarter: int, totals: dict[int, Any] | None = None, indicators: int = 0
) -> dict[str, Any]:
    """The headline card: the achievement of the chosen quarter, its band and label, and what it
    rests on (how many of the signed agreements' indicators are verified in that quarter)."""
    value = trend[quarter]
    code = charts.band(value)
    measured = totals[quarter].measured if totals else 0
    below = totals[quarter].below_target if totals else 0
    return {
        "quarter_label": QUARTER_LABELS[quarter],
        "overall_code": code,
        "overall_text": charts.percent(value),
        "overall_band": band_label(code or ""),
        "measured": measured,
        "indicators": indicators,
        "below": below,
        # Too few verified for the figure to speak for the whole: the card says so.
        "coverage_low": bool(indicators) and measured < dashboard.headline_coverage() * indicators,
    }


class PemdaDashboardView(DashboardMixin, TemplateView):
    """The Pemda's dashboard (a Kepala OPD sees their own units)."""

    template_name = "performance/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope = self.unit_scope
        data = dashboard.pemda_dashboard(
            pemda=self.pemda,
            year=self.year,
            scope=scope,
            quarter=self.quarter,
            unit_url=self.unit_url,
        )
        year = data.year
        whole = gettext("Pemda") if scope is None else gettext("Your units")
        count_rows = [_count_row(c.unit.name if c.unit else "—", c) for c in data.counts]
        count_rows.sort(key=lambda r: (-r["not_signed"], r["label"].lower()))
        not_signed = [r for r in count_rows if r["not_signed"]]
        context.update(
            data=data,
            year=year,
            years=sorted({year, *dashboard.dashboard_years(pemda=self.pemda)}, reverse=True),
            quarters=[(q, QUARTER_LABELS[q]) for q in QUARTERS],
            scoped=scope is not None,
            not_signed_total=sum(r["not_signed"] for r in count_rows),
            agreements_total=sum(r["total"] for r in count_rows),
            **_overall(data.trend, data.quarter, data.totals, data.indicators),
            heatmap=charts.heatmap(
                data.heat,
                title=gettext("Achievement by unit and quarter, %(year)s") % {"year": year},
                desc=gettext(
                    "Weighted achievement of the signed agreements of each unit per quarter, "
                    "coloured by band."
                ),
                row_header=gettext("Unit"),
                chart_id="heat",
            ),
            trend=charts.line_chart(
                [charts.Series(name=whole, values=data.trend)],
                title=gettext("Achievement over the quarters, %(year)s") % {"year": year},
                desc=gettext("Weighted achievement of all signed agreements per quarter."),
                chart_id="trend",
            ),
            bars=charts.status_bars(
                not_signed,
                title=gettext("Agreements not yet signed, by unit"),
                desc=gettext(
                    "Current agreements of each unit by status; units with all signed are left out."
                ),
                labels=self.status_labels(),
                chart_id="unsigned",
            )
            if not_signed
            else "",
        )
        return context


class UnitDashboardView(DashboardMixin, TemplateView):
    """One unit (OPD): its officials by quarter, its trend against the Pemda's."""

    template_name = "performance/dashboard_unit.html"
    model = Unit

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope = self.unit_scope
        unit = dashboard.unit_get_for(pemda=self.pemda, pk=self.kwargs["pk"], scope=scope)
        year = self.year
        page = Paginator(
            dashboard.unit_agreements(pemda=self.pemda, unit=unit, year=year), PAGE_SIZE
        ).get_page(self.request.GET.get("page"))
        data = dashboard.unit_dashboard(
            pemda=self.pemda,
            unit=unit,
            year=year,
            agreements=list(page),
            quarter=self.quarter,
            with_pemda=scope is None,
            agreement_url=self.agreement_url,
        )
        series = [charts.Series(name=unit.name, values=data.trend)]
        if data.pemda_trend is not None:
            series.append(
                charts.Series(name=gettext("Pemda"), values=data.pemda_trend, css="other")
            )
        bars = ""
        if data.count is not None and data.count.not_signed:
            bars = charts.status_bars(
                [_count_row(unit.name, data.count)],
                title=gettext("Agreements not yet signed"),
                desc=gettext("Current agreements of the unit by status."),
                labels=self.status_labels(),
                chart_id="unsigned",
            )
        context.update(
            unit=unit,
            data=data,
            year=year,
            page=page,
            years=sorted({year, *dashboard.dashboard_years(pemda=self.pemda)}, reverse=True),
            quarters=[(q, QUARTER_LABELS[q]) for q in QUARTERS],
            **_overall(data.trend, data.quarter, data.totals, data.indicators),
            heatmap=charts.heatmap(
                data.heat,
                title=gettext("Achievement by official and quarter, %(year)s") % {"year": year},
                desc=gettext(
                    "Weighted achievement of each official's agreement per quarter, coloured by "
                    "band."
                ),
                row_header=gettext("Official"),
                chart_id="heat",
            ),
            trend=charts.line_chart(
                series,
                title=gettext("Achievement over the quarters, %(year)s") % {"year": year},
                desc=gettext("Weighted achievement of the unit per quarter, and of the Pemda."),
                chart_id="trend",
            ),
            bars=bars,
        )
        return context


_SLUG = "pemda-slug"


class NationalDashboardView(SuperadminRequiredMixin, TemplateView):
    """Achievement of every Pemda by quarter and the national trend (from the unit roll-ups)."""

    template_name = "performance/dashboard_national.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        if not 2000 <= year <= 2100:
            raise Http404
        # One reverse() for the 546 links: a slug needs no quoting, so it is put in place.
        link = reverse("performance_dashboard:pemda", kwargs={"pemda": _SLUG}) + f"?year={year}"
        data = dashboard.national_dashboard(
            year=year, pemda_url=lambda slug: link.replace(_SLUG, slug, 1)
        )
        context.update(
            data=data,
            year=year,
            **_overall(data.trend, data.quarter, data.totals, data.indicators),
            heatmap=charts.heatmap(
                data.heat,
                title=gettext("Achievement by Pemda and quarter, %(year)s") % {"year": year},
                desc=gettext(
                    "Weighted achievement of the signed agreements of each Pemda per quarter, "
                    "coloured by band."
                ),
                row_header=gettext("Pemda"),
                chart_id="heat",
            ),
            trend=charts.line_chart(
                [charts.Series(name=gettext("National"), values=data.trend)],
                title=gettext("Achievement over the quarters, %(year)s") % {"year": year},
                desc=gettext("Weighted achievement of all signed agreements per quarter."),
                chart_id="trend",
            ),
        )
        return context


# --- Exports: one XLSX per view ------------------------------------------------------------------


def _pct(value: Any) -> Any:
    return float(value) if value is not None else ""


def _below_rows(items: Sequence[dashboard.BelowTarget]) -> Iterator[list[Any]]:
    return (
        [
            b.agreement.official.name,
            b.agreement.official.nip,
            b.agreement.unit.name if b.agreement.unit else "",
            b.indicator.name,
            b.indicator.unit_of_measure,
            QUARTER_LABELS[b.quarter],
            target_text(b.target, b.target_upper),
            float(b.realization),
            float(b.value),
            band_label(b.band),
        ]
        for b in items
    )


class DashboardExportView(DashboardMixin, View):
    """The figures behind one chart or list of the Pemda dashboard, as XLSX."""

    part = "heatmap"

    def get(self, request: HttpRequest, pemda: str, **kwargs: Any) -> HttpResponseBase:
        headers, rows, name = self.table(**kwargs)
        return streaming_download(
            stream_xlsx([str(h) for h in headers], rows, title=name),
            f"{name}-{self.year}.xlsx",
            XLSX,
        )

    def table(self, **kwargs: Any) -> tuple[list[str], Iterable[list[Any]], str]:
        scope = self.unit_scope
        year = self.year
        quarters = [QUARTER_LABELS[q] for q in QUARTERS]
        if self.part == "not_signed":
            counts = list(selectors.agreement_counts(pemda=self.pemda, year=year, scope=scope))
            headers = [
                gettext("Unit"),
                gettext("Draft"),
                gettext("Returned for correction"),
                gettext("Submitted for review"),
                gettext("Approved, awaiting signatures"),
                gettext("Signed"),
                gettext("Not yet signed"),
            ]
            rows = [
                [
                    c.unit.name if c.unit else "",
                    c.draft,
                    c.returned,
                    c.submitted,
                    c.approved,
                    c.signed,
                    c.not_signed,
                ]
                for c in counts
            ]
            return headers, rows, "belum-ditandatangani"
        if self.part == "below_target":
            headers = [
                gettext("Official"),
                gettext("NIP"),
                gettext("Unit"),
                gettext("Quarter"),
                gettext("Achievement"),
                gettext("Indicators measured"),
                gettext("Indicators below target"),
            ]
            # Streamed from the aggregates as plain values (216,000 rows at the largest Pemda).
            quarter_labels = {q: str(QUARTER_LABELS[q]) for q in QUARTERS}
            below: Iterable[list[Any]] = (
                [
                    r.official,
                    r.nip,
                    r.unit,
                    quarter_labels[r.quarter],
                    _pct(dashboard.ratio(r.weighted_sum, r.weight_total)),
                    r.measured,
                    r.below_target,
                ]
                for r in export_selectors.below_target_rows(
                    pemda=self.pemda, year=year, scope=scope
                )
            )
            return headers, below, "di-bawah-target"
        # The heat map and the trend need the roll-ups only (not the dashboard's lists).
        heat, totals, _counts = dashboard.pemda_heat(pemda=self.pemda, year=year, scope=scope)
        if self.part == "trend":
            headers = [
                gettext("Quarter"),
                gettext("Achievement"),
                gettext("Indicators measured"),
                gettext("Indicators below target"),
            ]
            rows = [
                [
                    QUARTER_LABELS[q],
                    _pct(totals[q].value),
                    totals[q].measured,
                    totals[q].below_target,
                ]
                for q in QUARTERS
            ]
            return headers, rows, "tren-capaian"
        headers = [gettext("Unit"), *quarters]
        rows = [[r.label, *[_pct(r.values.get(q)) for q in QUARTERS]] for r in heat]
        return headers, rows, "capaian-per-unit"


class UnitDashboardExportView(DashboardMixin, View):
    """The unit dashboard's figures: achievement per official and quarter, with the indicators
    below target in the chosen quarter."""

    model = Unit
    part = "heatmap"

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        unit = dashboard.unit_get_for(pemda=self.pemda, pk=pk, scope=self.unit_scope)
        year = self.year
        agreements = list(dashboard.unit_agreements(pemda=self.pemda, unit=unit, year=year))
        data = dashboard.unit_dashboard(
            pemda=self.pemda,
            unit=unit,
            year=year,
            agreements=agreements,
            quarter=self.quarter,
            with_pemda=False,
        )
        if self.part == "below_target":
            headers = [
                gettext("Official"),
                gettext("NIP"),
                gettext("Unit"),
                gettext("Indicator"),
                gettext("Unit of measure"),
                gettext("Quarter"),
                gettext("Target"),
                gettext("Realization"),
                gettext("Achievement"),
                gettext("Band"),
            ]
            content = rows_to_xlsx(headers, _below_rows(data.below), title="di-bawah-target")
            return download_response(content, f"di-bawah-target-{unit.pk}-{year}.xlsx", XLSX)
        by_pk = {a.pk: a for a in agreements}
        headers = [
            gettext("Official"),
            gettext("NIP"),
            gettext("Status"),
            *[QUARTER_LABELS[q] for q in QUARTERS],
        ]
        rows = [
            [
                r.label,
                by_pk[r.key].official.nip,
                by_pk[r.key].get_status_display(),
                *[_pct(r.values.get(q)) for q in QUARTERS],
            ]
            for r in data.heat
        ]
        rows.append([gettext("Unit"), "", "", *[_pct(data.trend[q]) for q in QUARTERS]])
        content = rows_to_xlsx(headers, rows, title="capaian-per-pejabat")
        return download_response(content, f"capaian-unit-{unit.pk}-{year}.xlsx", XLSX)
