"""The signed acknowledgement of a report (the Inspektorat's e-seal)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.core.errors import DomainError
from pakta.org.models import Pemda
from pakta.reports.models import (
    Report,
)

# --- The signed acknowledgement -----------------------------------------------------------------


def report_acknowledgement(*, report: Report) -> Any:
    """The signed acknowledgement of a report, made once: it proves when the report was filed
    (the receipt's argon2id commitment, the Pemda, the time) and shows nothing of its content.

    Sealed with the organisational e-seal of the Pemda's Inspektorat (issued on first need), in
    no person's name: the request is anonymous. Raises ``DomainError`` with a message for the
    reporter when the seal cannot be made now (a configured timestamp authority fails); the
    document is kept unsealed and sealed at the next request.
    """
    from pakta.pacts.rendering import logo_data_uri, qr_svg_data_uri, render_pdf, verification_url
    from pakta.signing.models import SignedDocument
    from pakta.signing.services import institution_seal_apply, signed_document_create

    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if report.receipt_document_id is None:
            filed = timezone.localtime(report.created_at, _zone(report.pemda))

            def render(document: SignedDocument) -> bytes:
                return render_pdf(
                    "reports/documents/acknowledgement.html",
                    {
                        "title": "Tanda Terima Laporan",
                        "pemda": report.pemda,
                        "report": report,
                        "filed": filed,
                        "short_code": document.short_code,
                        "logo": logo_data_uri(report.pemda),
                        "qr": qr_svg_data_uri(verification_url(document.token)),
                        "verify_url": verification_url(document.token),
                    },
                )

            document = signed_document_create(
                pemda=report.pemda,
                kind=SignedDocument.Kind.RECEIPT,
                title=f"Tanda terima laporan {report.reference}",
                render=render,
                acting_user=None,
            )
            report.receipt_document = document
            report.save(update_fields=["receipt_document"])
        else:
            document = SignedDocument.objects.get(pk=report.receipt_document_id)
    if not document.signatures.exists():
        try:
            institution_seal_apply(document=document, acting_user=None)
        except DomainError:
            raise DomainError(
                _(
                    "The signed acknowledgement cannot be made right now: the seal of the "
                    "Inspektorat could not be applied. Your report has been received and your "
                    "receipt code stays valid. Keep the code; you can download the "
                    "acknowledgement later from this page."
                )
            ) from None
        document.refresh_from_db()
    return document


def _zone(pemda: Pemda) -> Any:
    import zoneinfo

    return zoneinfo.ZoneInfo(pemda.timezone or "Asia/Jakarta")
