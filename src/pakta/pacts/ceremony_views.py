"""Pages of the ceremony record: the record page (sign as leader or internal witness, send the
links of external witnesses), its PDF, and the public page an external witness signs on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from pakta.core.downloads import download_response
from pakta.core.errors import DomainError
from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.permissions import has_permission
from pakta.pacts import ceremony, selectors
from pakta.pacts.forms import SignForm
from pakta.pacts.models import EventWitness, SigningEvent, WitnessLink
from pakta.signing.services import document_pdf_for_reader

PDF = "application/pdf"


class RecordSignForm(SignForm):
    agree = forms.BooleanField(
        label=_("I have read the ceremony record and confirm that it is true."),
        error_messages={"required": _("Tick the box to confirm that you have read the record.")},
    )


class WitnessEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the witness"),
        required=False,
        error_messages={"invalid": _("Enter a valid e-mail address, such as nama@kejari.go.id.")},
    )


class WitnessCodeForm(forms.Form):
    code = forms.CharField(
        label=_("One-time code from the e-mail"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )
    agree = forms.BooleanField(
        label=_("I witnessed this ceremony and confirm that the record is true."),
        error_messages={"required": _("Tick the box to confirm that you witnessed the ceremony.")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Enter the 6-digit code from the e-mail."))
        return code


def record_event(pemda: Any, user: Any, pk: int) -> tuple[SigningEvent, bool]:
    """The event and whether the user may manage it; 404 unless the user is the leader, a
    witness, or may see the event's pacts."""
    event = selectors.event_get_for(pemda=pemda, pk=pk)
    can_view = has_permission(user, pemda, "pacts.view")
    if not can_view and ceremony.record_part_of(event=event, user=user) is None:
        raise Http404
    return event, has_permission(user, pemda, "pacts.manage")


class EventRecordView(PemdaPermissionMixin, FormView):
    """The Berita Acara: who signs it, with their signatures; the form for the user's own."""

    permission = "pacts.sign"
    object_permission = "pacts.view"
    model = SigningEvent
    template_name = "pacts/event_record.html"
    form_class = RecordSignForm

    def get_event(self) -> tuple[SigningEvent, bool]:
        if not hasattr(self, "_event"):
            self._event = record_event(self.pemda, self.request.user, self.kwargs["pk"])
        return self._event

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event, can_manage = self.get_event()
        me = ceremony.record_part_of(event=event, user=self.request.user)
        context.update(
            event=event,
            record=event.record,
            signers=ceremony.record_signers(event),
            me=me,
            can_sign=me is not None and me.signature is None and event.record is not None,
            can_manage=can_manage,
            email_form=WitnessEmailForm(),
        )
        return context

    def form_valid(self, form: RecordSignForm) -> HttpResponse:
        event, _manage = self.get_event()
        try:
            signature = ceremony.record_sign(
                event=event,
                acting_user=self.request.user,
                credential=form.cleaned_data["credential"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        from pakta.pacts.views import signed_time

        messages.success(
            self.request,
            gettext("You signed the ceremony record at %(time)s.")
            % {"time": signed_time(signature.signed_at)},
        )
        return redirect("pacts:event_record", pemda=self.pemda.slug, pk=event.pk)


class EventRecordPdfView(PemdaPermissionMixin, View):
    permission = "pacts.sign"
    object_permission = "pacts.view"
    model = SigningEvent

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        event, _manage = record_event(self.pemda, request.user, pk)
        if event.record is None:  # made when the event closes
            return redirect("pacts:event_record", pemda=self.pemda.slug, pk=event.pk)
        content = document_pdf_for_reader(event.record)
        return download_response(content, f"berita-acara-{event.pk}.pdf", PDF)


class WitnessLinkSendView(PemdaPermissionMixin, View):
    """(Re)send an external witness the one-time link, to the address given or on record."""

    permission = "pacts.manage"
    model = EventWitness

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        witness = selectors.witness_get_for(pemda=self.pemda, pk=pk)
        form = WitnessEmailForm(request.POST)
        try:
            if not form.is_valid():
                raise DomainError(
                    " ".join(str(e) for errors in form.errors.values() for e in errors)
                )
            ceremony.witness_link_send(
                witness=witness, acting_user=request.user, email=form.cleaned_data["email"]
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("The signing link has been sent to %(email)s.") % {"email": witness.email},
            )
        return redirect("pacts:event_record", pemda=self.pemda.slug, pk=witness.event_id)


# --- The external witness's public page ---------------------------------------------------------


class WitnessSignView(View):
    """/saksi/<token>/: read the record, ask for a code, sign. No login, no session."""

    template_name = "pacts/witness_sign.html"

    def _page(
        self, request: HttpRequest, token: str, *, form: Any = None, error: str = "", **extra: Any
    ) -> HttpResponse:
        try:
            link: WitnessLink | None = ceremony.witness_link_get(token)
        except DomainError as refused:
            return render(
                request, self.template_name, {"refused": str(refused), "link": None}, status=410
            )
        assert link is not None
        event = link.witness.event
        context = {
            "link": link,
            "witness": link.witness,
            "event": event,
            "pemda": event.pemda,
            "token": token,
            "form": form or WitnessCodeForm(),
            "error": error,
            "code_sent": bool(link.code_hash),
            **extra,
        }
        return render(request, self.template_name, context, status=400 if error else 200)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self._page(request, token)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        if request.POST.get("action") == "code":
            try:
                ceremony.witness_code_send(token=token)
            except DomainError as error:
                return self._page(request, token, error=str(error))
            return self._page(request, token, notice=gettext("A code has been sent."))
        form = WitnessCodeForm(request.POST)
        if not form.is_valid():
            return self._page(
                request, token, form=form, error=gettext("The record was not signed.")
            )
        try:
            signature = ceremony.witness_external_sign(token=token, code=form.cleaned_data["code"])
        except DomainError as error:
            return self._page(request, token, form=form, error=str(error))
        return render(
            request,
            self.template_name,
            {"done": signature, "link": None, "pemda": signature.document.pemda},
        )


class WitnessRecordPdfView(View):
    """The record as it stands, for the witness to read before signing (valid links only)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            link = ceremony.witness_link_get(token)
        except DomainError:
            raise Http404 from None
        record = link.witness.event.record
        if record is None:
            raise Http404
        return download_response(
            document_pdf_for_reader(record), "berita-acara.pdf", PDF, inline=True
        )
