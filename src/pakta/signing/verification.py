"""Verification reads: signed documents by their public token or code, their checks.

Nothing here depends on who asks: a document's token (in its QR code) or short code (printed
on it) is what gives access to its verification page.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from pakta.core.documents import document_read
from pakta.signing import services as signing
from pakta.signing.models import (
    SHORT_CODE_ALPHABET,
    DocumentVersion,
    Signature,
    SignedDocument,
    SigningIdentity,
)
from pakta.signing.pdf import SignatureCheck

# Validating the PDF takes longer than the rest of the page (see docs/verification.md), so the
# result is kept for an hour per document version and revocation state.
CHECKS_CACHE_SECONDS = 3600
# Crockford's base32 reads I and L as 1 and O as 0, for codes typed from paper.
_CROCKFORD = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def document_get_by_token(token: str) -> SignedDocument | None:
    if not token or len(token) > 40:
        return None
    return SignedDocument.objects.select_related("pemda", "pdf").filter(token=token).first()


# The state of a document's public page in one round trip (see ``page_state``).
_PAGE_STATE_SQL = (
    "SELECT d.id, d.updated_at, d.pdf_id, p.updated_at,"
    " (SELECT COUNT(*) FROM signing_signature s"
    "  JOIN signing_signingidentity i ON i.id = s.identity_id"
    "  WHERE s.document_id = d.id AND i.revoked_at IS NOT NULL),"
    " (SELECT MAX(size) FROM audit_checkpoint)"
    " FROM signing_signeddocument d JOIN org_pemda p ON p.id = d.pemda_id"
    " WHERE d.token = %s"
)


def page_state(token: str) -> tuple[object, ...] | None:
    """What the public page of the document with this token shows, as one comparable value, in
    one query (the page is read by everyone who scans its QR code): the document's
    ``updated_at`` (every change of its PDF, status or standing saves it) and current PDF, its
    Pemda's ``updated_at`` (name, zone), how many of its signatures carry a revoked certificate,
    and the size of the transparency log's latest checkpoint. None when no document has it."""
    if not token or len(token) > 40:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_PAGE_STATE_SQL, [token])
        row = cursor.fetchone()
    return None if row is None else (token, *row)


def normalise_short_code(code: str) -> str:
    """``abcde-12345`` -> ``ABCDE12345``; an empty string when it cannot be a short code."""
    cleaned = _SEPARATORS.sub("", code or "").upper().translate(_CROCKFORD)
    if len(cleaned) != 10 or any(c not in SHORT_CODE_ALPHABET for c in cleaned):
        return ""
    return cleaned


def document_get_by_short_code(code: str) -> SignedDocument | None:
    normalised = normalise_short_code(code)
    if not normalised:
        return None
    return SignedDocument.objects.filter(short_code=normalised).first()


@dataclass
class SignatureRow:
    """A signature as the public page shows it: who, in which role, when, and its validity."""

    role: str
    role_label: str
    name: str
    position: str
    signed_at: object
    status: str
    issuer: str = ""  # who issued the signer's certificate (its common name)


def issuer_name(issuer_rfc4514: str) -> str:
    """The common name of a certificate's issuer ("Pakta Root CA", "BSrE ..."), else it all."""
    for part in issuer_rfc4514.split(","):
        key, _sep, value = part.partition("=")
        if key.strip().upper() == "CN" and value:
            return value.strip()
    return issuer_rfc4514


@dataclass
class DocumentChecks:
    sha256: str
    stored_intact: bool
    checks: list[SignatureCheck]


def _revocation_state(document: SignedDocument) -> str:
    revoked = sorted(
        SigningIdentity.objects.filter(signatures__document=document, revoked_at__isnull=False)
        .values_list("serial", flat=True)
        .distinct()
    )
    return hashlib.sha256(",".join(revoked).encode()).hexdigest()[:16]


def document_checks_cached(document: SignedDocument) -> DocumentChecks:
    """The signature checks of the document's current PDF, cached per version and revocations."""
    if document.pdf is None:
        return DocumentChecks(sha256="", stored_intact=True, checks=[])
    sha256 = document.pdf.sha256
    key = f"portal:checks:{document.pk}:{sha256}:{_revocation_state(document)}"
    cached = cache.get(key)
    if isinstance(cached, DocumentChecks):
        return cached
    # The stored file must still hash to the name it was stored under.
    stored_intact = hashlib.sha256(document_read(document.pdf)).hexdigest() == sha256
    result = DocumentChecks(
        sha256=sha256, stored_intact=stored_intact, checks=signing.document_checks(document)
    )
    cache.set(key, result, CHECKS_CACHE_SECONDS)
    return result


def signature_rows(document: SignedDocument, checks: DocumentChecks) -> list[SignatureRow]:
    """The recorded signatures, each with the result of checking it in the current PDF."""
    by_field = {check.field_name: check for check in checks.checks}
    rows = []
    for signature in document.signatures.select_related("identity").order_by("signed_at"):
        check = by_field.get(signature.field_name)
        # A signature the current PDF no longer carries as it was made counts as modified.
        status = "modified" if check is None or not checks.stored_intact else check.status
        rows.append(
            SignatureRow(
                role=signature.role,
                role_label=str(Signature.Role(signature.role).label),
                name=signature.signer_name,
                position=signature.signer_position,
                signed_at=signature.signed_at,
                status=status,
                issuer=issuer_name(signature.identity.issuer),
            )
        )
    return rows


def signatures_in_version(version: DocumentVersion) -> list[Signature]:
    """The signatures a given version of a document carries (each one made a new version)."""
    return list(
        Signature.objects.filter(document_id=version.document_id).order_by("signed_at")[
            : version.signatures
        ]
    )
