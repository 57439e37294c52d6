"""Staff pages of integrity pacts: templates, signing events, the live board, the signer's inbox,
the sign page, the ceremony kiosk and the pact register. Thin: a permission, a form, a service.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from pakta.core.downloads import download_response
from pakta.core.errors import DomainError
from pakta.core.forms import ServiceFormView
from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.permissions import has_permission
from pakta.pacts import selectors, services
from pakta.pacts.forms import (
    EventForm,
    ExcuseForm,
    PactFilterForm,
    ParticipantFilterForm,
    SignForm,
    TemplateForm,
    WithdrawForm,
    WitnessForm,
    clauses_text,
)
from pakta.pacts.models import Pact, PactTemplate, SigningEvent
from pakta.pacts.rendering import logo_data_uri, qr_svg_data_uri, render_pdf, tanggal_id
from pakta.performance.models import PerformanceAgreement
from pakta.performance.selectors import agreements_to_review
from pakta.performance.todo import agreements_to_sign
from pakta.signing.draft import with_draft_mark
from pakta.signing.models import PendingSignature, Signature, SignedDocument
from pakta.signing.selectors import documents_with_state
from pakta.signing.services import document_pdf_for_reader, signed_document_withdraw

PDF = "application/pdf"


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    return download_response(content, filename, PDF, inline=inline)


def verification_link(document: SignedDocument | None) -> str:
    """The public verification page of a document, once the portal serves it."""
    if document is None:
        return ""
    try:
        return reverse("portal:verify", kwargs={"token": document.token})
    except NoReverseMatch:
        return ""


def pact_clauses(pact: Pact) -> list[str]:
    """The commitments as the document states them ({instansi} filled in)."""
    instansi = pact.unit.name if pact.unit else pact.pemda.name
    return [c.replace("{instansi}", instansi) for c in pact.template.clauses]


def signed_time(value: Any) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


# --- Templates --------------------------------------------------------------------------------


class TemplateListView(PemdaPermissionMixin, ListView):
    permission = "pacts.view"
    template_name = "pacts/template_list.html"
    context_object_name = "templates"

    def get_queryset(self) -> Any:
        return selectors.template_list_for(pemda=self.pemda)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = has_permission(self.request.user, self.pemda, "pacts.manage")
        return context


class TemplateDetailView(PemdaPermissionMixin, TemplateView):
    permission = "pacts.view"
    template_name = "pacts/template_detail.html"
    model = PactTemplate

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["template"] = selectors.template_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        context["can_manage"] = has_permission(self.request.user, self.pemda, "pacts.manage")
        return context


class TemplateCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "pacts.manage"
    form_class = TemplateForm
    template_name = "pacts/template_form.html"
    title = _("New template version")
    success_message = _("The draft has been created. Publish it when the text is final.")

    def perform(self, form: TemplateForm) -> PactTemplate:
        return services.template_create(
            pemda=self.pemda, acting_user=self.request.user, **form.cleaned_data
        )


class TemplateUpdateView(PemdaPermissionMixin, ServiceFormView):
    permission = "pacts.manage"
    form_class = TemplateForm
    template_name = "pacts/template_form.html"
    title = _("Edit draft")
    success_message = _("The draft has been saved.")
    model = PactTemplate

    def get_object(self) -> PactTemplate:
        if not hasattr(self, "object"):
            self.object = selectors.template_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        return self.object

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        template = self.get_object()
        if template.is_published:
            messages.info(
                request,
                gettext("A published version cannot be changed; create a new version instead."),
            )
            return redirect(template.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        template = self.get_object()
        return {
            "name": template.name,
            "title": template.title,
            "opening": template.opening,
            "statement": template.statement,
            "clauses": clauses_text(template.clauses),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["template"] = self.get_object()
        return context

    def perform(self, form: TemplateForm) -> PactTemplate:
        return services.template_update(
            template=self.get_object(), acting_user=self.request.user, **form.cleaned_data
        )


class TemplatePublishView(PemdaPermissionMixin, View):
    permission = "pacts.manage"
    model = PactTemplate

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        template = selectors.template_get_for(pemda=self.pemda, pk=pk)
        try:
            services.template_publish(template=template, acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("Version %(version)s is published and can no longer be changed.")
                % {"version": template.version},
            )
        return redirect(template.get_absolute_url())


class TemplateNewVersionView(PemdaPermissionMixin, View):
    permission = "pacts.manage"
    model = PactTemplate

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        template = selectors.template_get_for(pemda=self.pemda, pk=pk)
        draft = services.template_new_version(template=template, acting_user=request.user)
        messages.success(
            request,
            gettext(
                "Version %(version)s has been created as a draft. Pacts already signed keep "
                "their own text."
            )
            % {"version": draft.version},
        )
        return redirect("pacts:template_update", pemda=self.pemda.slug, pk=draft.pk)


def preview_pdf(template: PactTemplate) -> bytes:
    """The template rendered as a pact of a sample official, with the same document template."""
    pemda = template.pemda
    official = SimpleNamespace(
        full_name="Nama Pejabat, S.H., M.Si.", nip="198001012005011001", golongan="Pembina (IV/a)"
    )
    witness = SimpleNamespace(
        full_name="Nama Atasan Langsung, S.E., M.M.", nip="197501012000031001"
    )
    instansi = "Dinas Contoh"
    context = {
        "title": f"{template} (pratinjau)",
        "pemda": pemda,
        "logo": logo_data_uri(pemda),
        "template": template,
        "clauses": [c.replace("{instansi}", instansi) for c in template.clauses],
        "official": official,
        "position_title": "Kepala Dinas Contoh",
        "unit_name": instansi,
        "witness": witness,
        "witness_title": "Sekretaris Daerah",
        "place": pemda.seat or pemda.name,
        "date_text": tanggal_id(timezone.localdate()),
        "qr": qr_svg_data_uri("PRATINJAU"),
        "verify_url": "(pratinjau: belum ditandatangani)",
        "short_code": "PRATINJAU",
    }
    return render_pdf("pacts/documents/pact.html", context)


class TemplatePreviewView(PemdaPermissionMixin, View):
    """A PDF preview of a template version with a sample official; nothing is stored."""

    permission = "pacts.view"
    model = PactTemplate

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        template = selectors.template_get_for(pemda=self.pemda, pk=pk)
        return pdf_response(
            with_draft_mark(preview_pdf(template)),
            f"pratinjau-pakta-v{template.version}.pdf",
            inline=True,
        )


# --- Signing events ---------------------------------------------------------------------------


class EventListView(PemdaPermissionMixin, ListView):
    permission = "pacts.view"
    template_name = "pacts/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return selectors.event_list_for(pemda=self.pemda)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = has_permission(self.request.user, self.pemda, "pacts.manage")
        return context


class EventCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "pacts.manage"
    form_class = EventForm
    title = _("New signing event")
    success_message = _("The event has been created. Add the participants and witnesses.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "pemda": self.pemda}

    def get_form(self, form_class: Any = None) -> EventForm:
        form: EventForm = super().get_form(form_class)
        template = form.fields["template"]
        if not template.queryset.exists():  # type: ignore[attr-defined]
            template.help_text = _("No version is published yet: publish a template first.")
        return form

    def perform(self, form: EventForm) -> SigningEvent:
        return services.event_create(
            pemda=self.pemda, acting_user=self.request.user, **form.cleaned_data
        )


class EventDetailView(PemdaPermissionMixin, TemplateView):
    permission = "pacts.view"
    template_name = "pacts/event_detail.html"
    model = SigningEvent

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event = selectors.event_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        can_manage = has_permission(self.request.user, self.pemda, "pacts.manage")
        context.update(
            event=event,
            can_manage=can_manage,
            counts=selectors.event_counts(event=event, scope=self.unit_scope),
            pacts=selectors.pact_list_for(pemda=self.pemda, event=event, scope=self.unit_scope),
            witnesses=event.witnesses.select_related("official"),
            today=timezone.localdate(),
        )
        if can_manage:
            context["participant_form"] = ParticipantFilterForm(pemda=self.pemda)
            context["witness_form"] = WitnessForm(pemda=self.pemda)
        return context


class EventActionView(PemdaPermissionMixin, View):
    """A POST on an event that calls one service and returns to the event's page."""

    permission = "pacts.manage"
    model = SigningEvent

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        event = selectors.event_get_for(pemda=self.pemda, pk=pk)
        try:
            self.act(event)
        except DomainError as error:
            messages.error(request, str(error))
        return redirect(event.get_absolute_url())

    def act(self, event: SigningEvent) -> None:
        raise NotImplementedError


class EventOpenView(EventActionView):
    def act(self, event: SigningEvent) -> None:
        services.event_open(event=event, acting_user=self.request.user)
        messages.success(self.request, gettext("The event is open: participants can sign."))


class EventCloseView(EventActionView):
    def act(self, event: SigningEvent) -> None:
        services.event_close(event=event, acting_user=self.request.user)
        messages.success(self.request, gettext("The event is closed."))


def form_errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


class EventParticipantsView(EventActionView):
    def act(self, event: SigningEvent) -> None:
        form = ParticipantFilterForm(self.request.POST, pemda=self.pemda)
        if not form.is_valid():
            raise DomainError(form_errors(form))
        officials, unknown = selectors.participants_by_filter(
            pemda=self.pemda,
            kind=form.cleaned_data["kind"],
            unit=form.cleaned_data["unit"],
            nips=form.cleaned_data["nip_list"],
        )
        added = services.event_add_participants(
            event=event, officials=officials, acting_user=self.request.user
        )
        if added:
            messages.success(
                self.request,
                gettext("%(count)d participants have been added.") % {"count": len(added)},
            )
        else:
            messages.info(
                self.request,
                gettext("No one was added: the filter found no official who is not invited yet."),
            )
        if unknown:
            messages.warning(
                self.request,
                gettext("These NIPs match no official of this Pemda: %(nips)s.")
                % {"nips": ", ".join(unknown)},
            )


class EventWitnessView(EventActionView):
    def act(self, event: SigningEvent) -> None:
        form = WitnessForm(self.request.POST, pemda=self.pemda)
        if not form.is_valid():
            raise DomainError(form_errors(form))
        witness = services.event_add_witness(
            event=event,
            acting_user=self.request.user,
            official=form.cleaned_data["nip"],
            name=form.cleaned_data["name"],
            organisation=form.cleaned_data["organisation"],
            email=form.cleaned_data["email"],
        )
        messages.success(
            self.request, gettext("%(name)s has been added as a witness.") % {"name": witness.name}
        )


class EventBoardView(PemdaPermissionMixin, TemplateView):
    """Who has signed, who has not and who is excused; HTMX refreshes the board every 3 s."""

    permission = "pacts.view"
    template_name = "pacts/event_board.html"
    model = SigningEvent

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["pacts/_event_board.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event = selectors.event_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        context.update(
            event=event,
            counts=selectors.event_counts(event=event, scope=self.unit_scope),
            pacts=selectors.pact_list_for(pemda=self.pemda, event=event, scope=self.unit_scope),
            now=timezone.now(),
        )
        return context


def pending_message(name: str) -> str:
    return gettext(
        "The consent of %(name)s is recorded; the signature will be applied as soon as the "
        "timestamp authority answers."
    ) % {"name": name}


class PactExcuseView(PemdaPermissionMixin, View):
    permission = "pacts.manage"
    model = Pact

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        pact = selectors.pact_get_for(pemda=self.pemda, pk=pk)
        form = ExcuseForm(request.POST)
        try:
            if not form.is_valid():
                raise DomainError(form_errors(form))
            services.pact_excuse(
                pact=pact, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("%(name)s is excused.") % {"name": pact.official.full_name},
            )
        target = pact.event.get_absolute_url() if pact.event else pact.get_absolute_url()
        return redirect(target)


class PactWithdrawView(PemdaPermissionMixin, View):
    """Withdraw a pact's signed document issued by mistake; every check then says so."""

    permission = "pacts.manage"
    model = Pact

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        pact = selectors.pact_get_for(pemda=self.pemda, pk=pk)
        form = WithdrawForm(request.POST)
        try:
            if not form.is_valid():
                raise DomainError(form_errors(form))
            if pact.document is None:
                raise DomainError(gettext("This pact has no document to withdraw."))
            signed_document_withdraw(
                document=pact.document, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("The document has been withdrawn."))
        return redirect(pact.get_absolute_url())


# --- Pacts ------------------------------------------------------------------------------------


class PactListView(PemdaPermissionMixin, TemplateView):
    permission = "pacts.view"
    template_name = "pacts/pact_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        units = selectors.top_units_for(pemda=self.pemda, scope=self.unit_scope)
        form = PactFilterForm(self.request.GET or None, units=units, pemda=self.pemda)
        filters: dict[str, Any] = {}
        if form.is_valid():
            data = form.cleaned_data
            filters = {
                "year": data["year"],
                "status": data["status"],
                "unit": data["unit"],
                "overdue": data["overdue"],
            }
        pacts = selectors.pact_list_for(pemda=self.pemda, scope=self.unit_scope, **filters)
        # The keys of the units the page falls in sorted, then the page's 50 rows read (60,000
        # joined rows sorted: 190 ms on PostgreSQL at the largest Pemda).
        page = selectors.pact_list_page(pacts, number=self.request.GET.get("page"))
        rows = list(page.object_list)
        documents_with_state(p.document for p in rows)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page_obj=page,
            pacts=rows,
            today=timezone.localdate(),
            query=query.urlencode(),
            can_manage=has_permission(self.request.user, self.pemda, "pacts.manage"),
        )
        return context


class PactDetailView(PemdaPermissionMixin, TemplateView):
    permission = "pacts.view"
    template_name = "pacts/pact_detail.html"
    model = Pact

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pact = selectors.pact_get_for(pemda=self.pemda, pk=self.kwargs["pk"], scope=self.unit_scope)
        context.update(
            pact=pact,
            # The ceremony's witnesses ("Saksi"); pact.witness countersigns ("Mengetahui").
            event_witnesses=list(pact.event.witnesses.all()) if pact.event else [],
            clauses=pact_clauses(pact),
            signatures=selectors.pact_signatures(pact=pact),
            verify_url=verification_link(pact.document),
            today=timezone.localdate(),
            can_manage=has_permission(self.request.user, self.pemda, "pacts.manage"),
            excuse_form=ExcuseForm(),
            withdraw_form=WithdrawForm(),
        )
        return context


class PersonalPactMixin(PemdaPermissionMixin):
    """A pact seen by the people named on it: its signer and its witness.

    Holders of ``object_permission`` (within their unit scope) may see it too; anyone else gets
    404, as if the pact did not exist. The permission matrix reads ``object_permission``.
    """

    permission = "pacts.sign"
    object_permission = "pacts.view"
    model = Pact

    def get_pact(self) -> tuple[Pact, str]:
        """The pact and the user's part in it: ``signer``, ``witness`` or ``viewer``."""
        if not hasattr(self, "_pact"):
            self._pact = selectors.pact_personal_get(
                user=self.request.user,
                pemda=self.pemda,
                pk=self.kwargs["pk"],
                object_permission=self.object_permission,
            )
        return self._pact


class PactDownloadView(PersonalPactMixin, View):
    """The pact's current PDF (with every signature so far)."""

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        pact, _part = self.get_pact()
        document = services.pact_document(pact=pact, acting_user=request.user)
        content = document_pdf_for_reader(document)
        return pdf_response(content, f"pakta-integritas-{pact.year}-{pact.official.nip}.pdf")


class InboxView(PemdaPermissionMixin, TemplateView):
    """Pacts waiting for the user's signature, and for their countersignature as witness."""

    permission = "pacts.sign"
    template_name = "pacts/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            to_sign=selectors.pacts_to_sign_for(user=user).filter(pemda=self.pemda),
            to_witness=selectors.pacts_to_witness_for(user=user).filter(pemda=self.pemda),
            # The Perjanjian Kinerja waiting for the user's signature or countersignature.
            agreements_to_sign=agreements_to_sign(user=user, pemda=self.pemda),
            agreements_to_countersign=agreements_to_review(user=user, pemda=self.pemda).filter(
                status=PerformanceAgreement.Status.APPROVED
            ),
            has_official=bool(getattr(user, "official_id", None)),
            today=timezone.localdate(),
        )
        return context


class PactSignView(PersonalPactMixin, FormView):
    """Read the pact, tick the consent box, re-authenticate, sign (or countersign as witness)."""

    template_name = "pacts/pact_sign.html"
    form_class = SignForm

    def get_form(self, form_class: Any = None) -> SignForm:
        form = super().get_form(form_class)
        pact, part = self.get_pact()
        if part == "witness":
            # The witness attests the official's signature; the commitments are the official's.
            form.fields["agree"].label = gettext(
                "I have read the pact and witness that %(name)s signed it."
            ) % {"name": pact.official.full_name}
            form.fields["agree"].error_messages["required"] = gettext(
                "Tick the box to confirm that you witness the signature."
            )
        return form

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pact, part = self.get_pact()
        if part == "viewer":
            return redirect(pact.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pact, part = self.get_pact()
        if part == "viewer":
            return redirect(pact.get_absolute_url())
        if "retry" in request.POST:
            try:
                services.pact_sign_retry(pact=pact, part=part, acting_user=request.user)
            except DomainError as error:
                messages.error(request, str(error))
            return redirect("pacts:pact_sign", pemda=self.pemda.slug, pk=pact.pk)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pact, part = self.get_pact()
        signatures = list(selectors.pact_signatures(pact=pact))
        # The user is the pact's official or its witness (viewers were sent to the detail page).
        me, role = (
            (pact.official_id, Signature.Role.SIGNER)
            if part == "signer"
            else (pact.witness_id, Signature.Role.WITNESS)
        )
        mine = [s for s in signatures if s.official_id == me and s.role == role]
        # The service's own guard decides; its refusal is what the page says instead of the form.
        check = services.pact_sign_check if part == "signer" else services.pact_witness_sign_check
        try:
            check(pact)
            waiting = ""
        except DomainError as error:
            waiting = str(error)
        ready = Pact.Status.PENDING if part == "signer" else Pact.Status.SIGNED
        # The user's consented signature not applied yet: being signed by the worker,
        # waiting for the timestamp authority, or failed (the page offers to try again).
        pending = (
            pact.document.pending.filter(official_id=me, role=role).first()
            if pact.document is not None and me is not None
            else None
        )
        in_hand = pending is not None and pending.state != PendingSignature.State.TIMESTAMP
        can_act = not waiting and pact.status == ready and not in_hand
        context.update(
            pact=pact,
            part=part,
            clauses=pact_clauses(pact),
            signatures=signatures,
            my_signature=mine[0] if mine else None,
            can_act=can_act and not mine,
            waiting=waiting,
            pending=pending,
            verify_url=verification_link(pact.document),
            today=timezone.localdate(),
        )
        return context

    def form_valid(self, form: SignForm) -> HttpResponse:
        pact, part = self.get_pact()
        action = services.pact_sign if part == "signer" else services.pact_witness_sign
        try:
            result = action(
                pact=pact, acting_user=self.request.user, credential=form.cleaned_data["credential"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if isinstance(result, PendingSignature):
            # Being signed by the worker: the page says so and refreshes until it is done.
            if result.state == PendingSignature.State.TIMESTAMP:
                messages.info(self.request, pending_message(pact.official.full_name))
        else:
            text = (
                gettext("You signed the pact at %(time)s.")
                if part == "signer"
                else gettext("You countersigned the pact as witness at %(time)s.")
            )
            messages.success(self.request, text % {"time": signed_time(result.signed_at)})
        return redirect("pacts:pact_sign", pemda=self.pemda.slug, pk=pact.pk)
