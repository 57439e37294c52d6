"""Attachments of reports: limits, accepted types, and metadata stripping.

Files are checked by their content (magic bytes), not only by their name. Images (JPEG, PNG)
and PDFs can have their metadata stripped on request: the camera, GPS position and author fields
can name the reporter. The untouched original is kept too, encrypted, as evidence.

Uploads to the reporting routes are kept in memory (``MemoryOnlyUploadHandler``), never in a
temporary file, so that no plaintext reaches the disk before it is encrypted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from pakta.core.uploads import UploadError, file_size_text, type_labels, upload_check, upload_limit


def max_file_bytes() -> int:
    return upload_limit("report_file")


def max_files() -> int:
    return int(getattr(settings, "PAKTA_REPORT_MAX_FILES", 10))


def max_total_bytes() -> int:
    return upload_limit("report_total")


# The types a report may carry (checked by content through ``core.uploads``).
ACCEPTED = (
    "pdf",
    "jpg",
    "jpeg",
    "png",
    "txt",
    "docx",
    "xlsx",
    "odt",
    "doc",
    "xls",
    "mp3",
    "mp4",
    "m4a",
)
STRIPPABLE = {"image/jpeg", "image/png", "application/pdf"}


def accepted_labels() -> str:
    return type_labels(ACCEPTED)


def accept_attribute() -> str:
    return ",".join(f".{ext}" for ext in ACCEPTED)


@dataclass
class Upload:
    """A file as received: its name, bytes and (detected) content type."""

    name: str
    data: bytes
    content_type: str = ""


class AttachmentError(ValueError):
    """A file was refused; the message is a whole translated sentence naming the file."""


def check_uploads(uploads: list[Upload]) -> list[Upload]:
    """Check count, sizes and types; set each upload's content type from its content.

    Raises ``AttachmentError`` with a message for the reporter; nothing is stored then.
    """
    if len(uploads) > max_files():
        raise AttachmentError(
            _("At most %(count)d files can be attached at once.") % {"count": max_files()}
        )
    total = 0
    for upload in uploads:
        total += len(upload.data)
        try:
            upload.content_type = upload_check(
                name=upload.name, data=upload.data, kind="report_file", accepted=ACCEPTED
            )
        except UploadError as error:
            raise AttachmentError(str(error)) from None
    if total > max_total_bytes():
        raise AttachmentError(
            _("The files together are %(size)s; at most %(limit)s can be sent at once.")
            % {"size": file_size_text(total), "limit": file_size_text(max_total_bytes())}
        )
    return uploads


def strip_metadata(data: bytes, content_type: str) -> bytes | None:
    """The file without its metadata (EXIF, PNG text, PDF Info and XMP), or None if not possible.

    Images are decoded and saved again, which drops everything but the pixels; PDFs are copied
    without their document information dictionary and XMP metadata stream.
    """
    if content_type in ("image/jpeg", "image/png"):
        return _strip_image(data, content_type)
    if content_type == "application/pdf":
        return _strip_pdf(data)
    return None


def _strip_image(data: bytes, content_type: str) -> bytes | None:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            # Keep the picture upright: the orientation lives in the EXIF that is dropped.
            upright = ImageOps.exif_transpose(image)
            pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            if content_type == "image/jpeg" and pixels.mode not in ("RGB", "L", "CMYK"):
                pixels = pixels.convert("RGB")
            out = io.BytesIO()
            if content_type == "image/jpeg":
                pixels.save(out, format="JPEG", quality=92)
            else:
                if "transparency" in upright.info:
                    pixels.info["transparency"] = upright.info["transparency"]
                pixels.save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def _strip_pdf(data: bytes) -> bytes | None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter(clone_from=reader)
        writer._info = None  # the Info dictionary (Author, Creator, Producer, dates)
        root = writer._root_object
        if NameObject("/Metadata") in root:
            del root[NameObject("/Metadata")]
        for page in writer.pages:
            if NameObject("/Metadata") in page:
                del page[NameObject("/Metadata")]
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except (PdfReadError, OSError, ValueError, KeyError, TypeError):
        return None


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep uploaded files in memory only; stop the upload when it exceeds the total limit."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > max_total_bytes() + max_file_bytes():
            if self.request is not None:
                setattr(self.request, "pakta_upload_too_large", True)  # noqa: B010
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
