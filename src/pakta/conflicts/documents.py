"""The signed PDF of a standing declaration (Indonesian, official document with QR)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from pakta.conflicts.models import StandingDeclaration


def render_declaration(declaration: StandingDeclaration, document: Any) -> bytes:
    from pakta.org.selectors import current_position
    from pakta.pacts.rendering import (
        logo_data_uri,
        qr_svg_data_uri,
        render_pdf,
        tanggal_id,
        verification_url,
    )

    official = declaration.official
    position = current_position(official)
    with translation.override("id"):
        context = {
            "title": document.title,
            "declaration": declaration,
            "official": official,
            "pemda": declaration.pemda,
            "logo": logo_data_uri(declaration.pemda),
            "relatives": list(declaration.relatives.all()),
            "businesses": list(declaration.businesses.select_related("relative")),
            "positions": list(declaration.positions.all()),
            "debts_gifts": list(declaration.debts_gifts.all()),
            "none": set(declaration.sections_none),
            "signer_title": position.title if position else "",
            "place": declaration.pemda.seat or declaration.pemda.name,
            "date_text": tanggal_id(timezone.localdate()),
            "qr": qr_svg_data_uri(verification_url(document.token)),
            "verify_url": verification_url(document.token),
            "short_code": document.short_code_display,
        }
        return render_pdf("conflicts/documents/declaration.html", context)
