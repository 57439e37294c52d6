"""Staff pages of performance agreements. Thin: a permission, a form, a service, a response.

Pages of one agreement (and of what it contains) are seen by its first and second party, and by
holders of ``performance.view`` within their unit scope; for anyone else the agreement does not
exist (404). Who may act on it is decided by the services.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from pakta.core.documents import document_read
from pakta.core.downloads import download_response, streaming_download
from pakta.core.errors import DomainError
from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.permissions import has_permission
from pakta.org.selectors import unit_list_for
from pakta.performance import imports, selectors, services
from pakta.performance.achievement import band, band_label
from pakta.performance.forms import (
    AgreementCreateForm,
    AgreementFilterForm,
    CalendarForm,
    CascadeForm,
    GoalForm,
    ImportForm,
    IndicatorForm,
    ProgrammeForm,
    RealizationForm,
    ReturnForm,
    ReviseForm,
    SignForm,
)
from pakta.performance.models import (
    QUARTER_LABELS,
    QUARTERS,
    EvidenceFile,
    Goal,
    Indicator,
    PerformanceAgreement,
    Programme,
    Realization,
)
from pakta.signing.models import PendingSignature
from pakta.signing.selectors import documents_with_state
from pakta.signing.services import document_pdf_for_reader

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Status = PerformanceAgreement.Status


def _uploads(files: list[Any]) -> list[services.EvidenceUpload]:
    return [
        services.EvidenceUpload(
            name=f.name, content=f.read(), content_type=f.content_type or "application/octet-stream"
        )
        for f in files
    ]


class PerformancePageMixin(PemdaPermissionMixin):
    """Every performance page: the Pemda and permission check, and what the sub-menu shows."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["perf_can_view"] = has_permission(user, self.pemda, "performance.view")
        context["perf_can_manage"] = has_permission(user, self.pemda, "performance.manage")
        return context


class PersonalMixin(PerformancePageMixin):
    """Pages of objects inside an agreement: reached by its parties and by viewers in scope."""

    permission = "performance.own"
    object_permission = "performance.view"

    def agreement_url(self, agreement: PerformanceAgreement) -> str:
        return reverse(
            "performance:agreement_detail", kwargs={"pemda": self.pemda.slug, "pk": agreement.pk}
        )

    def get_agreement(self) -> PerformanceAgreement:
        if not hasattr(self, "_agreement"):
            self._agreement = selectors.agreement_get_visible(
                user=self.request.user, pemda=self.pemda, pk=self.kwargs["pk"]
            )
        return self._agreement

    def run(self, call: Any, success: Any) -> bool:
        try:
            call()
        except DomainError as error:
            messages.error(self.request, str(error))
            return False
        messages.success(self.request, str(success))
        return True


# --- Lists ----------------------------------------------------------------------------------


class MyAgreementsView(PerformancePageMixin, TemplateView):
    """One's own agreements, and what waits for one as a superior."""

    permission = "performance.own"
    template_name = "performance/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        manager = services.is_manager(user, self.pemda)
        context.update(
            agreements=selectors.my_agreements(user=user, pemda=self.pemda),
            to_review=selectors.agreements_to_review(user=user, pemda=self.pemda).count(),
            to_verify=selectors.realizations_to_verify(user=user, pemda=self.pemda).count(),
            has_official=bool(getattr(user, "official_id", None)),
            can_view=has_permission(user, self.pemda, "performance.view"),
            can_create=bool(getattr(user, "official_id", None)) or manager,
            form=AgreementCreateForm(pemda=self.pemda, manager=manager),
        )
        return context


class AgreementListView(PerformancePageMixin, TemplateView):
    """The register of current agreements with filters, status counts and overdue marks."""

    permission = "performance.view"
    template_name = "performance/agreement_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = AgreementFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        year = data.get("year") or timezone.localdate().year
        qs = selectors.agreement_list_for(
            pemda=self.pemda,
            scope=self.unit_scope,
            year=year,
            status=data.get("status", ""),
            overdue=bool(data.get("overdue")),
            search=data.get("q", ""),
        )
        page = selectors.agreement_register_page(
            qs.select_related("document"), number=self.request.GET.get("page")
        )
        documents_with_state(a.document for a in page.object_list)
        counts = list(
            selectors.agreement_counts(pemda=self.pemda, year=year, scope=self.unit_scope)
        )
        totals = {
            name: sum(getattr(c, name) for c in counts)
            for name in ("draft", "submitted", "returned", "approved", "signed")
        }
        context.update(
            form=form,
            year=year,
            page=page,
            totals=totals,
            today=timezone.localdate(),
            overdue=selectors.overdue_filter(
                selectors.agreement_list_for(pemda=self.pemda, scope=self.unit_scope, year=year)
            ).count(),
            query=self.request.GET.urlencode(),
            can_manage=has_permission(self.request.user, self.pemda, "performance.manage"),
        )
        return context


class AgreementCreateView(PerformancePageMixin, FormView):
    permission = "performance.own"
    template_name = "core/form.html"

    def get_form(self, form_class: Any = None) -> AgreementCreateForm:
        return AgreementCreateForm(
            **self.get_form_kwargs(),
            pemda=self.pemda,
            manager=services.is_manager(self.request.user, self.pemda),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("New performance agreement")
        return context

    def form_valid(self, form: AgreementCreateForm) -> HttpResponse:
        data = form.cleaned_data
        official = data.get("official")
        if official is None:
            user_official = getattr(self.request.user, "official", None)
            if user_official is None or user_official.pemda_id != self.pemda.pk:
                form.add_error(None, gettext("Choose the official (first party)."))
                return self.form_invalid(form)
            official = user_official
        try:
            agreement = services.agreement_create(
                pemda=self.pemda,
                official=official,
                year=data["year"],
                superior=data.get("superior"),
                acting_user=self.request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, gettext("The draft has been created. Add goals and indicators.")
        )
        return redirect(agreement.get_absolute_url())


class ReviewQueueView(PerformancePageMixin, TemplateView):
    """What waits for the user as a superior: drafts to review, agreements to countersign,
    realizations to verify."""

    permission = "performance.verify"
    template_name = "performance/review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            agreements=selectors.agreements_to_review(user=user, pemda=self.pemda),
            realizations=selectors.realizations_to_verify(user=user, pemda=self.pemda)[:200],
            return_form=ReturnForm(),
        )
        return context


TREE_PAGE = 100  # indicators per page of the cascade tree
# Above this many current agreements in the user's scope (about 5 indicators each), the tree
# opens on one OPD instead of the whole Pemda: sorting the whole Pemda's indicators for each
# page costs about half a second at 60,000 officials (docs/scale.md).
TREE_WHOLE_AGREEMENTS = 1_000


class CascadeTreeView(PerformancePageMixin, TemplateView):
    """The pohon kinerja: the Pemda's indicators, each under the one it was cascaded from, a
    page of TREE_PAGE indicators at a time; one OPD at a time at a large Pemda."""

    permission = "performance.view"
    template_name = "performance/tree.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = timezone.localdate().year
        opds = list(
            unit_list_for(pemda=self.pemda, scope=self.unit_scope).filter(parent__isnull=True)
        )
        # ?unit=<OPD> shows one OPD, ?unit=all the whole Pemda; without it the whole Pemda
        # when it is small (the agreement counters say so), else the first OPD.
        chosen = self.request.GET.get("unit", "")
        unit = next((u for u in opds if str(u.pk) == chosen), None)
        agreements = sum(
            c.signed + c.not_signed
            for c in selectors.agreement_counts(pemda=self.pemda, year=year, scope=self.unit_scope)
        )
        one_by_one = agreements > TREE_WHOLE_AGREEMENTS
        if unit is None and chosen != "all" and one_by_one and opds:
            unit = opds[0]
        page = selectors.cascade_tree_page(
            pemda=self.pemda,
            year=year,
            unit=unit,
            scope=self.unit_scope,
            per_page=TREE_PAGE,
            number=self.request.GET.get("page"),
        )
        query = {"year": year, "unit": unit.pk if unit else "all"}
        context.update(
            year=year,
            opds=opds,
            unit=unit,
            one_by_one=one_by_one,
            page=page,
            query=urlencode(query),
            roots=selectors.cascade_tree(
                pemda=self.pemda,
                year=year,
                scope=self.unit_scope,
                unit=unit,
                indicators=list(page.object_list),
            ),
        )
        return context


class BudgetCalendarView(PerformancePageMixin, FormView):
    permission = "performance.manage"
    template_name = "performance/calendar.html"
    form_class = CalendarForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["calendars"] = selectors.budget_calendar(pemda=self.pemda)
        return context

    def form_valid(self, form: CalendarForm) -> HttpResponse:
        try:
            services.budget_calendar_set(
                pemda=self.pemda, acting_user=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, gettext("The DPA date has been saved."))
        return redirect("performance:calendar", pemda=self.pemda.slug)


class ImportTemplateView(PerformancePageMixin, View):
    permission = "performance.own"

    def get(self, request: HttpRequest, pemda: str) -> HttpResponse:
        return download_response(imports.template_xlsx(), "template-perjanjian-kinerja.xlsx", XLSX)


class AgreementExportView(PerformancePageMixin, View):
    permission = "performance.view"

    def agreements(self, request: HttpRequest) -> Any:
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = timezone.localdate().year
        return year, selectors.agreement_list_for(
            pemda=self.pemda, scope=self.unit_scope, year=year
        )

    def get(self, request: HttpRequest, pemda: str) -> HttpResponseBase:
        year, agreements = self.agreements(request)
        return streaming_download(
            imports.agreements_xlsx_stream(agreements), f"perjanjian-kinerja-{year}.xlsx", XLSX
        )


class AchievementExportView(AgreementExportView):
    def get(self, request: HttpRequest, pemda: str) -> HttpResponseBase:
        year, agreements = self.agreements(request)
        return streaming_download(
            imports.achievement_xlsx_stream(agreements), f"capaian-kinerja-{year}.xlsx", XLSX
        )


# --- One agreement ------------------------------------------------------------------------------


class AgreementDetailView(PersonalMixin, TemplateView):
    template_name = "performance/agreement_detail.html"
    model = PerformanceAgreement

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        agreement = self.get_agreement()
        user = self.request.user
        official_id = getattr(user, "official_id", None)
        is_first = official_id == agreement.official_id
        is_second = bool(official_id) and official_id == agreement.superior_id
        manager = services.is_manager(user, self.pemda)
        table = selectors.agreement_table(agreement=agreement)
        quarter_totals = selectors.agreement_achievement(agreement=agreement)
        context.update(
            agreement=agreement,
            table=table,
            quarters=[QUARTER_LABELS[q] for q in QUARTERS],
            quarter_totals=[
                (QUARTER_LABELS[q], quarter_totals[q], band_label(band(quarter_totals[q])))
                for q in QUARTERS
            ],
            programmes=agreement.programmes.all(),
            versions=selectors.agreement_versions(agreement=agreement),
            signatures=selectors.agreement_signatures(agreement=agreement),
            is_first=is_first,
            is_second=is_second,
            can_edit=agreement.is_editable and (is_first or manager),
            can_sign=agreement.status == Status.APPROVED
            and (
                (is_first and agreement.first_party_signed_at is None)
                or (is_second and agreement.first_party_signed_at is not None)
            ),
            can_revise=agreement.status == Status.SIGNED
            and agreement.is_current
            and (is_first or manager),
            can_report=agreement.status == Status.SIGNED and agreement.is_current and is_first,
            can_cascade=agreement.is_editable and (is_first or is_second or manager),
            goal_form=GoalForm(),
            programme_form=ProgrammeForm(),
            return_form=ReturnForm(),
            today=timezone.localdate(),
        )
        return context


class AgreementPdfView(PersonalMixin, View):
    """The agreement's current PDF (with every signature so far)."""

    model = PerformanceAgreement

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        agreement = self.get_agreement()
        if agreement.document is None:
            messages.info(request, gettext("The PDF is made when the superior approves."))
            return redirect(self.agreement_url(agreement))
        content = document_pdf_for_reader(agreement.document)
        name = (
            f"perjanjian-kinerja-{agreement.year}-v{agreement.version}-{agreement.official.nip}.pdf"
        )
        return download_response(content, name, "application/pdf")


class AgreementActionView(PersonalMixin, View):
    """A button on the agreement page: one service, a message, back to the page."""

    model = PerformanceAgreement
    success: Any = ""

    def act(self, agreement: PerformanceAgreement) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        agreement = self.get_agreement()
        self.run(lambda: self.act(agreement), self.success)
        return redirect(self.agreement_url(agreement))


class AgreementSubmitView(AgreementActionView):
    success = _("The agreement has been sent to the superior for review.")

    def act(self, agreement: PerformanceAgreement) -> None:
        services.agreement_submit(agreement=agreement, acting_user=self.request.user)


class AgreementApproveView(AgreementActionView):
    success = _("The agreement is approved; both parties can now sign it.")

    def act(self, agreement: PerformanceAgreement) -> None:
        services.agreement_approve(agreement=agreement, acting_user=self.request.user)


class AgreementReturnView(AgreementActionView):
    success = _("The agreement has been returned to the official with your reason.")

    def act(self, agreement: PerformanceAgreement) -> None:
        form = ReturnForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.agreement_return(agreement=agreement, reason=reason, acting_user=self.request.user)


class GoalAddView(AgreementActionView):
    success = _("The strategic goal has been added.")

    def act(self, agreement: PerformanceAgreement) -> None:
        services.goal_add(
            agreement=agreement,
            name=self.request.POST.get("name", ""),
            acting_user=self.request.user,
        )


class ProgrammeAddView(AgreementActionView):
    success = _("The programme has been added.")

    def act(self, agreement: PerformanceAgreement) -> None:
        form = ProgrammeForm(self.request.POST)
        if not form.is_valid():
            raise DomainError(_("Give the programme's name and its budget in rupiah."))
        services.programme_add(
            agreement=agreement, acting_user=self.request.user, **form.cleaned_data
        )


class AgreementSignView(PersonalMixin, FormView):
    """Read, tick, re-authenticate, sign: as first party, or as second party after them."""

    template_name = "performance/agreement_sign.html"
    form_class = SignForm
    model = PerformanceAgreement

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        agreement = self.get_agreement()
        official_id = getattr(self.request.user, "official_id", None)
        context.update(
            agreement=agreement,
            table=selectors.agreement_table(agreement=agreement),
            programmes=agreement.programmes.all(),
            signatures=selectors.agreement_signatures(agreement=agreement),
            quarters=[QUARTER_LABELS[q] for q in QUARTERS],
            part="second" if official_id and official_id == agreement.superior_id else "first",
        )
        return context

    def form_valid(self, form: SignForm) -> HttpResponse:
        agreement = self.get_agreement()
        official_id = getattr(self.request.user, "official_id", None)
        action = (
            services.agreement_sign_second_party
            if official_id and official_id == agreement.superior_id
            else services.agreement_sign_first_party
        )
        try:
            result = action(
                agreement=agreement,
                acting_user=self.request.user,
                credential=form.cleaned_data["credential"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if isinstance(result, PendingSignature):
            messages.info(
                self.request,
                gettext(
                    "Your consent is recorded; the signature will be applied as soon as the "
                    "timestamp authority answers."
                ),
            )
        else:
            messages.success(self.request, gettext("You have signed the performance agreement."))
        return redirect(self.agreement_url(agreement))


class AgreementReviseView(PersonalMixin, FormView):
    template_name = "core/form.html"
    model = PerformanceAgreement

    def get_form(self, form_class: Any = None) -> ReviseForm:
        return ReviseForm(**self.get_form_kwargs(), agreement=self.get_agreement())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Revise the agreement (PK Perubahan)")
        return context

    def form_valid(self, form: ReviseForm) -> HttpResponse:
        try:
            revision = services.agreement_revise(
                agreement=self.get_agreement(), acting_user=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext(
                "Version %(version)s has been drafted. The signed version stays in force until "
                "the revision is signed."
            )
            % {"version": revision.version},
        )
        return redirect(self.agreement_url(revision))


class IndicatorCreateView(PersonalMixin, FormView):
    template_name = "core/form.html"
    model = PerformanceAgreement

    def get_form(self, form_class: Any = None) -> IndicatorForm:
        return IndicatorForm(**self.get_form_kwargs(), agreement=self.get_agreement())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("New indicator")
        return context

    def form_valid(self, form: IndicatorForm) -> HttpResponse:
        try:
            services.indicator_add(
                goal=form.cleaned_data["goal"],
                acting_user=self.request.user,
                **form.service_kwargs(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, gettext("The indicator has been added."))
        return redirect(self.agreement_url(self.get_agreement()))


class AgreementCascadeView(PersonalMixin, FormView):
    """Take an indicator of the superior's current agreement into this draft."""

    template_name = "core/form.html"
    model = PerformanceAgreement

    def get_form(self, form_class: Any = None) -> CascadeForm:
        agreement = self.get_agreement()
        sources = selectors.cascade_sources(agreement=agreement)
        return CascadeForm(**self.get_form_kwargs(), agreement=agreement, sources=sources)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Cascade an indicator of the superior")
        return context

    def form_valid(self, form: CascadeForm) -> HttpResponse:
        data = form.cleaned_data
        target = data.get("target") or (None, None)
        try:
            services.indicator_cascade(
                source=data["source"],
                agreement=self.get_agreement(),
                goal=data.get("goal"),
                target=target[0],
                acting_user=self.request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, gettext("The indicator has been cascaded."))
        return redirect(self.agreement_url(self.get_agreement()))


class AgreementImportView(PersonalMixin, FormView):
    """Upload the XLSX template: every row imported, or none with each bad row listed."""

    template_name = "performance/agreement_import.html"
    form_class = ImportForm
    model = PerformanceAgreement

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.get_agreement()
        return context

    def form_valid(self, form: ImportForm) -> HttpResponse:
        agreement = self.get_agreement()
        upload = form.cleaned_data["file"]
        try:
            created = imports.agreement_import(
                agreement=agreement, content=upload.read(), acting_user=self.request.user
            )
        except imports.ImportRejected as error:
            form.add_error(None, str(error))
            return self.render_to_response(
                self.get_context_data(form=form, row_errors=error.errors)
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("%(count)d indicators have been imported.") % {"count": len(created)},
        )
        return redirect(self.agreement_url(agreement))


# --- Goals, indicators, programmes ---------------------------------------------------------------


class ItemEditView(PersonalMixin, FormView):
    """Edit (or, with the delete button, remove) one item of a draft agreement."""

    template_name = "performance/item_form.html"
    title: Any = ""

    def get_item(self) -> Any:
        raise NotImplementedError

    def get_agreement(self) -> PerformanceAgreement:
        agreement: PerformanceAgreement = self.get_item().agreement
        return agreement

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            agreement=self.get_agreement(),
            back=self.agreement_url(self.get_agreement()),
        )
        return context

    def remove(self) -> None:
        raise NotImplementedError

    def save(self, form: Any) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "delete" in request.POST:
            agreement = self.get_agreement()
            self.run(self.remove, _("The item has been removed."))
            return redirect(self.agreement_url(agreement))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.save(form)
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, gettext("The changes have been saved."))
        return HttpResponseRedirect(self.agreement_url(self.get_agreement()))


class GoalEditView(ItemEditView):
    model = Goal
    form_class = GoalForm
    title = _("Strategic goal")

    def get_item(self) -> Goal:
        if not hasattr(self, "_item"):
            self._item = selectors.goal_get_visible(
                user=self.request.user, pemda=self.pemda, pk=self.kwargs["pk"]
            )
        return self._item

    def get_initial(self) -> dict[str, Any]:
        return {"name": self.get_item().name}

    def save(self, form: GoalForm) -> None:
        services.goal_update(
            goal=self.get_item(), name=form.cleaned_data["name"], acting_user=self.request.user
        )

    def remove(self) -> None:
        services.goal_delete(goal=self.get_item(), acting_user=self.request.user)


class IndicatorEditView(ItemEditView):
    model = Indicator
    title = _("Performance indicator")

    def get_item(self) -> Indicator:
        if not hasattr(self, "_item"):
            self._item = selectors.indicator_get_visible(
                user=self.request.user, pemda=self.pemda, pk=self.kwargs["pk"]
            )
        return self._item

    def get_form(self, form_class: Any = None) -> IndicatorForm:
        return IndicatorForm(**self.get_form_kwargs(), agreement=self.get_agreement())

    def get_initial(self) -> dict[str, Any]:
        return IndicatorForm.initial_for(self.get_item())

    def save(self, form: IndicatorForm) -> None:
        services.indicator_update(
            indicator=self.get_item(),
            goal=form.cleaned_data["goal"],
            acting_user=self.request.user,
            **form.service_kwargs(),
        )

    def remove(self) -> None:
        services.indicator_delete(indicator=self.get_item(), acting_user=self.request.user)


class ProgrammeEditView(ItemEditView):
    model = Programme
    form_class = ProgrammeForm
    title = _("Programme")

    def get_item(self) -> Programme:
        if not hasattr(self, "_item"):
            self._item = selectors.programme_get_visible(
                user=self.request.user, pemda=self.pemda, pk=self.kwargs["pk"]
            )
        return self._item

    def get_initial(self) -> dict[str, Any]:
        from pakta.performance.rendering import angka

        item = self.get_item()
        return {"name": item.name, "budget": angka(item.budget)}

    def save(self, form: ProgrammeForm) -> None:
        services.programme_update(
            programme=self.get_item(), acting_user=self.request.user, **form.cleaned_data
        )

    def remove(self) -> None:
        services.programme_delete(programme=self.get_item(), acting_user=self.request.user)


# --- Realizations ---------------------------------------------------------------------------------


class RealizationSubmitView(PersonalMixin, FormView):
    """Report an indicator's value for a quarter with evidence files."""

    template_name = "performance/realization_form.html"
    form_class = RealizationForm
    model = Indicator

    def get_indicator(self) -> Indicator:
        if not hasattr(self, "_indicator"):
            self._indicator = selectors.indicator_get_visible(
                user=self.request.user, pemda=self.pemda, pk=self.kwargs["pk"]
            )
        return self._indicator

    def get_initial(self) -> dict[str, Any]:
        quarter = self.request.GET.get("quarter", "")
        return {"quarter": int(quarter)} if quarter in {"1", "2", "3", "4"} else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        indicator = self.get_indicator()
        context.update(
            indicator=indicator,
            agreement=indicator.agreement,
            realizations=indicator.realizations.prefetch_related("evidence").order_by("quarter"),
            deadline_days=services.realization_deadline_days(),
        )
        return context

    def form_valid(self, form: RealizationForm) -> HttpResponse:
        indicator = self.get_indicator()
        data = form.cleaned_data
        try:
            services.realization_submit(
                indicator=indicator,
                quarter=data["quarter"],
                value=data["value"],
                note=data["note"],
                evidence=_uploads(data["evidence"]),
                acting_user=self.request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("The realization has been sent to your superior for verification."),
        )
        return redirect(self.agreement_url(indicator.agreement))


class RealizationActionView(PersonalMixin, View):
    model = Realization
    success: Any = ""

    def act(self, realization: Realization) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        realization = selectors.realization_get_visible(user=request.user, pemda=self.pemda, pk=pk)
        self.run(lambda: self.act(realization), self.success)
        target = request.POST.get("next", "")
        if target == "review":
            return redirect("performance:review", pemda=self.pemda.slug)
        return redirect(self.agreement_url(realization.agreement))


class RealizationVerifyView(RealizationActionView):
    success = _("The realization has been verified.")

    def act(self, realization: Realization) -> None:
        services.realization_verify(realization=realization, acting_user=self.request.user)


class RealizationReturnView(RealizationActionView):
    success = _("The realization has been returned to the official with your reason.")

    def act(self, realization: Realization) -> None:
        form = ReturnForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.realization_return(
            realization=realization, reason=reason, acting_user=self.request.user
        )


class EvidenceDownloadView(PersonalMixin, View):
    model = EvidenceFile

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        evidence = selectors.evidence_get_visible(user=request.user, pemda=self.pemda, pk=pk)
        content = document_read(evidence.document)
        name = evidence.name.replace('"', "")
        response = download_response(content, name, evidence.document.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response
