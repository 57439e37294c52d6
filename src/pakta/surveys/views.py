"""Pages of the surveys app: SPI results (record, import, findings, the results page with its
trend chart), survey years (superadmin), the internal questionnaire and surveys, and the public
answering page. Thin: a permission, a form, a service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, ListView, TemplateView

from pakta.core.downloads import download_response
from pakta.core.errors import DomainError
from pakta.core.exports import rows_to_csv, rows_to_xlsx
from pakta.core.forms import ServiceFormView
from pakta.core.mixins import PemdaPermissionMixin, SuperadminRequiredMixin
from pakta.core.permissions import has_permission
from pakta.core.public import public_headers
from pakta.surveys import selectors, services
from pakta.surveys.forms import (
    AnswerForm,
    FindingForm,
    QuestionnaireForm,
    SpiImportForm,
    SpiResultForm,
    SurveyForm,
    SurveyYearForm,
    questions_text,
)
from pakta.surveys.models import (
    Category,
    Dimension,
    Questionnaire,
    RespondentGroup,
    SpiResult,
    Survey,
    SurveyYear,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ManageContextMixin:
    request: HttpRequest
    pemda: Any

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["can_manage"] = has_permission(
            self.request.user,
            self.pemda,
            "surveys.manage",
        )
        return context


# --- SPI results ---------------------------------------------------------------------------------


class SpiOverviewView(ManageContextMixin, PemdaPermissionMixin, TemplateView):
    permission = "surveys.view"
    template_name = "surveys/spi_overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        results = list(selectors.spi_result_list_for(pemda=self.pemda))
        trend = selectors.spi_trend_for(pemda=self.pemda)
        context.update(
            results=results,
            latest=results[0] if results else None,
            weakest=selectors.weakest_dimensions(results[0]) if results else [],
            chart=selectors.trend_chart(trend),
            categories=Category,
        )
        return context


class SpiResultCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "surveys.manage"
    form_class = SpiResultForm
    title = gettext_lazy("Record an SPI result")
    success_message = gettext_lazy("The SPI result has been recorded.")

    def perform(self, form: SpiResultForm) -> SpiResult:
        data = dict(form.cleaned_data)
        year = data.pop("year")
        return services.spi_result_save(
            pemda=self.pemda, year=year, acting_user=self.request.user, **data
        )


class SpiResultUpdateView(PemdaPermissionMixin, ServiceFormView):
    permission = "surveys.manage"
    model = SpiResult
    form_class = SpiResultForm
    title = gettext_lazy("Correct an SPI result")
    success_message = gettext_lazy("The SPI result has been changed.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.spi_result_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        return kwargs

    def perform(self, form: SpiResultForm) -> SpiResult:
        data = dict(form.cleaned_data)
        data.pop("year", None)
        return services.spi_result_save(
            pemda=self.pemda,
            year=form.instance.survey_year.year,
            acting_user=self.request.user,
            **data,
        )


class SpiResultDetailView(ManageContextMixin, PemdaPermissionMixin, TemplateView):
    permission = "surveys.view"
    model = SpiResult
    template_name = "surveys/result_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        result = selectors.spi_result_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        national = result.survey_year.national_index
        context.update(
            result=result,
            category_label=Category(result.category).label if result.category else "",
            national=national,
            national_category=result.survey_year.category_of(national),
            difference=(result.index - national) if national is not None else None,
            dimensions=[
                (Dimension(code).label, score) for code, score in result.dimension_scores().items()
            ],
            groups=[
                (RespondentGroup(code).label, score)
                for code, score in result.group_scores().items()
            ],
            weakest=selectors.weakest_dimensions(result),
            findings=result.findings.all(),
            finding_form=FindingForm(),
        )
        return context


class FindingCreateView(PemdaPermissionMixin, FormView):
    permission = "surveys.manage"
    model = SpiResult
    form_class = FindingForm
    template_name = "core/form.html"

    def form_valid(self, form: FindingForm) -> HttpResponse:
        result = selectors.spi_result_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        try:
            services.spi_finding_add(
                result=result, acting_user=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, _("The recommendation has been added."))
        return redirect(result.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        selectors.spi_result_get_for(pemda=self.pemda, pk=self.kwargs["pk"])  # or 404
        context["title"] = _("Add a KPK recommendation")
        return context


class SpiImportView(PemdaPermissionMixin, FormView):
    permission = "surveys.manage"
    form_class = SpiImportForm
    template_name = "surveys/spi_import.html"

    def form_valid(self, form: SpiImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            outcome = services.spi_import(
                pemda=self.pemda,
                file_name=upload.name,
                content=upload.read(),
                acting_user=self.request.user,
            )
        except services.SpiImportError as error:
            return self.render_to_response(
                self.get_context_data(form=form, row_errors=error.errors, error=str(error))
            )
        except DomainError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Imported: %(created)d new years, %(updated)d years replaced.")
            % {"created": outcome.created, "updated": outcome.updated},
        )
        return redirect("surveys:home", pemda=self.pemda.slug)


class SpiImportTemplateView(PemdaPermissionMixin, View):
    permission = "surveys.manage"

    def get(self, request: HttpRequest, pemda: str, fmt: str) -> HttpResponse:
        headers, rows = services.IMPORT_HEADERS, [services.IMPORT_EXAMPLE]
        if fmt == "xlsx":
            content, content_type = rows_to_xlsx(headers, rows, title="SPI"), XLSX
        else:
            content, content_type = rows_to_csv(headers, rows), "text/csv; charset=utf-8"
        return download_response(content, f"template-spi.{fmt}", content_type)


# --- Survey years (superadmin) ------------------------------------------------------------------


class SurveyYearListView(SuperadminRequiredMixin, ListView):
    template_name = "surveys/year_list.html"
    context_object_name = "years"

    def get_queryset(self) -> Any:
        return selectors.survey_year_list()


class SurveyYearFormView(SuperadminRequiredMixin, ServiceFormView):
    form_class = SurveyYearForm
    title = gettext_lazy("Survey year")
    success_message = gettext_lazy("The survey year has been saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if "year" in self.kwargs:
            kwargs["instance"] = selectors.survey_year_find(year=self.kwargs["year"])
        return kwargs

    def perform(self, form: SurveyYearForm) -> SurveyYear:
        data = dict(form.cleaned_data)
        year = data.pop("year")
        return services.survey_year_save(
            year=year,
            acting_user=self.request.user,
            instance=form.instance if form.instance.pk else None,
            **data,
        )

    def get_success_url_for(self, obj: Any) -> str:
        from django.urls import reverse

        return reverse("surveyyears:list")


# --- Questionnaires ------------------------------------------------------------------------------


class QuestionnaireListView(ManageContextMixin, PemdaPermissionMixin, ListView):
    permission = "surveys.view"
    template_name = "surveys/questionnaire_list.html"
    context_object_name = "questionnaires"

    def get_queryset(self) -> Any:
        return selectors.questionnaire_list_for(pemda=self.pemda)


class QuestionnaireDetailView(ManageContextMixin, PemdaPermissionMixin, TemplateView):
    permission = "surveys.view"
    model = Questionnaire
    template_name = "surveys/questionnaire_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        questionnaire = selectors.questionnaire_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        context["questionnaire"] = questionnaire
        context["questions"] = questionnaire.questions.all()
        return context


class QuestionnaireActionView(PemdaPermissionMixin, View):
    """POST-only steps: create a draft, publish, new version."""

    permission = "surveys.manage"
    action = ""

    def post(self, request: HttpRequest, pemda: str, pk: int | None = None) -> HttpResponse:
        try:
            if self.action == "create":
                questionnaire = services.questionnaire_create(
                    pemda=self.pemda, acting_user=request.user
                )
            else:
                current = selectors.questionnaire_get_for(pemda=self.pemda, pk=pk or 0)
                if self.action == "publish":
                    questionnaire = services.questionnaire_publish(
                        questionnaire=current, acting_user=request.user
                    )
                    messages.success(request, _("The questionnaire has been published."))
                else:
                    questionnaire = services.questionnaire_new_version(
                        questionnaire=current, acting_user=request.user
                    )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("surveys:questionnaire_list", pemda=self.pemda.slug)
        return redirect(questionnaire.get_absolute_url())


class QuestionnaireCreateView(QuestionnaireActionView):
    action = "create"


class QuestionnairePublishView(QuestionnaireActionView):
    model = Questionnaire
    action = "publish"


class QuestionnaireNewVersionView(QuestionnaireActionView):
    model = Questionnaire
    action = "new_version"


class QuestionnaireUpdateView(PemdaPermissionMixin, ServiceFormView):
    permission = "surveys.manage"
    model = Questionnaire
    form_class = QuestionnaireForm
    title = gettext_lazy("Edit the questionnaire draft")
    success_message = gettext_lazy("The draft has been saved.")

    def get_questionnaire(self) -> Questionnaire:
        return selectors.questionnaire_get_for(pemda=self.pemda, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        questionnaire = self.get_questionnaire()
        return {
            "title": questionnaire.title,
            "scale": questionnaire.scale,
            "questions": questions_text(questionnaire),
        }

    def perform(self, form: QuestionnaireForm) -> Questionnaire:
        return services.questionnaire_update(
            questionnaire=self.get_questionnaire(),
            acting_user=self.request.user,
            **form.cleaned_data,
        )


# --- Internal surveys ----------------------------------------------------------------------------


class SurveyListView(ManageContextMixin, PemdaPermissionMixin, ListView):
    permission = "surveys.view"
    template_name = "surveys/survey_list.html"
    context_object_name = "surveys"

    def get_queryset(self) -> Any:
        return selectors.survey_list_for(pemda=self.pemda)


class SurveyCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "surveys.manage"
    form_class = SurveyForm
    title = gettext_lazy("New internal survey")
    success_message = gettext_lazy(
        "The survey has been created. Open it, then send the invitations."
    )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["pemda"] = self.pemda
        return kwargs

    def perform(self, form: SurveyForm) -> Survey:
        return services.survey_create(
            pemda=self.pemda, acting_user=self.request.user, **form.cleaned_data
        )


class SurveyDetailView(ManageContextMixin, PemdaPermissionMixin, TemplateView):
    permission = "surveys.view"
    model = Survey
    template_name = "surveys/survey_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        survey = selectors.survey_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        report = selectors.survey_report(survey=survey)
        context.update(
            survey=survey,
            report=report,
            participation=selectors.survey_participation(survey=survey),
            dimensions=Dimension,
            minimum=selectors.MIN_RESPONDENTS,
            category_labels=dict(Category.choices),
        )
        return context


class SurveyStepView(PemdaPermissionMixin, View):
    permission = "surveys.manage"
    model = Survey
    step = ""

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        survey = selectors.survey_get_for(pemda=self.pemda, pk=pk)
        try:
            if self.step == "open":
                services.survey_open(survey=survey, acting_user=request.user)
                messages.success(request, _("The survey is open."))
            elif self.step == "close":
                services.survey_close(survey=survey, acting_user=request.user)
                messages.success(request, _("The survey is closed."))
            else:
                run = services.survey_invite(survey=survey, acting_user=request.user)
                messages.success(
                    request,
                    _(
                        "Invitations: %(emailed)d sent, %(no_email)d officials without an "
                        "e-mail address, %(failed)d failed (they can be sent again)."
                    )
                    % {"emailed": run.emailed, "no_email": run.no_email, "failed": run.failed},
                )
        except DomainError as error:
            messages.error(request, str(error))
        return redirect(survey.get_absolute_url())


class SurveyOpenView(SurveyStepView):
    step = "open"


class SurveyCloseView(SurveyStepView):
    step = "close"


class SurveyInviteView(SurveyStepView):
    step = "invite"


# --- The public answering page -------------------------------------------------------------------


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    # The request privacy middleware adds the same headers to every public route; a view may
    # also be mounted elsewhere, so it says so itself.
    return public_headers(response)


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponseBase:
    """Answer the internal survey with a single-use token, without logging in.

    Nothing about the visitor is recorded: no IP address, no user agent, no session, no log line.
    """
    found = services.survey_for_token(token)
    if found is None:
        return _no_store(
            render(
                request,
                "surveys/answer_invalid.html",
                {"message": _("This survey link is not valid.")},
                status=404,
            )
        )
    survey, usable = found
    if not usable:
        return _no_store(
            render(
                request,
                "surveys/answer_invalid.html",
                {"message": _("This survey link has already been used, or the survey is closed.")},
                status=410,
            )
        )
    form = AnswerForm(request.POST or None, questionnaire=survey.questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(token=token, answers=form.answers())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _no_store(render(request, "surveys/answer_thanks.html", {"survey": survey}))
    return _no_store(
        render(
            request,
            "surveys/answer.html",
            {"survey": survey, "form": form, "scale": survey.questionnaire.scale},
        )
    )
