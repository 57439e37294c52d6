"""Official letters (surat): stamped with a verification QR code and short code, then signed.

Anyone handed a letter that claims to come from the Bupati can check it on the public
verification page, by scanning the QR code, typing the short code, or uploading the file.

The stamp is an incremental update of the uploaded PDF (pyHanko's QR stamp), made before the
signature, so the signature covers it: the stamped letter is version 0 of the signed document,
the signed letter version 1.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import LayoutError
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import QRPosition, QRStamp, QRStampStyle

from pakta.accounts.credentials import Reauthentication, reauthenticate
from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.core.permissions import has_permission
from pakta.org.models import Official, Pemda
from pakta.org.selectors import current_assignment
from pakta.signing import services as signing
from pakta.signing.models import PendingSignature, Signature, SignedDocument

# Uploads (letters to sign, files to verify) larger than this are refused.
PDF_MAX_BYTES = 20 * 1024 * 1024

# The stamp is part of the document, and the document's language is Indonesian whatever the
# reader's (like the pact's text), so it is not translated.
STAMP_TEXT = (
    "Ditandatangani secara elektronik\nKode verifikasi: %(code)s\nPeriksa keaslian: %(url)s"
)
STAMP_STYLE = QRStampStyle(
    stamp_text=STAMP_TEXT,
    text_box_style=TextBoxStyle(font_size=8),
    qr_inner_size=72,
    qr_position=QRPosition.LEFT_OF_TEXT,
    border_width=1,
    innsep=3,
)
# Lower left corner of the stamp on the last page, in points from the page's lower left corner.
STAMP_X = 36
STAMP_Y = 18


def pdf_check_upload(content: bytes) -> None:
    """Refuse what is not a PDF we can read: too large, another type, damaged or encrypted.

    Raises ``DomainError`` with a sentence the uploader can act on.
    """
    if not content:
        raise DomainError(_("The file is empty."))
    if len(content) > PDF_MAX_BYTES:
        raise DomainError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": PDF_MAX_BYTES // (1024 * 1024)}
        )
    if b"%PDF-" not in content[:1024]:
        raise DomainError(_("The file is not a PDF document."))


def _writer(content: bytes) -> IncrementalPdfFileWriter:
    pdf_check_upload(content)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
        encrypted = writer.prev.encrypted
        pages = int(writer.root["/Pages"]["/Count"])
        signed = bool(writer.prev.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        raise DomainError(_("The PDF document is damaged and cannot be read.")) from None
    if encrypted:
        raise DomainError(
            _("The PDF document is password-protected: upload it without the password.")
        )
    if pages < 1:
        raise DomainError(_("The PDF document has no pages."))
    if signed:
        raise DomainError(
            _("The PDF document is already signed: upload the letter before any signature.")
        )
    return writer


def verification_url(document: SignedDocument) -> str:
    return settings.SITE_URL.rstrip("/") + document.get_verification_url()


def letter_stamp(content: bytes, *, document: SignedDocument) -> bytes:
    """Add the verification stamp (QR code, short code, address) to the letter's last page."""
    writer = _writer(content)
    last_page = int(writer.root["/Pages"]["/Count"]) - 1
    stamp = QRStamp(
        writer,
        url=verification_url(document),
        style=STAMP_STYLE,
        text_params={"code": document.short_code_display},
    )
    try:
        stamp.apply(last_page, STAMP_X, STAMP_Y)
    except (LayoutError, PdfError, KeyError, TypeError) as error:
        raise DomainError(_("The PDF document is damaged and cannot be stamped.")) from error
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def letter_sign(
    *,
    pemda: Pemda,
    pdf: bytes,
    title: str,
    official: Official,
    acting_user: Any,
    credential: str | Reauthentication,
    is_public: bool = False,
) -> SignedDocument:
    """Stamp an uploaded letter with its verification code and sign it as ``official``.

    Only the official themselves may sign (after re-authenticating), in their own Pemda, with the
    ``signing.sign_letter`` permission. Nothing is kept when the file or the confirmation is
    refused. When the timestamp authority fails, the letter is kept with its signature pending.
    Raises ``DomainError``.
    """
    title = title.strip()
    if not title:
        raise DomainError(_("Give the letter a title."))
    if not has_permission(acting_user, pemda, "signing.sign_letter"):
        raise DomainError(_("You may not sign letters for this Pemda."))
    if official.pemda_id != pemda.pk:
        raise DomainError(_("The signer is not an official of this Pemda."))
    if getattr(acting_user, "official_id", None) != official.pk:
        raise DomainError(_("Only %(name)s can sign as themselves.") % {"name": official.full_name})
    _writer(pdf)  # refuse a bad file before anything is created
    position = _position_title(official)
    # The confirmation before the transaction: a wrong one counts toward the lockout and
    # leaves nothing behind.
    consent = reauthenticate(user=acting_user, credential=credential)
    with transaction.atomic():
        document = signing.signed_document_create(
            pemda=pemda,
            kind=SignedDocument.Kind.LETTER,
            title=title,
            render=lambda doc: letter_stamp(pdf, document=doc),
            acting_user=acting_user,
            is_public=is_public,
        )
        audit_record(
            actor=acting_user,
            action="signing.letter.stamped",
            obj=document,
            pemda_id=pemda.pk,
            summary={
                "upload_sha256": hashlib.sha256(pdf).hexdigest(),
                "sha256": document.original_sha256,
            },
        )
        result = signing.signature_apply(
            document=document,
            official=official,
            role=Signature.Role.SIGNER,
            acting_user=acting_user,
            credential=consent,
            position=position,
        )
    if not isinstance(result, PendingSignature):
        signing.signed_document_complete(document=document, acting_user=acting_user)
    document.refresh_from_db()
    return document


def _position_title(official: Official) -> str:
    """The official's current position (Plt./Plh. included), as printed under the signature."""
    assignment = current_assignment(official)
    if assignment is None:
        return ""
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(assignment.kind, "")
    return f"{prefix}{assignment.position.title}"


# --- Reads ------------------------------------------------------------------------------------


def letter_list_for(*, pemda: Pemda) -> QuerySet[SignedDocument]:
    """The Pemda's signed letters, newest first, with their signers."""
    return (
        SignedDocument.objects.filter(pemda=pemda, kind=SignedDocument.Kind.LETTER)
        .select_related("pdf")
        .prefetch_related("signatures")
        .order_by("-created_at", "-pk")
    )


def letter_get_for(*, pemda: Pemda, pk: int) -> SignedDocument:
    return get_object_or_404(letter_list_for(pemda=pemda), pk=pk)
