"""Pages of procurement red flags: the Inspektorat's queue, flags by indicator / unit / year,
each package with its bids and flags explained, OCDS upload with progress, cases, XLSX export;
and the public page per Pemda with flagged-package counts only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from pakta.core.downloads import download_response
from pakta.core.errors import DomainError
from pakta.core.exports import rows_to_xlsx
from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.permissions import has_permission
from pakta.org.models import Pemda
from pakta.procurement import indicators, selectors
from pakta.procurement.forms import CloseForm, EntryForm, UploadForm
from pakta.procurement.models import Case, OcdsImport, Package, Party
from pakta.procurement.services import cases
from pakta.procurement.services.imports import error_message, ocds_import_create

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ProcurementMixin(PemdaPermissionMixin):
    permission = "procurement.view"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_manage"] = has_permission(user, self.pemda, "procurement.manage")
        context["can_examine"] = has_permission(user, self.pemda, "procurement.examine")
        context["titles"] = {code: indicators.title(code) for code in indicators.TITLES}
        return context


def _with_titles(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "title": indicators.title(row["code"])} for row in rows]


class DashboardView(ProcurementMixin, TemplateView):
    template_name = "procurement/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            queue=selectors.queue_for(pemda=self.pemda, limit=20),
            by_indicator=_with_titles(selectors.flag_counts(pemda=self.pemda)),
            by_unit=_with_titles(selectors.flags_by_unit(pemda=self.pemda)),
            by_year=_with_titles(selectors.flags_by_year(pemda=self.pemda)),
            top_tenderers=selectors.top_tenderers(pemda=self.pemda),
        )
        return context


class PackageListView(ProcurementMixin, ListView):
    template_name = "procurement/package_list.html"
    context_object_name = "packages"
    paginate_by = 50

    def get_queryset(self) -> Any:
        unit = self.request.GET.get("unit", "")
        return selectors.package_list_for(
            pemda=self.pemda,
            code=self.request.GET.get("code", ""),
            unit=int(unit) if unit.isdigit() else None,
            flagged=self.request.GET.get("flagged") == "1",
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["code"] = self.request.GET.get("code", "")
        return context


class PackageDetailView(ProcurementMixin, TemplateView):
    model = Package
    template_name = "procurement/package_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        package = selectors.package_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        seen: dict[str, Any] = {}
        relationships: list[dict[str, Any]] = []
        for flag in package.flags.all():
            seen.setdefault(flag.code, flag)
            if flag.code == "COI" and flag.detail.get("explanation"):
                relationships.append(flag.detail)
        relationships.sort(key=lambda d: d.get("priority") != "high")
        context.update(
            package=package,
            flags=[
                {
                    "code": code,
                    "title": indicators.title(code),
                    "explanation": indicators.explanation(code),
                    "value": flag.value,
                    "relationships": relationships if code == "COI" else [],
                }
                for code, flag in seen.items()
            ],
            bids=sorted(package.bids.all(), key=lambda b: (b.amount is None, b.amount or 0, b.pk)),
            case=selectors.case_of_package(package=package),
        )
        return context


class PackageXlsxView(ProcurementMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        headers = [
            _("OCID"),
            _("Package code"),
            _("Title"),
            _("Buyer unit"),
            _("Method"),
            _("HPS"),
            _("Contract value"),
            _("Winner"),
            _("Risk score"),
            _("Red flags"),
        ]
        rows = []
        for package in selectors.package_list_for(pemda=self.pemda).prefetch_related("flags"):
            codes = sorted({f.code for f in package.flags.all()})
            rows.append(
                [
                    package.ocid,
                    package.code,
                    package.title,
                    package.buyer.name if package.buyer else "",
                    package.get_method_display() if package.method else "",
                    package.hps_value,
                    package.contract_value,
                    package.winner.name if package.winner else "",
                    package.risk_score,
                    ", ".join(f"{c} {indicators.title(c)}" for c in codes),
                ]
            )
        content = rows_to_xlsx(headers, rows, title=_("Packages"))
        return download_response(content, f"paket-{self.pemda.slug}.xlsx", XLSX)


class PartyDetailView(ProcurementMixin, TemplateView):
    model = Party
    template_name = "procurement/party_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        party = selectors.party_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        context.update(
            party=party,
            people=party.people.all(),
            bids=party.bids.select_related("package").order_by("-package__risk_score")[:100],
        )
        return context


class ImportListView(ProcurementMixin, FormView):
    permission = "procurement.manage"
    template_name = "procurement/import_list.html"
    form_class = UploadForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["jobs"] = selectors.import_list_for(pemda=self.pemda)[:20]
        return context

    def form_valid(self, form: UploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            job = ocds_import_create(
                pemda=self.pemda,
                acting_user=self.request.user,
                file_name=upload.name,
                content=upload.read(),
                mode=form.cleaned_data["mode"],
            )
        except DomainError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        return redirect(job.get_absolute_url())


class ImportDetailView(ProcurementMixin, TemplateView):
    model = OcdsImport
    permission = "procurement.manage"
    template_name = "procurement/import_detail.html"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["procurement/_import_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = selectors.import_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        context.update(
            job=job,
            working=job.status in (OcdsImport.Status.QUEUED, OcdsImport.Status.RUNNING),
            errors=[{**e, "text": error_message(e["message"])} for e in job.errors[:500]],
        )
        return context


class CaseOpenView(ProcurementMixin, View):
    model = Package
    permission = "procurement.examine"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        package = selectors.package_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        try:
            case = cases.case_open(package=package, acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(package.get_absolute_url())
        return redirect(case.get_absolute_url())


class CaseDetailView(ProcurementMixin, TemplateView):
    model = Case
    permission = "procurement.examine"
    template_name = "procurement/case_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case = selectors.case_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        context.update(
            case=case,
            entry_form=kwargs.get("entry_form") or EntryForm(),
            close_form=kwargs.get("close_form") or CloseForm(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case = selectors.case_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        if request.POST.get("action") == "close":
            form: Any = CloseForm(request.POST)
            if form.is_valid():
                try:
                    cases.case_close(
                        case=case,
                        acting_user=request.user,
                        finding=form.cleaned_data["finding"],
                        conclusion=form.cleaned_data["conclusion"],
                    )
                    return redirect(case.get_absolute_url())
                except DomainError as error:
                    form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(close_form=form))
        form = EntryForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                cases.case_entry_add(
                    case=case,
                    acting_user=request.user,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                    file_name=upload.name if upload else "",
                    content=upload.read() if upload else None,
                    content_type=getattr(upload, "content_type", "") or "application/octet-stream",
                )
                return redirect(case.get_absolute_url())
            except DomainError as error:
                form.add_error(None, str(error))
        return self.render_to_response(self.get_context_data(entry_form=form))


class PublicPemdaView(TemplateView):
    """Public: flagged-package counts by indicator for one Pemda; never packages or case notes."""

    template_name = "procurement/public.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pemda = get_object_or_404(Pemda, slug=self.kwargs["pemda"])
        if not pemda.pk:
            raise Http404
        total, flagged = selectors.package_totals(pemda=pemda)
        context.update(
            pemda=pemda,
            counts=_with_titles(selectors.flag_counts(pemda=pemda)),
            total=total,
            flagged=flagged,
        )
        return context
