"""Pages of conflict-of-interest declarations (namespace ``conflicts``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from pakta.conflicts import forms, reports, selectors, services
from pakta.conflicts.models import Decision, Finding, StandingDeclaration
from pakta.conflicts.permissions import can_manage_decision
from pakta.core.downloads import download_response
from pakta.core.errors import DomainError
from pakta.core.forms import ServiceFormView
from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.permissions import has_permission
from pakta.procurement.models import Package

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class HomeView(PemdaPermissionMixin, TemplateView):
    """The official's own declarations and the decisions waiting for their declaration."""

    permission = "conflicts.declare"
    template_name = "conflicts/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            declarations=selectors.own_declarations(user=user, pemda=self.pemda),
            to_declare=selectors.decisions_to_declare(user=user, pemda=self.pemda),
            start_form=forms.StartForm(),
            has_official=bool(getattr(user, "official_id", None)),
            can_review=has_permission(user, self.pemda, "conflicts.review"),
            can_decide=has_permission(user, self.pemda, "conflicts.decisions"),
            can_report=has_permission(user, self.pemda, "conflicts.reports"),
        )
        return context


class StartView(PemdaPermissionMixin, View):
    permission = "conflicts.declare"

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = forms.StartForm(request.POST)
        official = getattr(request.user, "official", None)
        if not form.is_valid() or official is None or official.pemda_id != self.pemda.pk:
            messages.error(request, _("Your account is not linked to an official of this Pemda."))
            return redirect("conflicts:home", pemda=self.pemda.slug)
        position = None
        if form.cleaned_data["reason"] == StandingDeclaration.Reason.APPOINTMENT:
            from pakta.org.selectors import current_position

            position = current_position(official)
        try:
            declaration = services.declaration_start(
                official=official,
                year=form.cleaned_data["year"],
                reason=form.cleaned_data["reason"],
                position=position,
                acting_user=request.user,
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("conflicts:home", pemda=self.pemda.slug)
        return redirect(declaration.get_absolute_url())


class DeclarationDetailView(PemdaPermissionMixin, TemplateView):
    permission = "conflicts.declare"
    # Besides the official themself, only the Inspektorat sees a declaration (else 404).
    object_permission = "conflicts.review"
    model = StandingDeclaration
    template_name = "conflicts/declaration_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        declaration = selectors.declaration_get_for(
            user=self.request.user, pemda=self.pemda, pk=self.kwargs["pk"]
        )
        mine = getattr(self.request.user, "official_id", None) == declaration.official_id
        context.update(
            declaration=declaration,
            can_edit=mine and declaration.is_editable,
            is_mine=mine,
            relatives=declaration.relatives.all(),
            businesses=declaration.businesses.select_related("relative"),
            positions=declaration.positions.all(),
            debts_gifts=declaration.debts_gifts.all(),
            none=set(declaration.sections_none),
            findings=declaration.findings.all()
            if has_permission(self.request.user, self.pemda, "conflicts.review")
            else [],
            submit_form=forms.SubmitForm(),
        )
        return context


class _DeclarationFormView(PemdaPermissionMixin, ServiceFormView):
    """A form adding to a declaration: shown to those who may read it; only its official's
    submission is accepted (the service refuses anyone else, as a form error)."""

    permission = "conflicts.declare"
    object_permission = "conflicts.review"
    model = StandingDeclaration

    def get_form_kwargs(self) -> dict[str, Any]:
        self.declaration  # noqa: B018 — a declaration one may not read is a 404
        return super().get_form_kwargs()

    @property
    def declaration(self) -> StandingDeclaration:
        if not hasattr(self, "_declaration"):
            self._declaration = selectors.declaration_get_for(
                user=self.request.user, pemda=self.pemda, pk=self.kwargs["pk"]
            )
        return self._declaration

    def get_success_url_for(self, obj: Any) -> str:
        return self.declaration.get_absolute_url()


class RelativeAddView(_DeclarationFormView):
    form_class = forms.RelativeForm
    title = gettext_lazy("Add a family member")

    def perform(self, form: Any) -> Any:
        return services.declaration_relative_add(
            declaration=self.declaration, acting_user=self.request.user, **form.cleaned_data
        )


class BusinessAddView(_DeclarationFormView):
    form_class = forms.BusinessForm
    title = gettext_lazy("Add a business interest")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["declaration"] = self.declaration
        return kwargs

    def perform(self, form: Any) -> Any:
        return services.declaration_business_add(
            declaration=self.declaration, acting_user=self.request.user, **form.cleaned_data
        )


class PositionAddView(_DeclarationFormView):
    form_class = forms.PositionForm
    title = gettext_lazy("Add an outside position or activity")

    def perform(self, form: Any) -> Any:
        return services.declaration_position_add(
            declaration=self.declaration, acting_user=self.request.user, **form.cleaned_data
        )


class DebtGiftAddView(_DeclarationFormView):
    form_class = forms.DebtGiftForm
    title = gettext_lazy("Add a debt or gift")

    def perform(self, form: Any) -> Any:
        return services.declaration_debt_gift_add(
            declaration=self.declaration, acting_user=self.request.user, **form.cleaned_data
        )


class SubmitView(_DeclarationFormView):
    form_class = forms.SubmitForm
    title = gettext_lazy("Sign and submit the declaration")
    success_message = gettext_lazy("Your declaration has been signed and submitted.")

    def perform(self, form: Any) -> Any:
        return services.declaration_submit(
            declaration=self.declaration,
            acting_user=self.request.user,
            credential=form.cleaned_data["credential"],
        )


class SectionNoneView(PemdaPermissionMixin, View):
    permission = "conflicts.declare"
    object_permission = "conflicts.review"
    model = StandingDeclaration

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        declaration = selectors.declaration_get_for(
            user=request.user, pemda=self.pemda, pk=kwargs["pk"]
        )
        try:
            services.declaration_section_none(
                declaration=declaration,
                acting_user=request.user,
                section=request.POST.get("section", ""),
            )
        except DomainError as error:
            messages.error(request, str(error))
        return redirect(declaration.get_absolute_url())


class DeclarationPdfView(PemdaPermissionMixin, View):
    permission = "conflicts.declare"
    object_permission = "conflicts.review"
    model = StandingDeclaration

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        from pakta.signing.services import document_pdf_for_reader

        declaration = selectors.declaration_get_for(
            user=request.user, pemda=self.pemda, pk=kwargs["pk"]
        )
        if declaration.document is None:
            messages.info(request, _("This declaration has not been signed yet."))
            return redirect(declaration.get_absolute_url())
        return download_response(
            document_pdf_for_reader(declaration.document),
            f"pernyataan-{declaration.year}-v{declaration.version}.pdf",
            "application/pdf",
        )


# --- Decisions -----------------------------------------------------------------------------------


class DecisionListView(PemdaPermissionMixin, TemplateView):
    permission = "conflicts.decisions"
    template_name = "conflicts/decision_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["decisions"] = selectors.decision_list_for(pemda=self.pemda, scope=self.unit_scope)[
            :200
        ]
        # Packages of the procurement app that have no decision yet (their committee declares).
        context["packages"] = selectors.packages_without_decision(
            pemda=self.pemda, scope=self.unit_scope
        )[:100]

        return context


class DecisionCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "conflicts.decisions"
    form_class = forms.DecisionForm
    title = gettext_lazy("New decision needing declarations")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(pemda=self.pemda, scope=self.unit_scope)
        return kwargs

    def perform(self, form: Any) -> Any:
        return services.decision_create(
            pemda=self.pemda, acting_user=self.request.user, **form.cleaned_data
        )


class FromPackageView(PemdaPermissionMixin, View):
    permission = "conflicts.decisions"
    model = Package

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        package = selectors.package_get_for(pemda=self.pemda, pk=kwargs["pk"])
        try:
            decision = services.decision_from_package(package=package, acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("conflicts:decision_list", pemda=self.pemda.slug)
        return redirect(decision.get_absolute_url())


class _DecisionMixin(PemdaPermissionMixin):
    model = Decision

    @property
    def decision(self) -> Decision:
        if not hasattr(self, "_decision"):
            self._decision = selectors.decision_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        return self._decision


class DecisionDetailView(_DecisionMixin, TemplateView):
    """Members see the decision to declare for it; managers also manage it."""

    permission = "conflicts.declare"
    # Besides its members, only those who manage decisions see one (else 404).
    object_permission = "conflicts.decisions"
    template_name = "conflicts/decision_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        decision = self.decision
        user = self.request.user
        manage = can_manage_decision(user, decision)
        member = decision.members.filter(
            official_id=getattr(user, "official_id", None) or 0, is_active=True
        ).first()
        review = has_permission(user, self.pemda, "conflicts.review")
        if not (manage or member or review):
            raise Http404
        members = list(decision.members.select_related("official"))
        current = {
            d.member_id: d for d in selectors.current_decision_declarations(decision=decision)
        }
        for m in members:
            m.current = current.get(m.pk)  # type: ignore[attr-defined]
        context.update(
            decision=decision,
            members=members,
            subjects=decision.subjects.filter(parent__isnull=True).prefetch_related("people"),
            recusals=decision.recusals.select_related("member__official", "substitute__official"),
            findings=decision.findings.select_related("official") if (manage or review) else [],
            can_manage=manage,
            member=member,
            recusal_form=forms.RecusalForm(decision=decision) if manage else None,
        )
        return context


class _DecisionFormView(_DecisionMixin, ServiceFormView):
    permission = "conflicts.decisions"

    def get_form_kwargs(self) -> dict[str, Any]:
        if not can_manage_decision(self.request.user, self.decision):
            raise Http404
        kwargs = super().get_form_kwargs()
        kwargs["decision"] = self.decision
        return kwargs

    def get_success_url_for(self, obj: Any) -> str:
        return self.decision.get_absolute_url()


class MemberAddView(_DecisionFormView):
    form_class = forms.MemberForm
    title = gettext_lazy("Add a member who must declare")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("decision")
        kwargs["pemda"] = self.pemda
        return kwargs

    def perform(self, form: Any) -> Any:
        return services.decision_member_add(
            decision=self.decision, acting_user=self.request.user, **form.cleaned_data
        )


class SubjectAddView(_DecisionFormView):
    form_class = forms.SubjectForm
    title = gettext_lazy("Add a tenderer, an owner or director, or a candidate")

    def perform(self, form: Any) -> Any:
        return services.decision_subject_add(
            decision=self.decision, acting_user=self.request.user, **form.cleaned_data
        )


class RecusalView(_DecisionFormView):
    form_class = forms.RecusalForm
    title = gettext_lazy("Record a recusal")
    success_message = gettext_lazy("The recusal and the substitute have been recorded.")

    def perform(self, form: Any) -> Any:
        return services.decision_recuse(
            decision=self.decision,
            acting_user=self.request.user,
            member=form.cleaned_data["member"],
            substitute=form.cleaned_data["substitute"],
            reason=form.cleaned_data["reason"],
        )


class CleanView(_DecisionMixin, View):
    permission = "conflicts.decisions"

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            services.decision_mark_clean(decision=self.decision, acting_user=request.user)
            messages.success(request, _("The decision has been recorded as clean."))
        except DomainError as error:
            messages.error(request, str(error))
        return redirect(self.decision.get_absolute_url())


class DeclareView(_DecisionMixin, ServiceFormView):
    """A committee member's declaration for every tenderer or candidate."""

    permission = "conflicts.declare"
    object_permission = "conflicts.decisions"
    form_class = forms.DeclareForm
    template_name = "conflicts/declare.html"
    success_message = gettext_lazy("Your declaration for this decision has been recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        from pakta.conflicts.services.decisions import declarable_subjects

        user = self.request.user
        is_member = self.decision.members.filter(
            official_id=getattr(user, "official_id", None) or 0, is_active=True
        ).exists()
        if not (is_member or can_manage_decision(user, self.decision)):
            raise Http404
        kwargs = super().get_form_kwargs()
        kwargs["subjects"] = declarable_subjects(self.decision)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["decision"] = self.decision
        context["title"] = _("Declaration for %(decision)s") % {"decision": self.decision}
        return context

    def perform(self, form: Any) -> Any:
        services.decision_declare(
            decision=self.decision, acting_user=self.request.user, answers=form.answers()
        )
        return self.decision


# --- Review and reports --------------------------------------------------------------------------


class QueueView(PemdaPermissionMixin, TemplateView):
    permission = "conflicts.review"
    template_name = "conflicts/queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            declarations=selectors.declaration_queue(pemda=self.pemda)[:100],
            findings=selectors.finding_queue(pemda=self.pemda)[:200],
        )
        return context


class FindingDetailView(PemdaPermissionMixin, ServiceFormView):
    permission = "conflicts.review"
    model = Finding
    form_class = forms.ReviewForm
    template_name = "conflicts/finding_detail.html"

    @property
    def finding(self) -> Any:
        if not hasattr(self, "_finding"):
            self._finding = selectors.finding_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        return self._finding

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["finding"] = self.finding
        context["title"] = self.finding.get_kind_display()
        return context

    def perform(self, form: Any) -> Any:
        action = form.cleaned_data["action"]
        service = {
            "confirm": services.finding_confirm,
            "dismiss": services.finding_dismiss,
            "correct": services.finding_request_correction,
        }[action]
        service(
            finding=self.finding, acting_user=self.request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(self.request, _("Your review has been recorded."))
        return self.finding

    def get_success_url_for(self, obj: Any) -> str:
        from django.urls import reverse

        return reverse("conflicts:queue", kwargs={"pemda": self.pemda.slug})


class ReportView(PemdaPermissionMixin, TemplateView):
    permission = "conflicts.reports"
    template_name = "conflicts/report.html"

    def year(self) -> int:
        try:
            return int(self.request.GET.get("year", ""))
        except ValueError:
            return timezone.localdate().year

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = self.year()
        context.update(
            year=year,
            due=reports.due_per_unit(self.pemda, year),
            per_year=reports.per_year(self.pemda),
            by_kind=reports.findings_by_kind(self.pemda),
        )
        return context


class ReportXlsxView(ReportView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        year = self.year()
        content = reports.report_export(pemda=self.pemda, year=year, acting_user=request.user)
        return download_response(content, f"benturan-kepentingan-{year}.xlsx", XLSX)


class PublicView(TemplateView):
    """Counts only, no names: open to everyone."""

    template_name = "conflicts/public.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from pakta.org.models import Pemda

        context = super().get_context_data(**kwargs)
        pemda = get_object_or_404(Pemda, slug=self.kwargs["pemda"])
        context.update(public_pemda=pemda, counts=reports.public_counts(pemda))
        return context
