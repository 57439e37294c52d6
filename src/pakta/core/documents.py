"""The document store: files are written once under the SHA-256 of their content.

The storage is Django's default storage (files in ``var/documents`` by default, S3-compatible
storage in production), so nothing here knows where the bytes live.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from pakta.core.models import Document


def document_store(
    *, content: bytes, content_type: str, original_name: str = "", fresh: bool = False
) -> Document:
    """Store ``content`` once and return its index row; storing the same bytes again is a no-op.

    ``fresh=True`` is for bytes that cannot have been stored before (ciphertext under a new
    random nonce): the look-up for an earlier copy is skipped.
    """
    digest = hashlib.sha256(content).hexdigest()
    defaults = {"size": len(content), "content_type": content_type, "original_name": original_name}
    if fresh:
        document, created = Document.objects.create(sha256=digest, **defaults), True
    else:
        document, created = Document.objects.get_or_create(sha256=digest, defaults=defaults)
    if created or not default_storage.exists(document.storage_name):
        default_storage.save(document.storage_name, ContentFile(content))
    return document


def document_read(document: Document) -> bytes:
    with default_storage.open(document.storage_name, "rb") as handle:
        data: bytes = handle.read()
    return data


def document_verify_all() -> Iterator[tuple[Document, bool]]:
    """Yield each document and whether its stored bytes still hash to its name."""
    for document in Document.objects.order_by("pk").iterator():
        try:
            ok = hashlib.sha256(document_read(document)).hexdigest() == document.sha256
        except FileNotFoundError:
            ok = False
        yield document, ok
