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


def max_file_bytes() -> int:
    return int(getattr(settings, "PAKTA_REPORT_MAX_FILE_BYTES", 10 * 1024 * 1024))


def max_files() -> int:
    return int(getattr(settings, "PAKTA_REPORT_MAX_FILES", 10))


def max_total_bytes() -> int:
    return int(getattr(settings, "PAKTA_REPORT_MAX_TOTAL_BYTES", 25 * 1024 * 1024))


# extension -> (content type, label, magic-byte check or None)
def _is_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def _is_ole(data: bytes) -> bool:
    return data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _is_text(data: bytes) -> bool:
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the 64 KiB boundary is still text.
        try:
            data[:65533].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return b"\x00" not in data[:65536]


ACCEPTED: dict[str, tuple[str, str, Any]] = {
    "pdf": ("application/pdf", "PDF", lambda d: d.startswith(b"%PDF-")),
    "jpg": ("image/jpeg", "JPEG", lambda d: d.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", "JPEG", lambda d: d.startswith(b"\xff\xd8\xff")),
    "png": ("image/png", "PNG", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")),
    "txt": ("text/plain", "TXT", _is_text),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
        _is_zip,
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", _is_zip),
    "odt": ("application/vnd.oasis.opendocument.text", "ODT", _is_zip),
    "doc": ("application/msword", "DOC", _is_ole),
    "xls": ("application/vnd.ms-excel", "XLS", _is_ole),
    "mp3": ("audio/mpeg", "MP3", lambda d: d.startswith((b"ID3", b"\xff\xfb", b"\xff\xf3"))),
    "mp4": ("video/mp4", "MP4", lambda d: d[4:8] == b"ftyp"),
    "m4a": ("audio/mp4", "M4A", lambda d: d[4:8] == b"ftyp"),
}
STRIPPABLE = {"image/jpeg", "image/png", "application/pdf"}


def accepted_labels() -> str:
    return ", ".join(sorted({label for _t, label, _c in ACCEPTED.values()}))


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
    limit = max_file_bytes()
    total = 0
    for upload in uploads:
        size = len(upload.data)
        total += size
        if size == 0:
            raise AttachmentError(_("The file “%(name)s” is empty.") % {"name": upload.name})
        if size > limit:
            raise AttachmentError(
                _("The file “%(name)s” is %(size)s; each file may be at most %(limit)s.")
                % {"name": upload.name, "size": _mb(size), "limit": _mb(limit)}
            )
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        accepted = ACCEPTED.get(extension)
        if accepted is None:
            raise AttachmentError(
                _("The file type of “%(name)s” is not accepted. Accepted types: %(types)s.")
                % {"name": upload.name, "types": accepted_labels()}
            )
        content_type, label, check = accepted
        if not check(upload.data):
            raise AttachmentError(
                _("The file “%(name)s” is not a valid %(type)s file.")
                % {"name": upload.name, "type": label}
            )
        upload.content_type = content_type
    if total > max_total_bytes():
        raise AttachmentError(
            _("The files together are %(size)s; at most %(limit)s can be sent at once.")
            % {"size": _mb(total), "limit": _mb(max_total_bytes())}
        )
    return uploads


def _mb(size: int) -> str:
    """A size in the reader's notation: "10,5 MB" in Indonesian, "10.5 MB" in English."""
    from django.utils.formats import number_format

    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    megabytes = round(size / (1024 * 1024), 1)
    places = 0 if megabytes == int(megabytes) else 1
    return f"{number_format(megabytes, places, use_l10n=True)} MB"


def file_size_text(size: int) -> str:
    """The public name of ``_mb`` for other apps' upload messages."""
    return _mb(size)


def content_matches(extension: str, data: bytes) -> bool | None:
    """Whether ``data`` looks like a file of ``extension`` (None: no check known for it)."""
    extra = {"ods": _is_zip, "zip": _is_zip, "csv": _is_text}
    accepted = ACCEPTED.get(extension)
    check = accepted[2] if accepted else extra.get(extension)
    return None if check is None else bool(check(data))


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
