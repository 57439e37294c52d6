"""Pages of gratification control: the report form (with the live rule check, HTMX), one's own
reports, the UPG's queue and step forms, the custody and giver registers, statistics, the
recap exports and the public summary (counts only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from pakta.core.documents import document_read
from pakta.core.downloads import download_response
from pakta.core.errors import DomainError
from pakta.core.mixins import PemdaPermissionMixin, SuperadminRequiredMixin
from pakta.core.permissions import has_permission
from pakta.gratification import custody, deadlines, exports, rules, selectors, services
from pakta.gratification.forms import (
    STEP_FORMS,
    CompleteForm,
    CustodyForm,
    GiverForm,
    QuarterSignForm,
    ReleaseForm,
    ReportForm,
    RuleForm,
    SignForm,
)
from pakta.gratification.models import (
    CustodyItem,
    GratificationReport,
)
from pakta.gratification.services import UploadedFile
from pakta.org.models import Pemda
from pakta.org.selectors import official_find_by_nip, pemda_get_by_slug
from pakta.org.workdays import WorkCalendar

Status = GratificationReport.Status


def uploads(files: Any) -> list[UploadedFile]:
    return [UploadedFile(f.name, f.read(), f.content_type or "") for f in files if f]


def first_upload(file: Any) -> UploadedFile | None:
    return uploads([file])[0] if file else None


def add_domain_error(form: Any, error: DomainError) -> None:
    field = error.code if error.code in form.fields else None
    form.add_error(field, str(error))


class GratMixin(PemdaPermissionMixin):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_manage"] = has_permission(user, self.pemda, "gratification.manage")
        context["can_read"] = has_permission(user, self.pemda, "gratification.read")
        context["can_stats"] = has_permission(user, self.pemda, "gratification.stats")
        return context


class MyReportsView(GratMixin, ListView):
    permission = "gratification.report"
    template_name = "gratification/mine.html"
    context_object_name = "reports"

    def get_queryset(self) -> Any:
        return selectors.my_reports(pemda=self.pemda, user=self.request.user)


class ReportCreateView(GratMixin, FormView):
    permission = "gratification.report"
    template_name = "gratification/report_form.html"
    form_class = ReportForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["on_behalf"] = has_permission(self.request.user, self.pemda, "gratification.manage")
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        official = getattr(self.request.user, "official", None)
        context["official"] = official if official and official.pemda_id == self.pemda.pk else None
        if self.request.method == "POST" and context["official"] is not None:
            context["assessment"] = live_assessment(
                self.pemda, context["official"], self.request.POST
            )
        return context

    def form_valid(self, form: ReportForm) -> HttpResponse:
        data = form.cleaned_data
        recipient = None
        if data.get("recipient_nip"):
            recipient = official_find_by_nip(pemda=self.pemda, nip=data["recipient_nip"])
            if recipient is None:
                form.add_error("recipient_nip", _("No official of this Pemda has this NIP."))
                return self.form_invalid(form)
        try:
            report = services.report_file(
                pemda=self.pemda,
                acting_user=self.request.user,
                recipient=recipient,
                type=data["type"],
                giver_name=data["giver_name"],
                giver_organisation=data["giver_organisation"],
                giver_identifier=data["giver_identifier"],
                relationship=data["relationship"],
                vendor_active_contract=data["vendor_active_contract"],
                occasion=data["occasion"],
                exempt_category=data["exempt_category"],
                received_on=data["received_on"],
                place=data["place"],
                kind=data["kind"],
                description=data["description"],
                value=data["value"],
                location=data["location"] or GratificationReport.Location.RECIPIENT,
                chronology=data["chronology"],
                files=uploads(data["evidence"]),
                compensation_requested=data["compensation_requested"],
                confidential=data["confidential"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your report %(number)s has been filed with the UPG.") % {"number": report.number},
        )
        return redirect(report.get_absolute_url())


class AssessView(GratMixin, View):
    """The live check of the form (HTMX): must report, may be exempt, or must refuse, and why."""

    permission = "gratification.report"

    def get(self, request: HttpRequest, pemda: str) -> HttpResponse:
        return render(request, "gratification/_assessment.html", {"assessment": None})

    def post(self, request: HttpRequest, pemda: str) -> HttpResponse:
        official = getattr(request.user, "official", None)
        nip = request.POST.get("recipient_nip", "").strip()
        if nip and has_permission(request.user, self.pemda, "gratification.manage"):
            official = official_find_by_nip(pemda=self.pemda, nip=nip)  # filing on behalf
        assessment = live_assessment(self.pemda, official, request.POST) if official else None
        return render(request, "gratification/_assessment.html", {"assessment": assessment})


def live_assessment(pemda: Pemda, official: Any, data: Any) -> rules.Assessment | None:
    """The rule check of a half-filled form, once it has a value and a date."""
    try:
        value = int(data.get("value") or 0)
        received_on = dt.date.fromisoformat(data.get("received_on") or "")
    except ValueError:
        return None
    if value <= 0:
        return None
    return rules.assess(
        pemda=pemda,
        recipient=official,
        relationship=data.get("relationship", ""),
        exempt_category=data.get("exempt_category", ""),
        kind=data.get("kind", ""),
        value=value,
        received_on=received_on,
        giver_name=data.get("giver_name", ""),
        giver_identifier=data.get("giver_identifier", ""),
        vendor_active_contract=bool(data.get("vendor_active_contract")),
    )


class QueueView(GratMixin, TemplateView):
    permission = "gratification.manage"
    template_name = "gratification/queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        reports = list(
            selectors.report_list_for(
                pemda=self.pemda,
                user=self.request.user,
                status=status if status in Status.values else "",
            )[:200]
        )
        today = timezone.localdate()
        open_reports = [r for r in reports if r.status in selectors.OPEN]
        if open_reports:
            _due, left, state = deadlines.deadline_states(
                WorkCalendar(self.pemda), [r.received_on for r in open_reports], today
            )
            for report, days, code in zip(open_reports, left, state, strict=True):
                report.days_left = int(days)  # type: ignore[attr-defined]
                report.deadline_state = deadlines.STATE_CODES[int(code)]  # type: ignore[attr-defined]
        context.update(reports=reports, statuses=Status.choices, status=status)
        return context


def visible_report(view: Any, pk: int) -> GratificationReport:
    return selectors.report_get_for(pemda=view.pemda, user=view.request.user, pk=pk)


class ReportDetailView(GratMixin, TemplateView):
    permission = "gratification.report"
    object_permission = "gratification.read"
    model = GratificationReport
    template_name = "gratification/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = visible_report(self, self.kwargs["pk"])
        calendar = WorkCalendar(self.pemda)
        today = timezone.localdate()
        is_reporter = report.reporter_id == self.request.user.pk or (
            getattr(self.request.user, "official_id", None) == report.recipient_id
        )
        context.update(
            report=report,
            steps=report.steps.select_related("actor"),
            evidence=report.evidence.all(),
            custody_items=report.custody.all(),
            kpk_state=deadlines.deadline_state(calendar, report.kpk_due, today)
            if report.is_open
            else "",
            step_forms={name: form() for name, form in STEP_FORMS.items()},
            complete_form=CompleteForm()
            if is_reporter and report.status == Status.RETURNED
            else None,
            custody_form=CustodyForm(
                initial={"received_on": today, "received_from": report.recipient_name}
            ),
        )
        return context


class CompleteView(GratMixin, FormView):
    """The reporter completes a returned report."""

    permission = "gratification.report"
    object_permission = "gratification.manage"
    model = GratificationReport
    form_class = CompleteForm
    template_name = "core/form.html"

    def get_report(self) -> GratificationReport:
        report = visible_report(self, self.kwargs["pk"])
        user = self.request.user
        own = (
            report.reporter_id == user.pk
            or getattr(user, "official_id", None) == report.recipient_id
        )
        if not own and not has_permission(user, self.pemda, "gratification.manage"):
            raise Http404
        return report

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = self.get_report()
        context["title"] = _("Complete report %(number)s") % {"number": report.number}
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_report()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: CompleteForm) -> HttpResponse:
        report = self.get_report()
        try:
            services.report_complete(
                report=report,
                acting_user=self.request.user,
                note=form.cleaned_data["note"],
                files=uploads(form.cleaned_data["evidence"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The report has been completed and is back with the UPG."))
        return redirect(report.get_absolute_url())


class StepView(GratMixin, View):
    """One UPG step (``step`` in the POST): return, verify, analyse, forward, kpk_number,
    decide, execute. A refusal is shown on the report's page."""

    permission = "gratification.manage"
    model = GratificationReport

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        return redirect(visible_report(self, pk).get_absolute_url())

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        report = visible_report(self, pk)
        step = request.POST.get("step", "")
        form_class = STEP_FORMS.get(step)
        if form_class is None:
            messages.error(request, _("Unknown step."))
            return redirect(report.get_absolute_url())
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return redirect(report.get_absolute_url())
        data = form.cleaned_data
        user = request.user
        calls = {
            "return": lambda: services.report_return(
                report=report, acting_user=user, missing=data["missing"]
            ),
            "verify": lambda: services.report_verify(report=report, acting_user=user),
            "analyse": lambda: services.report_analyse(report=report, acting_user=user, **data),
            "forward": lambda: services.report_forward(
                report=report, acting_user=user, kpk_number=data["kpk_number"]
            ),
            "kpk_number": lambda: services.report_kpk_number(
                report=report, acting_user=user, kpk_number=data["kpk_number"]
            ),
            "decide": lambda: services.report_decide(
                report=report,
                acting_user=user,
                decision=data["decision"],
                letter_number=data["letter_number"],
                letter_date=data["letter_date"],
                letter=first_upload(data["letter"]),
            ),
            "execute": lambda: services.report_execute(
                report=report,
                acting_user=user,
                execution=data["execution"],
                compensation_value=data["compensation_value"],
                proof=first_upload(data["proof"]),
            ),
        }
        try:
            calls[step]()
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
        return redirect(report.get_absolute_url())


class CustodyReceiveView(GratMixin, FormView):
    permission = "gratification.manage"
    model = GratificationReport
    form_class = CustodyForm
    template_name = "core/form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = visible_report(self, self.kwargs["pk"])
        context["title"] = _("Take an item of report %(number)s into custody") % {
            "number": report.number
        }
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        visible_report(self, self.kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: CustodyForm) -> HttpResponse:
        report = visible_report(self, self.kwargs["pk"])
        data = form.cleaned_data
        try:
            custody.custody_receive(
                report=report,
                acting_user=self.request.user,
                description=data["description"],
                received_from=data["received_from"],
                storage=data["storage"],
                condition=data["condition"],
                received_on=data["received_on"],
                photos=uploads(data["photos"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The item is in the custody register."))
        return redirect(report.get_absolute_url())


class EvidenceView(GratMixin, View):
    permission = "gratification.report"
    object_permission = "gratification.read"
    model = GratificationReport

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        report = visible_report(self, pk)
        sha256 = request.GET.get("file", "")
        if not sha256:
            return redirect(report.get_absolute_url())
        documents = [
            report.evidence.filter(sha256=sha256).first(),
            report.decision_letter,
            report.execution_proof,
        ]
        document = next((d for d in documents if d is not None and d.sha256 == sha256), None)
        if document is None:
            raise Http404
        return download_response(
            document_read(document), document.original_name or sha256, document.content_type
        )


class RecapPdfView(GratMixin, View):
    """The latest signed recap (the layout of KPK's reporting form); until signed, the report."""

    permission = "gratification.manage"
    model = GratificationReport

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        report = visible_report(self, pk)
        if report.recap is None or report.recap.pdf is None:
            messages.info(request, _("No signed recap yet."))
            return redirect(report.get_absolute_url())
        return download_response(
            document_read(report.recap.pdf), f"rekap-gratifikasi-{report.pk}.pdf", "application/pdf"
        )


class RecapSignView(GratMixin, FormView):
    """Sign the recap (PAdES) as the acting UPG official, confirming with a password or code."""

    permission = "gratification.manage"
    model = GratificationReport
    form_class = SignForm
    template_name = "core/form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = visible_report(self, self.kwargs["pk"])
        context["title"] = _("Sign the recap of report %(number)s") % {"number": report.number}
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        visible_report(self, self.kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: SignForm) -> HttpResponse:
        report = visible_report(self, self.kwargs["pk"])
        try:
            exports.report_recap_sign(
                report=report,
                acting_user=self.request.user,
                credential=form.cleaned_data["credential"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The recap has been signed."))
        return redirect(report.get_absolute_url())


class CustodyView(GratMixin, TemplateView):
    permission = "gratification.manage"
    template_name = "gratification/custody.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            items=selectors.custody_list_for(pemda=self.pemda), release_form=ReleaseForm()
        )
        return context


class CustodyReleaseView(GratMixin, FormView):
    permission = "gratification.manage"
    model = CustodyItem
    form_class = ReleaseForm
    template_name = "core/form.html"

    def get_item(self) -> CustodyItem:
        return selectors.custody_get_for(pemda=self.pemda, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Release %(item)s") % {"item": self.get_item().description}
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_item()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ReleaseForm) -> HttpResponse:
        item = self.get_item()
        data = form.cleaned_data
        try:
            custody.custody_release(
                item=item,
                acting_user=self.request.user,
                released_to=data["released_to"],
                receipt=first_upload(data["receipt"]),
                distribution_report=data["distribution_report"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The item has been released."))
        return redirect("gratification:custody", pemda=self.pemda.slug)


class GiversView(GratMixin, FormView):
    permission = "gratification.manage"
    form_class = GiverForm
    template_name = "gratification/givers.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["pemda"] = self.pemda
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["entries"] = selectors.giver_list_for(pemda=self.pemda)
        return context

    def form_valid(self, form: GiverForm) -> HttpResponse:
        try:
            custody.giver_add(pemda=self.pemda, acting_user=self.request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The entry has been added to the giver register."))
        return redirect("gratification:givers", pemda=self.pemda.slug)


class StatsView(GratMixin, TemplateView):
    permission = "gratification.stats"
    template_name = "gratification/stats.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            year = int(self.request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        context.update(
            year=year,
            stats=selectors.stats(pemda=self.pemda, year=year),
            recaps=selectors.recap_list_for(pemda=self.pemda, year=year),
        )
        return context


class RecapXlsxView(GratMixin, View):
    """The periodic recap in the columns of KPK's GOL (docs/gratification.md)."""

    permission = "gratification.manage"

    def get(self, request: HttpRequest, pemda: str) -> HttpResponse:
        today = timezone.localdate()
        try:
            start = dt.date.fromisoformat(request.GET.get("from", ""))
        except ValueError:
            start = today.replace(month=1, day=1)
        try:
            end = dt.date.fromisoformat(request.GET.get("to", ""))
        except ValueError:
            end = today
        content = exports.recap_export(
            pemda=self.pemda, start=start, end=end, acting_user=request.user
        )
        return download_response(
            content,
            f"rekap-gratifikasi-{start}-{end}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


def public_summary(request: HttpRequest, pemda: str) -> HttpResponse:
    """Public page of a Pemda: counts only, never a reporter or a giver."""
    pemda_obj = pemda_get_by_slug(pemda)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    summary = selectors.public_summary(pemda=pemda_obj, year=year)
    return render(
        request, "gratification/public.html", {"pemda_public": pemda_obj, "summary": summary}
    )


class RulesView(SuperadminRequiredMixin, FormView):
    """The dated rules, and a new row when a new regulation comes (superadmin)."""

    form_class = RuleForm
    template_name = "gratification/rules.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rules"] = selectors.rule_list()
        return context

    def form_valid(self, form: RuleForm) -> HttpResponse:
        try:
            services.rule_add(acting_user=self.request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The rule has been added."))
        return redirect("gratification_rules:rules")


class QuarterSignView(GratMixin, FormView):
    """The UPG signs the quarterly recap to the regional head."""

    permission = "gratification.manage"
    form_class = QuarterSignForm
    template_name = "core/form.html"

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {"year": today.year, "quarter": (today.month - 1) // 3 + 1}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Sign the quarterly recap to the regional head")
        return context

    def form_valid(self, form: QuarterSignForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            exports.quarter_recap_sign(
                pemda=self.pemda,
                year=data["year"],
                quarter=data["quarter"],
                acting_user=self.request.user,
                credential=data["credential"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The quarterly recap has been signed."))
        return redirect(
            f"{reverse('gratification:quarter_pdf', kwargs={'pemda': self.pemda.slug})}"
            f"?year={data['year']}&quarter={data['quarter']}"
        )


class QuarterPdfView(GratMixin, View):
    """The signed quarterly recap (``?year=&quarter=``); until signed, the statistics."""

    permission = "gratification.stats"

    def get(self, request: HttpRequest, pemda: str) -> HttpResponse:
        try:
            year, quarter = int(request.GET.get("year", "")), int(request.GET.get("quarter", ""))
        except ValueError:
            year = quarter = 0
        recap = selectors.recap_find_for(pemda=self.pemda, year=year, quarter=quarter)
        if recap is None or recap.document.pdf is None:
            messages.info(request, _("No signed recap yet."))
            return redirect("gratification:stats", pemda=self.pemda.slug)
        return download_response(
            document_read(recap.document.pdf),
            f"rekap-gratifikasi-{year}-tw{quarter}.pdf",
            "application/pdf",
        )
