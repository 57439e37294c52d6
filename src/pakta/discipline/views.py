"""Pages of discipline cases: the list (only the cases one may see), opening a case, the case
page (every opening audited) with one form per procedural step, the BAP and SK PDFs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from pakta.core.downloads import download_response
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.permissions import has_permission
from pakta.discipline import forms, origins, selectors, services
from pakta.discipline.models import CaseStep, DisciplineCase, Sanction
from pakta.discipline.permissions import can_manage_case, case_roles_of
from pakta.discipline.rules import SANCTIONS, authorities_for
from pakta.discipline.services.procedure import bap_complete


def nav_flags(user: Any, pemda: Any) -> dict[str, bool]:
    """What the discipline sub-menu offers to ``user``."""
    return {
        "can_open": has_permission(user, pemda, "discipline.manage"),
        "can_export": has_permission(user, pemda, "discipline.export"),
        "can_stats": has_permission(user, pemda, "discipline.stats"),
    }


class CaseMixin(PemdaPermissionMixin):
    """A case page: any member reaches it, only those who may see the case get it (404)."""

    permission = "discipline.access"
    object_permission = "discipline.view"
    model: Any = DisciplineCase

    def get_case(self) -> DisciplineCase:
        if not hasattr(self, "_case"):
            self._case = selectors.case_get_for(
                user=self.request.user, pemda=self.pemda, pk=self.kwargs["pk"]
            )
        return self._case


class CaseListView(PemdaPermissionMixin, ListView):
    permission = "discipline.access"
    template_name = "discipline/case_list.html"
    context_object_name = "cases"
    paginate_by = 50

    def get_queryset(self) -> Any:
        year = self.request.GET.get("year", "")
        return selectors.case_list_for(
            user=self.request.user,
            pemda=self.pemda,
            stage=self.request.GET.get("stage", ""),
            year=int(year) if year.isdigit() else None,
            late=self.request.GET.get("late") == "1",
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            stages=DisciplineCase.Stage.choices,
            stage=self.request.GET.get("stage", ""),
            today=timezone.localdate(),
            **nav_flags(user, self.pemda),
        )
        return context


class DisciplineFormView(PemdaPermissionMixin, FormView):
    """A form whose service may refuse with a DisciplineError: the message goes next to its
    field, and the typed values stay."""

    template_name = "discipline/form.html"
    title: Any = ""
    success_message: Any = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            obj = self.perform(form)
        except PermissionDeniedError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except DomainError as error:
            field = getattr(error, "field", None)
            form.add_error(field if field in form.fields else None, str(error))
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, str(self.success_message))
        return HttpResponseRedirect(self.success_url_for(obj))

    def success_url_for(self, obj: Any) -> str:
        return str(obj.get_absolute_url())


class CaseCreateView(DisciplineFormView):
    permission = "discipline.manage"
    form_class = forms.CaseForm
    title = gettext_lazy("Open a discipline case")
    success_message = gettext_lazy("The case has been opened; the direct superior is notified.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["pemda"] = self.pemda
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"origin": self.request.GET.get("origin", "manual")}
        kind, ref = initial["origin"], self.request.GET.get("ref")
        if kind in origins.KINDS and ref:
            # Pre-fill from the origin's page: the official and the facts of that record.
            try:
                row = origins.origin_get(pemda=self.pemda, kind=kind, pk=ref)
            except DomainError as error:
                messages.error(self.request, str(error))
                return initial
            fill = origins.prefill(kind, row)
            initial.update(
                origin_ref=row.pk,
                official=fill.official,
                incident_date=fill.incident_date,
                summary=fill.summary,
            )
            self.origin_row = (kind, row)
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kind_row = getattr(self, "origin_row", None)
        if kind_row:
            kind, row = kind_row
            context["origin_row"] = row
            context["origin_label"] = origins.label_of(kind, row)
            context["origin_link"] = origins.link_for(self.request.user, kind, row)
        return context

    def perform(self, form: Any) -> DisciplineCase:
        data = form.cleaned_data
        return services.case_open(
            pemda=self.pemda,
            acting_user=self.request.user,
            official=data["official"],
            incident_date=data["incident_date"],
            summary=data["summary"],
            provisions=list(data["provisions"]),
            level=data["level"],
            origin=data["origin"],
            origin_report=data["origin_report"],
            origin_action_item=data["origin_action_item"],
            origin_ref=data["origin_ref"],
            pact_clause=data["pact_clause"],
        )


class CaseDetailView(CaseMixin, TemplateView):
    template_name = "discipline/case_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case = self.get_case()
        user = self.request.user
        services.case_viewed(case=case, user=user)
        roles = case_roles_of(user, case)
        sanction = getattr(case, "sanction", None)
        Stage = DisciplineCase.Stage
        manage = can_manage_case(user, case)
        absences = case.steps.filter(kind=CaseStep.Kind.ABSENT).count()
        holders = services.authority_officials(case)
        context.update(
            case=case,
            steps=case.steps.select_related("official", "actor"),
            provisions=case.provisions.all(),
            sanction=sanction,
            sanction_rule=SANCTIONS[sanction.type] if sanction else None,
            roles=roles,
            today=timezone.localdate(),
            can_manage=manage,
            # The reporter of the original report is never named here: only whether they chose
            # to disclose their identity, which the report's handlers see in the report itself.
            show_report_link=has_permission(user, self.pemda, "reports.handle"),
            origin_link=origins.link_for(user, case.origin, origins.case_origin_row(case))
            if case.origin in origins.KINDS
            else "",
            authorities=[(a, holders.get(a)) for a in authorities_for(case.level)],
            bap_done=bap_complete(case),
            bap_signed_by=set(case.bap.signatures.values_list("official_id", flat=True))
            if case.bap
            else set(),
            next_steps=_next_steps(case, manage, roles, absences, sanction),
            Stage=Stage,
        )
        return context


def _next_steps(
    case: DisciplineCase, manage: bool, roles: set[str], absences: int, sanction: Any
) -> list[tuple[str, Any]]:
    """The step forms offered on the case page: (url name, label)."""
    Stage = DisciplineCase.Stage
    steps: list[tuple[str, Any]] = []
    if manage:
        if case.stage == Stage.OPENED or (case.stage == Stage.SUMMONED and absences >= 1):
            steps.append(("summons", _("Issue a summons")))
        if case.stage in (Stage.SUMMONED, Stage.SUMMONED_AGAIN) and absences < (
            1 if case.stage == Stage.SUMMONED else 2
        ):
            steps.append(("absent", _("Record the official's absence")))
        if case.stage in (Stage.OPENED, Stage.SUMMONED, Stage.SUMMONED_AGAIN) and case.level in (
            "sedang",
            "berat",
        ):
            steps.append(("team", _("Form the examination team")))
        if case.stage in (Stage.SUMMONED, Stage.SUMMONED_AGAIN):
            steps.append(("examination", _("Record the examination (BAP)")))
        if case.stage in (Stage.OPENED, Stage.SUMMONED, Stage.SUMMONED_AGAIN, Stage.EXAMINED):
            steps.append(("close", _("Close without sanction")))
    if case.stage == Stage.EXAMINED and ({"examiner", "subject"} & roles):
        steps.append(("bap_sign", _("Sign the examination record")))
    if "authority" in roles and (
        (case.stage == Stage.EXAMINED and bap_complete(case))
        or (case.stage == Stage.SUMMONED_AGAIN and absences >= 2)
    ):
        steps.append(("decide", _("Decide and sign the sanction")))
    decider = sanction is not None and "authority" in roles
    if case.stage == Stage.DECIDED and (manage or decider):
        steps.append(("deliver", _("Record the delivery of the decision")))
    if case.stage == Stage.DELIVERED and manage:
        steps.append(("objection", _("Record an objection or appeal")))
    if case.stage == Stage.OBJECTION and manage:
        steps.append(("objection_decide", _("Record the outcome of the objection or appeal")))
    return steps


class StepView(CaseMixin, DisciplineFormView):
    """One procedural step of a case (GET shows the form, POST calls the step's service)."""

    success_message = gettext_lazy("The step has been recorded.")
    needs_pemda = False

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        self.get_case()  # 404 before any form for a case the user may not see
        if self.needs_pemda:
            kwargs["pemda"] = self.pemda
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["case"] = self.get_case()
        return context

    def success_url_for(self, obj: Any) -> str:
        return str(self.get_case().get_absolute_url())


class SummonsView(StepView):
    form_class = forms.SummonsForm
    title = gettext_lazy("Issue a summons")

    def perform(self, form: Any) -> Any:
        return services.summons_issue(
            case=self.get_case(), acting_user=self.request.user, **form.cleaned_data
        )


class AbsentView(StepView):
    form_class = forms.AbsentForm
    title = gettext_lazy("Record the official's absence")

    def perform(self, form: Any) -> Any:
        return services.summons_absent(
            case=self.get_case(), acting_user=self.request.user, **form.cleaned_data
        )


class TeamView(StepView):
    form_class = forms.TeamForm
    title = gettext_lazy("Form the examination team")
    needs_pemda = True

    def perform(self, form: Any) -> Any:
        return services.team_form(
            case=self.get_case(),
            acting_user=self.request.user,
            members=list(form.cleaned_data["members"]),
        )


class ExaminationView(StepView):
    form_class = forms.ExaminationForm
    title = gettext_lazy("Record the examination (BAP)")
    needs_pemda = True

    def get_initial(self) -> dict[str, Any]:
        case = self.get_case()
        return {"level": case.level, "examiner": case.superior_id}

    def perform(self, form: Any) -> Any:
        return services.examination_record(
            case=self.get_case(), acting_user=self.request.user, **form.cleaned_data
        )


class BapSignView(StepView):
    form_class = forms.SignForm
    title = gettext_lazy("Sign the examination record")
    success_message = gettext_lazy("You have signed the examination record.")

    def perform(self, form: Any) -> Any:
        return services.bap_sign(
            case=self.get_case(),
            acting_user=self.request.user,
            credential=form.cleaned_data["credential"],
        )


class DecisionView(StepView):
    form_class = forms.DecisionForm
    title = gettext_lazy("Decide and sign the sanction")
    success_message = gettext_lazy("The decision has been signed.")

    def get_initial(self) -> dict[str, Any]:
        case = self.get_case()
        today = timezone.localdate()
        allowed = authorities_for(case.level)
        holders = services.authority_officials(case)
        mine = [
            a
            for a in allowed
            if (h := holders.get(a)) and h.pk == getattr(self.request.user, "official_id", None)
        ]
        return {
            "decision_date": today,
            "start_date": today,
            "authority": mine[0] if mine else (allowed[0] if allowed else ""),
        }

    def perform(self, form: Any) -> Any:
        return services.case_decide(
            case=self.get_case(), acting_user=self.request.user, **form.cleaned_data
        )


class DeliveryView(StepView):
    form_class = forms.DeliveryForm
    title = gettext_lazy("Record the delivery of the decision")

    def perform(self, form: Any) -> Any:
        return services.decision_deliver(
            case=self.get_case(), acting_user=self.request.user, **form.cleaned_data
        )


class ObjectionView(StepView):
    form_class = forms.ObjectionForm
    title = gettext_lazy("Record an objection or appeal")

    def perform(self, form: Any) -> Any:
        return services.objection_file(
            case=self.get_case(), acting_user=self.request.user, **form.cleaned_data
        )


class ObjectionDecisionView(StepView):
    form_class = forms.ObjectionDecisionForm
    title = gettext_lazy("Record the outcome of the objection or appeal")

    def perform(self, form: Any) -> Any:
        return services.objection_decide(
            case=self.get_case(), acting_user=self.request.user, **form.cleaned_data
        )


class CloseView(StepView):
    form_class = forms.CloseForm
    title = gettext_lazy("Close without sanction")

    def perform(self, form: Any) -> Any:
        return services.case_close(
            case=self.get_case(), acting_user=self.request.user, **form.cleaned_data
        )


class _PdfView(CaseMixin, View):
    def document(self, case: DisciplineCase) -> Any:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from pakta.signing.services import document_pdf_for_reader

        case = self.get_case()
        document = self.document(case)
        if document is None:
            raise Http404
        return download_response(
            document_pdf_for_reader(document),
            f"{document.title}.pdf",
            "application/pdf",
            inline=True,
        )


class BapPdfView(_PdfView):
    def document(self, case: DisciplineCase) -> Any:
        return case.bap


class DecisionPdfView(CaseMixin, View):
    """The signed decision (SK) of a sanction, to those who may see its case."""

    model = Sanction

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from pakta.signing.services import document_pdf_for_reader

        sanction = selectors.sanction_find_for(pemda=self.pemda, pk=self.kwargs["pk"])
        if sanction is None or sanction.document is None:
            raise Http404
        selectors.case_get_for(user=request.user, pemda=self.pemda, pk=sanction.case_id)
        document = sanction.document
        return download_response(
            document_pdf_for_reader(document),
            f"{document.title}.pdf",
            "application/pdf",
            inline=True,
        )
