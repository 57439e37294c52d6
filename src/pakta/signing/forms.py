"""Forms of the signing-identity pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext_lazy as _

from pakta.core.errors import DomainError
from pakta.org.models import Official, Pemda
from pakta.org.selectors import official_get_by_nip
from pakta.signing.letters import PDF_MAX_BYTES, pdf_check_upload

MAX_PKCS12_BYTES = 256 * 1024


class OfficialNipForm(forms.Form):
    nip = forms.CharField(label=_("NIP of the official"), max_length=30)

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pemda = pemda

    def clean_nip(self) -> Official:
        try:
            return official_get_by_nip(pemda=self.pemda, nip=self.cleaned_data["nip"])
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error


class IdentityImportForm(OfficialNipForm):
    file = forms.FileField(
        label=_("PKCS#12 file (.p12 or .pfx)"),
        help_text=_("For example a certificate issued by BSrE; it must carry the official's NIP."),
    )
    password = forms.CharField(
        label=_("Password of the file"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PKCS12_BYTES:
            raise forms.ValidationError(_("This file is too large for a PKCS#12 certificate."))
        data: bytes = upload.read()
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("For example: the key was lost, the official left office."),
    )


class PdfCheckForm(forms.Form):
    file = forms.FileField(
        label=_("PDF document to check"),
        help_text=_("At most %(mb)d MB. The file is checked and not kept.")
        % {"mb": PDF_MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > PDF_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(mb)d MB.")
                % {"mb": PDF_MAX_BYTES // (1024 * 1024)}
            )
        content: bytes = upload.read()
        try:
            pdf_check_upload(content)
        except DomainError as error:
            raise forms.ValidationError(str(error)) from None
        return content


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep an uploaded file in memory only, never in a temporary file, up to the size limit.

    Beyond the limit the rest is read and dropped; the form then refuses the file by its size.
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.chunks: list[bytes] = []
        self.total = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.total += len(raw_data)
        if self.total <= PDF_MAX_BYTES:
            self.chunks.append(raw_data)
        else:
            self.chunks = []
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        import io

        return InMemoryUploadedFile(
            file=io.BytesIO(b"".join(self.chunks)),
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.total,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
