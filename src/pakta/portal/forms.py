"""Forms of the public portal: a verification code, a PDF to check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext_lazy as _

from pakta.core.errors import DomainError
from pakta.signing.letters import PDF_MAX_BYTES, pdf_check_upload


class ShortCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=30,
        help_text=_("The code printed beside the QR code, e.g. ABCDE-12345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
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
