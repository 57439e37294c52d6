"""Staff pages for official letters: upload and sign a letter, see it, download it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from pakta.core.documents import document_read
from pakta.core.downloads import PDF, download_response
from pakta.core.errors import DomainError
from pakta.core.mixins import PemdaPermissionMixin
from pakta.signing import letters
from pakta.signing.models import SignedDocument, documents_with_state


class LetterSignForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        help_text=gettext_lazy("e.g. Surat Edaran Nomor 700/123/2026 tentang Gratifikasi"),
    )
    file = forms.FileField(
        label=gettext_lazy("Letter (PDF, unsigned)"),
        help_text=gettext_lazy(
            "At most %(mb)d MB. A verification QR code and code are added at the bottom left "
            "of the last page; leave that corner free."
        )
        % {"mb": letters.PDF_MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    credential = forms.CharField(
        label=gettext_lazy("Your password (or authenticator code) to confirm the signature"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > letters.PDF_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(mb)d MB.")
                % {"mb": letters.PDF_MAX_BYTES // (1024 * 1024)}
            )
        content: bytes = upload.read()
        try:
            letters.pdf_check_upload(content)
        except DomainError as error:
            raise forms.ValidationError(str(error)) from None
        return content


class LetterListView(PemdaPermissionMixin, FormView):
    """The Pemda's signed letters, and the form to sign a new one as oneself."""

    permission = "signing.sign_letter"
    template_name = "signing/letter_list.html"
    form_class = LetterSignForm
    page_size = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        paginator = Paginator(letters.letter_list_for(pemda=self.pemda), self.page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        page.object_list = list(page.object_list)
        documents_with_state(page.object_list)
        context["page"] = page
        context["can_sign"] = bool(getattr(self.request.user, "official_id", None))
        return context

    def form_valid(self, form: LetterSignForm) -> HttpResponse:
        user: Any = self.request.user
        if user.official is None:
            form.add_error(
                None,
                _(
                    "Your account is not linked to an official, so it cannot sign. Ask the "
                    "administrator to link it."
                ),
            )
            return self.form_invalid(form)
        try:
            document = letters.letter_sign(
                pemda=self.pemda,
                pdf=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                official=user.official,
                acting_user=user,
                credential=form.cleaned_data["credential"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if document.status == SignedDocument.Status.PENDING_TIMESTAMP:
            messages.warning(
                self.request,
                _(
                    "The timestamp authority did not answer: the signature will be added as soon "
                    "as it does."
                ),
            )
        else:
            messages.success(self.request, _("The letter has been signed."))
        return redirect("letters:letter_detail", pemda=self.pemda.slug, pk=document.pk)


class LetterDetailView(PemdaPermissionMixin, TemplateView):
    permission = "signing.sign_letter"
    model = SignedDocument
    template_name = "signing/letter_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        letter = letters.letter_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        context["letter"] = letter
        context["signatures"] = list(letter.signatures.all())
        context["verification_url"] = settings.SITE_URL.rstrip("/") + letter.get_verification_url()
        return context


class LetterDownloadView(PemdaPermissionMixin, View):
    permission = "signing.sign_letter"
    model = SignedDocument

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        letter = letters.letter_get_for(pemda=self.pemda, pk=kwargs["pk"])
        if letter.pdf is None:
            raise DomainError(_("This letter has no PDF yet."))
        return download_response(document_read(letter.pdf), f"surat-{letter.short_code}.pdf", PDF)
