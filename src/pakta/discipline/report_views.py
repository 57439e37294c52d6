"""Figures and exports: the Pemda's report page, the SIASN export, the national page, the public
per-Pemda counts, and the cases tied to a pact's clauses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from pakta.core.downloads import download_response
from pakta.core.mixins import PemdaPermissionMixin, SuperadminRequiredMixin
from pakta.discipline import selectors, stats
from pakta.discipline.services.siasn import siasn_export
from pakta.org.selectors import pemda_get_by_slug
from pakta.pacts.models import Pact
from pakta.pacts.selectors import pact_get_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


class StatsView(PemdaPermissionMixin, TemplateView):
    permission = "discipline.stats"
    template_name = "discipline/stats.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        from pakta.discipline.views import nav_flags

        context.update(
            **nav_flags(self.request.user, self.pemda),
            year=year,
            years=stats.years(self.pemda),
            by_stage=stats.by_stage(self.pemda, year),
            ages=stats.ages(self.pemda, year),
            by_level=stats.sanctions_by_level(self.pemda, year),
            by_clause=stats.sanctions_by_clause(self.pemda, year),
            by_unit=stats.by_unit(self.pemda, year),
        )
        return context


class _SiasnExport(PemdaPermissionMixin, View):
    permission = "discipline.export"
    fmt = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content, name, content_type = siasn_export(
            pemda=self.pemda, year=_year(request), fmt=self.fmt, acting_user=request.user
        )
        return download_response(content, name, content_type)


class SiasnXlsxView(_SiasnExport):
    fmt = "xlsx"


class SiasnJsonView(_SiasnExport):
    fmt = "json"


class SiasnZipView(_SiasnExport):
    fmt = "zip"


class PactCasesView(PemdaPermissionMixin, TemplateView):
    """The cases tied to the clauses of one pact, for the roles who see every case."""

    permission = "discipline.view"
    model = Pact
    template_name = "discipline/pact_cases.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pact = pact_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        cases = list(selectors.cases_for_pact(pact=pact).select_related("sanction"))
        clauses = list(pact.template.clauses)
        context.update(
            pact=pact,
            rows=[
                {"number": i, "text": text, "cases": [c for c in cases if c.pact_clause == i]}
                for i, text in enumerate(clauses, start=1)
            ],
        )
        return context


class NationalView(SuperadminRequiredMixin, TemplateView):
    template_name = "discipline/national.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        context.update(
            year=year,
            years=stats.years(),
            rows=stats.national(year),
            by_level=stats.sanctions_by_level(None, year),
        )
        return context


class PublicView(TemplateView):
    """A Pemda's public figures: final sanctions by level and by pact clause, nothing else."""

    template_name = "discipline/public.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pemda = pemda_get_by_slug(self.kwargs["pemda"])
        year = _year(self.request) or timezone.localdate().year
        context.update(
            pemda_public=pemda,
            year=year,
            years=list(range(timezone.localdate().year, dt.date(2021, 1, 1).year - 1, -1)),
            **stats.public_counts(pemda, year),
        )
        return context
