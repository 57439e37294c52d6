"""The national performance table (achievement of every Pemda per quarter) as XLSX or PDF."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from pakta.core.mixins import SuperadminRequiredMixin
from pakta.core.table_export import table_response
from pakta.performance import dashboard
from pakta.performance.models import QUARTER_LABELS, QUARTERS


class NationalDashboardExportView(SuperadminRequiredMixin, View):
    """Achievement (%) per Pemda and quarter, from the same roll-ups as the page."""

    def get(self, request: HttpRequest, year: int, fmt: str) -> HttpResponse:
        if not 2000 <= year <= 2100:
            raise Http404
        data = dashboard.national_dashboard(year=year)
        headers = [_("Pemda"), *(f"{QUARTER_LABELS[q]} (%)" for q in QUARTERS)]
        rows = [[row.label, *(row.values.get(q) for q in QUARTERS)] for row in data.heat]
        rows.append([_("National"), *(data.trend.get(q) for q in QUARTERS)])
        return table_response(
            fmt,
            title=_("Performance agreements %(year)s: all Pemda") % {"year": year},
            filename=f"kinerja-nasional-{year}",
            headers=headers,
            rows=rows,
        )
