"""Staff pages of the reporting channel: the Inspektorat's case list and case file, handler
keys, the escrow key, and statistics. Thin: a permission, a form, a service.

Content is decrypted only in memory, for a handler whose session holds their unwrapped key
(``keys.handler_private_key``) and to whom the report was sealed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from pakta.accounts import selectors as account_selectors
from pakta.accounts import services as account_services
from pakta.accounts.credentials import password_check
from pakta.core.downloads import download_response
from pakta.core.errors import DomainError, LockedOutError
from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.permissions import has_permission
from pakta.core.roles import ESCROW_HOLDER
from pakta.org.selectors import official_get_by_nip
from pakta.reports import keys, selectors, services
from pakta.reports.forms import (
    EscrowRecoverForm,
    HandlerChoiceForm,
    HandlerMessageForm,
    LinkForm,
    PasswordConfirmForm,
    RecoveryForm,
    TransitionForm,
)
from pakta.reports.models import Report, ReportAttachment


def _private_key(request: HttpRequest) -> bytes | None:
    return keys.handler_private_key(request)


class ReportListView(PemdaPermissionMixin, TemplateView):
    permission = "reports.handle"
    template_name = "reports/report_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        reports = selectors.report_list_for(user=self.request.user, pemda=self.pemda)
        stage = self.request.GET.get("stage", "")
        if stage in Report.Stage.values:
            reports = reports.filter(stage=stage)
        context.update(
            page=Paginator(reports, 50).get_page(self.request.GET.get("page")),
            stages=Report.Stage.choices,
            stage=stage,
            handler_key=keys.handler_key_of(self.request.user),
            unlocked=_private_key(self.request) is not None,
            needs_recovery=keys.handler_session_needs_recovery(self.request),
        )
        return context


class ReportDetailView(PemdaPermissionMixin, TemplateView):
    permission = "reports.handle"
    model = Report
    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        report = selectors.report_get_for(user=user, pemda=self.pemda, pk=self.kwargs["pk"])
        private_key = _private_key(self.request)
        opened = services.report_open(report=report, user=user, private_key=private_key)
        handlers = list(selectors.handlers_for(report))
        from pakta.pacts.selectors import template_list_for

        templates = list(template_list_for(pemda=self.pemda))
        context.update(
            report=report,
            opened=opened,
            unlocked=private_key is not None,
            transition_form=TransitionForm(report=report),
            assign_form=HandlerChoiceForm(handlers=handlers),
            share_form=HandlerChoiceForm(
                handlers=[h for h in handlers if not report.grants.filter(user=h).exists()]
            ),
            message_form=HandlerMessageForm(),
            link_form=LinkForm(
                templates=templates,
                initial={
                    "official_nip": report.official.nip if report.official else "",
                    "template": report.breached_template_id or "",
                    "clause": report.breached_clause,
                },
            ),
            grant_count=report.grants.filter(user__isnull=False).count(),
        )
        return context


class ReportIdentityView(PemdaPermissionMixin, View):
    """The reporter's identity: shown only after an explicit, logged request."""

    permission = "reports.handle"
    model = Report

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        report = selectors.report_get_for(user=request.user, pemda=self.pemda, pk=kwargs["pk"])
        return render(
            request, "reports/report_identity.html", {"pemda": self.pemda, "report": report}
        )

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        report = selectors.report_get_for(user=request.user, pemda=self.pemda, pk=kwargs["pk"])
        context: dict[str, Any] = {"pemda": self.pemda, "report": report, "revealed": True}
        try:
            context["identity"] = services.report_identity_reveal(
                report=report, user=request.user, private_key=_private_key(request)
            )
        except DomainError as error:
            context["error"] = str(error)
        return render(request, "reports/report_identity.html", context)


class _ReportActionView(PemdaPermissionMixin, View):
    """A POST that runs one service on a report, then returns to the case file."""

    permission = "reports.handle"
    model = Report
    http_method_names = ["post"]
    success_message = ""

    def act(self, report: Report, request: HttpRequest) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        report = selectors.report_get_for(user=request.user, pemda=self.pemda, pk=kwargs["pk"])
        try:
            self.act(report, request)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, self.success_message)
        return redirect(self.next_url(report))

    def next_url(self, report: Report) -> str:
        return reverse("reports:detail", kwargs={"pemda": self.pemda.slug, "pk": report.pk})

    def handler_from(self, report: Report, request: HttpRequest) -> Any:
        handlers = list(selectors.handlers_for(report))
        form = HandlerChoiceForm(request.POST, handlers=handlers)
        if not form.is_valid():
            raise DomainError(_("Choose a handler."))
        return next(h for h in handlers if str(h.pk) == form.cleaned_data["handler"])


class ReportTransitionView(_ReportActionView):
    def act(self, report: Report, request: HttpRequest) -> None:
        form = TransitionForm(request.POST, report=report)
        if not form.is_valid():
            raise DomainError(_("Choose the next stage."))
        services.report_transition(
            report=report,
            to_stage=form.cleaned_data["stage"],
            acting_user=request.user,
            private_key=_private_key(request),
        )
        self.success_message = _("The case has moved to the next stage.")


class ReportAssignView(_ReportActionView):
    def act(self, report: Report, request: HttpRequest) -> None:
        services.report_assign(
            report=report,
            to_user=self.handler_from(report, request),
            acting_user=request.user,
            private_key=_private_key(request),
        )
        self.success_message = _("The case has been assigned.")


class ReportShareView(_ReportActionView):
    def act(self, report: Report, request: HttpRequest) -> None:
        services.report_share(
            report=report,
            to_user=self.handler_from(report, request),
            acting_user=request.user,
            private_key=_private_key(request),
        )
        self.success_message = _("The report has been shared with the handler.")


class ReportRecuseView(_ReportActionView):
    def act(self, report: Report, request: HttpRequest) -> None:
        services.report_recuse(
            report=report, acting_user=request.user, private_key=_private_key(request)
        )
        self.success_message = _("You have withdrawn from this report.")
        self.recused = True

    def next_url(self, report: Report) -> str:
        if getattr(self, "recused", False):
            return reverse("reports:list", kwargs={"pemda": self.pemda.slug})
        return super().next_url(report)


class ReportMessageView(_ReportActionView):
    def act(self, report: Report, request: HttpRequest) -> None:
        if getattr(request, "pakta_upload_too_large", False):
            raise DomainError(_("The files are too large to be sent at once."))
        form = HandlerMessageForm(request.POST, request.FILES)
        if not form.is_valid():
            # The field's own message (too long, a file refused), else "write something".
            errors = [str(e) for field in form for e in field.errors]
            raise DomainError(" ".join(errors) or _("Write a message or attach a file."))
        message = services.report_message_add(
            report=report,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
            uploads=form.cleaned_data["evidence"],
            acting_user=request.user,
            private_key=_private_key(request),
        )
        self.success_message = (
            _("The note has been added.")
            if message.kind == "note"
            else _("The message has been sent to the reporter.")
        )


class ReportLinkView(_ReportActionView):
    def act(self, report: Report, request: HttpRequest) -> None:
        from pakta.pacts.selectors import template_list_for

        templates = list(template_list_for(pemda=self.pemda))
        form = LinkForm(request.POST, templates=templates)
        if not form.is_valid():
            raise DomainError(_("Check the official's NIP and the clause number."))
        official = None
        if form.cleaned_data["official_nip"].strip():
            official = official_get_by_nip(pemda=self.pemda, nip=form.cleaned_data["official_nip"])
        template = next((t for t in templates if str(t.pk) == form.cleaned_data["template"]), None)
        services.report_link(
            report=report,
            acting_user=request.user,
            private_key=_private_key(request),
            official=official,
            template=template,
            clause=form.cleaned_data["clause"],
        )
        self.success_message = _("The links of the case have been saved.")


class AttachmentDownloadView(PemdaPermissionMixin, View):
    permission = "reports.handle"
    model = ReportAttachment

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        attachment = selectors.attachment_get_for(
            user=request.user, pemda=self.pemda, pk=kwargs["pk"]
        )
        try:
            meta, data = services.report_attachment_read(
                attachment=attachment,
                user=request.user,
                private_key=_private_key(request),
                original=request.GET.get("original") == "1",
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("reports:detail", pemda=self.pemda.slug, pk=attachment.report_id)
        return download_response(data, meta["name"], meta["content_type"])


class StatisticsView(PemdaPermissionMixin, TemplateView):
    permission = "reports.stats"
    template_name = "reports/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tables"] = selectors.report_statistics(pemda=self.pemda)
        context["hide_case_links"] = not has_permission(
            self.request.user, self.pemda, "reports.handle"
        )
        context["k"] = selectors.K_THRESHOLD
        return context


# --- Handler keys ---------------------------------------------------------------------------------


class HandlerKeyView(PemdaPermissionMixin, View):
    """Enrol a report key, or unlock it for this session with the password."""

    permission = "reports.handle"

    def context(self, request: HttpRequest, **extra: Any) -> dict[str, Any]:
        return {
            "pemda": self.pemda,
            "handler_key": keys.handler_key_of(request.user),
            "unlocked": _private_key(request) is not None,
            "needs_recovery": keys.handler_session_needs_recovery(request),
            "form": PasswordConfirmForm(),
            **extra,
        }

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return render(request, "reports/handler_key.html", self.context(request))

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = PasswordConfirmForm(request.POST)
        if not form.is_valid():
            return render(request, "reports/handler_key.html", self.context(request, form=form))
        password = form.cleaned_data["password"]
        existing = keys.handler_key_of(request.user)
        response = render(request, "reports/handler_key.html", self.context(request, form=form))
        if existing is None:
            try:
                key, code, private = keys.handler_key_enrol(user=request.user, password=password)
            except DomainError as error:
                form.add_error("password", str(error))
                return render(request, "reports/handler_key.html", self.context(request, form=form))
            response = render(
                request,
                "reports/handler_key.html",
                self.context(request, handler_key=key, unlocked=True, recovery_code=code),
            )
            keys.handler_session_store(request, response, private)
            return response
        try:
            password_right = password_check(
                user=request.user, password=password, purpose="report-key", request=request
            )
        except LockedOutError as error:
            form.add_error("password", str(error))
            return render(request, "reports/handler_key.html", self.context(request, form=form))
        if not password_right:
            form.add_error("password", _("The password is wrong."))
            return render(request, "reports/handler_key.html", self.context(request, form=form))
        if not keys.handler_session_unlock(
            request=request, response=response, user=request.user, password=password
        ):
            form.add_error(
                "password",
                _("The password does not open your key. If it was reset, use your recovery key."),
            )
            return render(request, "reports/handler_key.html", self.context(request, form=form))
        messages.success(request, _("Your report key is unlocked for this session."))
        redirect_response = redirect("reports:list", pemda=self.pemda.slug)
        for name, morsel in response.cookies.items():
            redirect_response.cookies[name] = morsel
        return redirect_response


class HandlerKeyRecoverView(PemdaPermissionMixin, View):
    permission = "reports.handle"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            "reports/handler_key_recover.html",
            {"pemda": self.pemda, "form": RecoveryForm()},
        )

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = RecoveryForm(request.POST)
        context: dict[str, Any] = {"pemda": self.pemda, "form": form}
        if form.is_valid():
            try:
                code, private = keys.handler_key_recover(
                    user=request.user,
                    recovery_code=form.cleaned_data["recovery_code"],
                    password=form.cleaned_data["password"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                context.update(recovery_code=code, form=RecoveryForm())
                response = render(request, "reports/handler_key_recover.html", context)
                keys.handler_session_store(request, response, private)
                return response
        return render(request, "reports/handler_key_recover.html", context)


class EscrowView(PemdaPermissionMixin, View):
    """The Pemda's escrow key: off by default; turning it on shows its private key once."""

    permission = "reports.escrow"

    def context(self, **extra: Any) -> dict[str, Any]:
        handlers = [k.user for k in services.handler_keys_of(self.pemda).select_related("user")]
        return {
            "pemda": self.pemda,
            "escrow": keys.escrow_active(self.pemda),
            "escrow_request": account_selectors.escrow_request_of(
                user=self.request.user, pemda=self.pemda
            ),
            "recover_form": EscrowRecoverForm(handlers=handlers),
            **extra,
        }

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return render(request, "reports/escrow.html", self.context())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action", "")
        extra: dict[str, Any] = {}
        try:
            if action == "request":
                account_services.role_request_create(
                    user=request.user,  # type: ignore[arg-type]  # logged in (the mixin)
                    pemda=self.pemda,
                    role=ESCROW_HOLDER,
                    acting_user=request.user,
                )
                extra["message"] = _(
                    "Asked: the head of the Inspektorat or the superadmin decides, and the "
                    "Inspektorat handlers are told. Once approved, you can turn the key on here."
                )
            elif action == "enable":
                _escrow, code = keys.escrow_enable(pemda=self.pemda, acting_user=request.user)
                extra["escrow_code"] = code
            elif action == "disable":
                keys.escrow_disable(pemda=self.pemda, acting_user=request.user)
                extra["message"] = _("The escrow key is off: new reports are not sealed to it.")
            elif action == "recover":
                handlers = [
                    k.user for k in services.handler_keys_of(self.pemda).select_related("user")
                ]
                form = EscrowRecoverForm(request.POST, handlers=handlers)
                if not form.is_valid():
                    raise DomainError(_("Give the escrow key and choose a handler."))
                to_user = next(h for h in handlers if str(h.pk) == form.cleaned_data["handler"])
                count = keys.escrow_recover(
                    pemda=self.pemda,
                    escrow_code=form.cleaned_data["escrow_code"],
                    to_user=to_user,
                    acting_user=request.user,
                )
                extra["message"] = _("%(count)d reports were shared with the handler.") % {
                    "count": count
                }
            else:
                raise DomainError(_("Choose an action."))
        except DomainError as error:
            extra["error"] = str(error)
        return render(request, "reports/escrow.html", self.context(**extra))
