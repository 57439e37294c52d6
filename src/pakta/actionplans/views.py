"""Pages of action plans: the dashboard (late items in red), plans with their timeline, items with
progress and verification, progress per plan / unit / source, and the report to KPK."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from pakta.actionplans import selectors, services
from pakta.actionplans.forms import (
    ItemForm,
    LibraryDraftForm,
    PlanForm,
    ProgressForm,
    SignReportForm,
    VerifyForm,
)
from pakta.actionplans.models import ActionItem, ActionPlan
from pakta.actionplans.permissions import can_report_progress
from pakta.actionplans.reports import plan_report_xlsx, source_text
from pakta.core.documents import document_read
from pakta.core.downloads import download_response
from pakta.core.errors import DomainError
from pakta.core.forms import ServiceFormView
from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.permissions import has_permission
from pakta.surveys.models import Dimension

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlansMixin(PemdaPermissionMixin):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_manage"] = has_permission(user, self.pemda, "actionplans.manage")
        context["can_verify"] = has_permission(user, self.pemda, "actionplans.verify")
        context["today"] = timezone.localdate()
        return context


class DashboardView(PlansMixin, TemplateView):
    permission = "actionplans.view"
    template_name = "actionplans/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            counts=selectors.dashboard_counts(pemda=self.pemda),
            late_items=selectors.action_item_list_for(pemda=self.pemda, late=True)[:50],
            plans=selectors.action_plan_list_for(pemda=self.pemda)[:20],
            by_source=selectors.progress_by(pemda=self.pemda, by="source"),
        )
        return context


class PlanListView(PlansMixin, ListView):
    permission = "actionplans.view"
    template_name = "actionplans/plan_list.html"
    context_object_name = "plans"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return selectors.action_plan_list_for(
            pemda=self.pemda, source=self.request.GET.get("source", "")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sources"] = ActionPlan.Source.choices
        context["source"] = self.request.GET.get("source", "")
        return context


class PlanCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "actionplans.manage"
    form_class = PlanForm
    title = gettext_lazy("New action plan")
    success_message = gettext_lazy("The plan has been created. Add its actions.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["pemda"] = self.pemda
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {key: self.request.GET.get(key) for key in ("source", "finding", "survey")}

    def perform(self, form: PlanForm) -> ActionPlan:
        return services.action_plan_create(
            pemda=self.pemda,
            acting_user=self.request.user,
            title=form.cleaned_data["title"],
            source=form.cleaned_data["source"],
            letter_number=form.cleaned_data["letter_number"],
            letter_date=form.cleaned_data["letter_date"],
            finding=form.cleaned_data["finding"],
            survey=form.cleaned_data["survey"],
            description=form.cleaned_data["description"],
        )


class PlanDetailView(PlansMixin, TemplateView):
    permission = "actionplans.view"
    model = ActionPlan
    template_name = "actionplans/plan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = selectors.action_plan_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        items = list(selectors.action_item_list_for(pemda=self.pemda, plan=plan))
        context.update(
            plan=plan,
            source_text=source_text(plan),
            items=items,
            done=sum(1 for i in items if i.is_done),
            chart=selectors.gantt(items=items, plan=plan),
            timeline=selectors.plan_timeline(plan=plan),
        )
        return context


class ItemCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "actionplans.manage"
    model = ActionPlan
    form_class = ItemForm
    title = gettext_lazy("New action")
    success_message = gettext_lazy("The action has been added.")

    def get_plan(self) -> ActionPlan:
        return selectors.action_plan_get_for(pemda=self.pemda, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["pemda"] = self.pemda
        self.plan = self.get_plan()  # 404 before any form for another Pemda's plan
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        plan = self.get_plan()
        if plan.finding_id and plan.finding:
            return {"recommendation": plan.finding.text, "dimension": plan.finding.dimension}
        return {}

    def perform(self, form: ItemForm) -> ActionItem:
        return services.action_item_add(
            plan=self.get_plan(), acting_user=self.request.user, **form.cleaned_data
        )

    def get_success_url_for(self, obj: Any) -> str:
        return str(obj.plan.get_absolute_url())


class LibraryDraftView(PemdaPermissionMixin, FormView):
    """Draft a plan in a few clicks: the recommended actions of the weak dimensions."""

    permission = "actionplans.manage"
    model = ActionPlan
    form_class = LibraryDraftForm
    template_name = "actionplans/library_draft.html"

    def get_plan(self) -> ActionPlan:
        return selectors.action_plan_get_for(pemda=self.pemda, pk=self.kwargs["pk"])

    def weak_dimensions(self, plan: ActionPlan) -> list[str]:
        chosen = [d for d in self.request.GET.getlist("dimension") if d in Dimension.values]
        if chosen:
            return chosen
        if plan.finding_id and plan.finding and plan.finding.dimension:
            return [plan.finding.dimension]
        if plan.finding_id and plan.finding:
            from pakta.surveys.selectors import weakest_dimensions

            return [code for code, _label, _s in weakest_dimensions(plan.finding.result)]
        return []

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["pemda"] = self.pemda
        kwargs["dimensions"] = self.weak_dimensions(self.get_plan())
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        context["plan"] = plan
        context["dimensions"] = Dimension.choices
        context["chosen"] = self.weak_dimensions(plan)
        return context

    def form_valid(self, form: LibraryDraftForm) -> HttpResponse:
        plan = self.get_plan()
        try:
            items = services.action_plan_draft_from_library(
                plan=plan,
                actions=list(form.cleaned_data["actions"]),
                owner_unit=form.cleaned_data["owner_unit"],
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                acting_user=self.request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("%(count)d actions added.") % {"count": len(items)})
        return redirect(plan.get_absolute_url())


def visible_item(view: Any, pk: int) -> ActionItem:
    """An item for its owner, or for holders of ``actionplans.view``; 404 for anyone else."""
    item = selectors.action_item_get_for(pemda=view.pemda, pk=pk)
    user = view.request.user
    if not has_permission(user, view.pemda, "actionplans.view") and not (
        item.owner_id and getattr(user, "official_id", None) == item.owner_id
    ):
        raise Http404
    return item


class MyItemsView(PlansMixin, ListView):
    """The actions the logged-in official owns."""

    permission = "actionplans.progress"
    template_name = "actionplans/my_items.html"
    context_object_name = "items"

    def get_queryset(self) -> Any:
        return selectors.action_items_owned_by(pemda=self.pemda, user=self.request.user)


class ItemDetailView(PlansMixin, TemplateView):
    permission = "actionplans.progress"
    object_permission = "actionplans.view"
    model = ActionItem
    template_name = "actionplans/item_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        item = visible_item(self, self.kwargs["pk"])
        context.update(
            item=item,
            progress=selectors.action_progress_for(item=item),
            can_report=can_report_progress(self.request.user, item),
            progress_form=ProgressForm(),
            verify_form=VerifyForm(),
        )
        return context


class ItemProgressView(PemdaPermissionMixin, FormView):
    """The owner (or an administrator, the inspektorat, the unit's Kepala OPD) reports progress."""

    permission = "actionplans.progress"
    object_permission = "actionplans.progress_any"
    model = ActionItem
    form_class = ProgressForm
    template_name = "core/form.html"

    def get_item(self) -> ActionItem:
        item = selectors.action_item_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        if not can_report_progress(self.request.user, item):
            raise Http404  # another person's action: as if it did not exist
        return item

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_item()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Report progress")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_item()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ProgressForm) -> HttpResponse:
        item = self.get_item()
        files = [
            services.EvidenceFile(name=f.name, content=f.read(), content_type=f.content_type or "")
            for f in form.cleaned_data["evidence"]
        ]
        try:
            services.action_progress_post(
                item=item,
                acting_user=self.request.user,
                note=form.cleaned_data["note"],
                files=files,
                submit=form.cleaned_data["submit"],
            )
        except DomainError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, _("The progress has been recorded."))
        return redirect(item.get_absolute_url())


class ItemVerifyView(PemdaPermissionMixin, FormView):
    permission = "actionplans.verify"
    model = ActionItem
    form_class = VerifyForm
    template_name = "core/form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Verify the action")
        selectors.action_item_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        return context

    def form_invalid(self, form: VerifyForm) -> HttpResponse:
        selectors.action_item_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        return super().form_invalid(form)

    def form_valid(self, form: VerifyForm) -> HttpResponse:
        item = selectors.action_item_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        try:
            services.action_item_verify(
                item=item,
                acting_user=self.request.user,
                accepted=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, _("The action has been verified."))
        return redirect(item.get_absolute_url())


class EvidenceDownloadView(PemdaPermissionMixin, View):
    permission = "actionplans.progress"
    object_permission = "actionplans.view"
    model = ActionItem

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        item = visible_item(self, pk)
        sha256 = request.GET.get("file", "")
        if not sha256:
            return redirect(item.get_absolute_url())
        document = selectors.evidence_get_for(item=item, sha256=sha256)
        return download_response(
            document_read(document),
            document.original_name or document.sha256,
            document.content_type,
        )


class ProgressView(PlansMixin, TemplateView):
    permission = "actionplans.view"
    template_name = "actionplans/progress.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        by = self.request.GET.get("by", "plan")
        by = by if by in ("plan", "unit", "source") else "plan"
        context.update(by=by, rows=selectors.progress_by(pemda=self.pemda, by=by))
        return context


class ReportXlsxView(PemdaPermissionMixin, View):
    permission = "actionplans.view"
    model = ActionPlan

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        plan = selectors.action_plan_get_for(pemda=self.pemda, pk=pk)
        return download_response(plan_report_xlsx(plan), f"rencana-aksi-{plan.pk}.xlsx", XLSX)


class ReportPdfView(PemdaPermissionMixin, View):
    """The latest signed report; until one is signed, back to the plan."""

    permission = "actionplans.view"
    model = ActionPlan

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        plan = selectors.action_plan_get_for(pemda=self.pemda, pk=pk)
        if plan.report is None or plan.report.pdf is None:
            messages.info(request, _("No signed report yet."))
            return redirect(plan.get_absolute_url())
        return download_response(
            document_read(plan.report.pdf), f"rencana-aksi-{plan.pk}.pdf", "application/pdf"
        )


class ReportSignView(PemdaPermissionMixin, FormView):
    permission = "actionplans.manage"
    model = ActionPlan
    form_class = SignReportForm
    template_name = "core/form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = selectors.action_plan_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        context["title"] = _("Sign the report for %(title)s") % {"title": plan.title}
        return context

    def form_valid(self, form: SignReportForm) -> HttpResponse:
        plan = selectors.action_plan_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        try:
            services.action_plan_report_sign(
                plan=plan, acting_user=self.request.user, credential=form.cleaned_data["credential"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The report has been signed."))
        return redirect(plan.get_absolute_url())
