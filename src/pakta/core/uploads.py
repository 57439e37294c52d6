"""One upload-check policy for every app: a file is refused when it is empty, larger than the
limit of its kind, of a type the kind does not accept, or when its content is not what its name
says (checked by magic bytes, never by the name alone).

Limits are per kind in the setting ``PAKTA_UPLOAD_LIMITS`` (bytes); a kind missing from it has
the default below. Every refusal is an :class:`UploadError` (a ``DomainError``) whose message is
a whole translated sentence naming the file and, for sizes, the limit. See ``docs/uploads.md``.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Collection, Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from pakta.core.errors import DomainError

MB = 1024 * 1024

# kind -> bytes, when ``PAKTA_UPLOAD_LIMITS`` does not name it.
DEFAULT_LIMITS: dict[str, int] = {
    "report_file": 10 * MB,  # one attachment of a whistleblowing report
    "report_total": 25 * MB,  # the attachments of one report message together
    "evidence": 10 * MB,  # evidence of a Perjanjian Kinerja realization
    "action_evidence": 20 * MB,  # evidence of an action item's progress
    "gratification_evidence": 20 * MB,  # evidence of a gratification report
}


def upload_limit(kind: str) -> int:
    """The largest file of ``kind`` accepted, in bytes."""
    limits = getattr(settings, "PAKTA_UPLOAD_LIMITS", {}) or {}
    return int(limits.get(kind, DEFAULT_LIMITS[kind]))


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


# extension -> (content type, label, magic-byte check)
FILE_TYPES: dict[str, tuple[str, str, Any]] = {
    "pdf": ("application/pdf", "PDF", lambda d: d.startswith(b"%PDF-")),
    "jpg": ("image/jpeg", "JPEG", lambda d: d.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", "JPEG", lambda d: d.startswith(b"\xff\xd8\xff")),
    "png": ("image/png", "PNG", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")),
    "txt": ("text/plain", "TXT", _is_text),
    "csv": ("text/csv", "CSV", _is_text),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
        _is_zip,
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", _is_zip),
    "odt": ("application/vnd.oasis.opendocument.text", "ODT", _is_zip),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ODS", _is_zip),
    "zip": ("application/zip", "ZIP", _is_zip),
    "doc": ("application/msword", "DOC", _is_ole),
    "xls": ("application/vnd.ms-excel", "XLS", _is_ole),
    "mp3": ("audio/mpeg", "MP3", lambda d: d.startswith((b"ID3", b"\xff\xfb", b"\xff\xf3"))),
    "mp4": ("video/mp4", "MP4", lambda d: d[4:8] == b"ftyp"),
    "m4a": ("audio/mp4", "M4A", lambda d: d[4:8] == b"ftyp"),
}


class UploadError(DomainError):
    """A file was refused; the message is a whole translated sentence naming the file."""


def type_labels(extensions: Collection[str]) -> str:
    """The accepted types for a message: "JPEG, PDF, PNG"."""
    return ", ".join(sorted({FILE_TYPES[e][1] for e in extensions}))


def file_size_text(size: int) -> str:
    """A size in the reader's notation: "10,5 MB" in Indonesian, "10.5 MB" in English."""
    from django.utils.formats import number_format

    if size < MB:
        return f"{max(1, round(size / 1024))} KB"
    megabytes = round(size / MB, 1)
    places = 0 if megabytes == int(megabytes) else 1
    return f"{number_format(megabytes, places, use_l10n=True)} MB"


def content_matches(extension: str, data: bytes) -> bool | None:
    """Whether ``data`` looks like a file of ``extension`` (None: no check known for it)."""
    known = FILE_TYPES.get(extension.lower().lstrip("."))
    return None if known is None else bool(known[2](data))


def extension_of(name: str, content_type: str = "") -> str:
    """The file's extension, lower case without the dot; from the content type the browser sent
    when the name has none."""
    if "." in name:
        return name.rsplit(".", 1)[-1].lower()
    guessed = mimetypes.guess_extension(content_type) if content_type else None
    return (guessed or "").lstrip(".")


def upload_check(
    *,
    name: str,
    data: bytes,
    kind: str,
    accepted: Collection[str],
    content_type: str = "",
    refused_type: str = "",
    code: str = "invalid",
) -> str:
    """Check one file of ``kind`` against the policy; return its content type (from its content's
    type, not the browser's word). ``accepted`` are extensions (``"pdf"``); ``refused_type`` is
    the sentence for a type not accepted (``%(name)s`` and ``%(types)s`` are filled in); ``code``
    is the error's code in the API."""
    if not data:
        raise UploadError(_("The file “%(name)s” is empty.") % {"name": name}, code=code)
    limit = upload_limit(kind)
    if len(data) > limit:
        raise UploadError(
            _("The file “%(name)s” is %(size)s; each file may be at most %(limit)s.")
            % {"name": name, "size": file_size_text(len(data)), "limit": file_size_text(limit)},
            code=code,
        )
    extension = extension_of(name, content_type)
    if extension not in accepted or extension not in FILE_TYPES:
        message = refused_type or _(
            "The file type of “%(name)s” is not accepted. Accepted types: %(types)s."
        )
        raise UploadError(message % {"name": name, "types": type_labels(accepted)}, code=code)
    found_type, label, check = FILE_TYPES[extension]
    if not check(data):
        raise UploadError(
            _("The file “%(name)s” is not a valid %(type)s file.") % {"name": name, "type": label},
            code=code,
        )
    return str(found_type)


def uploads_store(
    files: Iterable[Any],
    *,
    kind: str,
    accepted: Collection[str],
    refused_type: str = "",
    code: str = "invalid",
) -> list[Any]:
    """Check every file (``name``, ``content`` and optional ``content_type`` attributes) with
    :func:`upload_check`, then keep each in the document store under its checked content type;
    one refused file stores none."""
    from pakta.core.documents import document_store

    files = list(files)
    types = [
        upload_check(
            name=f.name,
            data=f.content,
            kind=kind,
            accepted=accepted,
            content_type=getattr(f, "content_type", ""),
            refused_type=refused_type,
            code=code,
        )
        for f in files
    ]
    return [
        document_store(content=f.content, content_type=t, original_name=f.name[:255])
        for f, t in zip(files, types, strict=True)
    ]
