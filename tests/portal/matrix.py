"""Objects the permission matrix needs for the letter pages (see tests/core/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from pakta.signing import services as signing
from pakta.signing.models import SignedDocument
from tests.signing.conftest import simple_pdf


def make_letter(world: Any, side: str) -> SignedDocument:
    """A letter of Pemda ``side`` prepared for signing (its pages show it like a signed one)."""
    return signing.signed_document_create(
        pemda=world.pemda[side],
        kind=SignedDocument.Kind.LETTER,
        title=f"Surat {side.upper()}",
        render=lambda doc: simple_pdf(doc.short_code),
        acting_user=world.superadmin,
    )


FACTORIES = {SignedDocument: make_letter}
