"""Signing an agreement: the first party, then the second party (PAdES)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pakta.accounts.credentials import Reauthentication
from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.org.models import Position
from pakta.performance.models import (
    EvidenceFile,
    Realization,
)
from pakta.performance.services.base import (
    Agreement,
    Status,
    _lock,
    _official_of,
    _require_superior,
    _sync,
)
from pakta.performance.services.rollups import _count, _move_status, _refresh_achievement
from pakta.signing import services as signing
from pakta.signing.models import PendingSignature, Signature, SignedDocument

# --- Signing --------------------------------------------------------------------------------------


def agreement_document(*, agreement: Agreement, acting_user: Any) -> SignedDocument:
    """The agreement's PDF, rendered once (with its QR code) when it is approved."""
    if agreement.document_id:
        return agreement.document  # type: ignore[return-value]
    from pakta.performance.rendering import render_agreement

    with transaction.atomic():
        locked = _lock(agreement)
        if locked.document_id:
            return locked.document  # type: ignore[return-value]
        if locked.status not in (Status.APPROVED, Status.SIGNED, Status.SUPERSEDED):
            raise DomainError(_("The agreement is signed after the superior has approved it."))
        title = f"Perjanjian Kinerja {locked.year} — {locked.official.full_name}"
        if locked.is_revision:
            title += f" (Perubahan ke-{locked.version - 1})"
        position = locked.position
        document = signing.signed_document_create(
            pemda=locked.pemda,
            kind=SignedDocument.Kind.AGREEMENT,
            title=title,
            acting_user=acting_user,
            render=lambda doc: render_agreement(locked, doc),
            is_public=bool(position and position.level in Position.STRUCTURAL_LEVELS[:3]),
        )
        locked.document = document
        locked.save(update_fields=["document", "updated_at"])
        agreement.document = document
        return document


def agreement_sign_first_party(
    *, agreement: Agreement, acting_user: Any, credential: str | Reauthentication
) -> Signature | PendingSignature:
    """The official signs the approved agreement (after re-authenticating); idempotent."""
    if agreement.status != Status.APPROVED:
        raise DomainError(_("The agreement is signed after the superior has approved it."))
    if _official_of(acting_user) != agreement.official_id:
        raise PermissionDeniedError(_("Only the first party signs as the first party."))
    document = agreement_document(agreement=agreement, acting_user=acting_user)
    result = signing.signature_apply(
        document=document,
        official=agreement.official,
        role=Signature.Role.SIGNER,
        acting_user=acting_user,
        credential=credential,
        position=agreement.position_title,
    )
    if isinstance(result, Signature):
        _mark_first_party(agreement, result, acting_user)
    return result


@transaction.atomic
def _mark_first_party(agreement: Agreement, signature: Signature, acting_user: Any) -> None:
    locked = _lock(agreement)
    if locked.first_party_signed_at is not None:
        return
    locked.first_party_signed_at = signature.signed_at
    locked.save(update_fields=["first_party_signed_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action="performance.agreement.signed_first_party",
        obj=locked,
        summary={"signature_id": signature.pk},
    )
    agreement.first_party_signed_at = signature.signed_at


def agreement_sign_second_party(
    *, agreement: Agreement, acting_user: Any, credential: str | Reauthentication
) -> Signature | PendingSignature:
    """The superior countersigns after the first party; the agreement is then in force."""
    if agreement.status != Status.APPROVED:
        raise DomainError(_("This agreement is not waiting for signatures."))
    if agreement.first_party_signed_at is None or agreement.document is None:
        raise DomainError(_("The first party has not signed this agreement yet."))
    _require_superior(agreement, acting_user)
    result = signing.signature_apply(
        document=agreement.document,
        official=agreement.superior,  # type: ignore[arg-type]
        role=Signature.Role.SECOND_PARTY,
        acting_user=acting_user,
        credential=credential,
        position=agreement.superior_title,
    )
    if isinstance(result, Signature):
        _mark_signed(agreement, result, acting_user)
    return result


@transaction.atomic
def _mark_signed(agreement: Agreement, signature: Signature, acting_user: Any) -> None:
    locked = _lock(agreement)
    if locked.status == Status.SIGNED:
        return
    previous = locked.revision_of
    if previous is not None:
        previous = _lock(previous)
        _supersede(previous, locked, acting_user)
        locked.is_current = True
        _count(locked, Status.SIGNED, +1)
        locked.status = Status.SIGNED
    else:
        _move_status(locked, Status.SIGNED)
    locked.signed_at = signature.signed_at
    locked.save(update_fields=["status", "is_current", "signed_at", "updated_at"])
    document = locked.document
    if (
        document is not None
        and document.status != SignedDocument.Status.COMPLETED
        and not document.pending.exists()
    ):
        signing.signed_document_complete(document=document, acting_user=acting_user)
    if previous is not None:
        _carry_realizations(previous, locked)
    _refresh_achievement(locked)
    audit_record(
        actor=acting_user,
        action="performance.agreement.signed",
        obj=locked,
        summary={"signature_id": signature.pk, "version": locked.version},
    )
    _sync(agreement, locked, "status", "is_current", "signed_at")


def _supersede(previous: Agreement, revision: Agreement, acting_user: Any) -> None:
    """The earlier version stops counting; its document stays readable and verifiable."""
    if previous.is_current:
        _count(previous, previous.status, -1)
    previous.is_current = False
    previous.status = Status.SUPERSEDED
    previous.save(update_fields=["status", "is_current", "updated_at"])
    _refresh_achievement(previous)
    if previous.document is not None and revision.document is not None:
        signing.signed_document_supersede(
            document=previous.document, by=revision.document, acting_user=acting_user
        )
    audit_record(
        actor=acting_user,
        action="performance.agreement.superseded",
        obj=previous,
        summary={"revision_id": revision.pk},
    )


def _carry_realizations(previous: Agreement, revision: Agreement) -> None:
    """Realizations already reported stay with the indicators the revision kept."""
    mapping = dict(
        revision.indicators.filter(revised_from__isnull=False).values_list("revised_from_id", "pk")
    )
    for old in previous.realizations.prefetch_related("evidence"):
        new_indicator = mapping.get(old.indicator_id)
        if new_indicator is None:
            continue
        copy = Realization.objects.create(
            pemda_id=old.pemda_id,
            indicator_id=new_indicator,
            agreement=revision,
            quarter=old.quarter,
            value=old.value,
            note=old.note,
            status=old.status,
            return_reason=old.return_reason,
            submitted_at=old.submitted_at,
            submitted_by_id=old.submitted_by_id,
            verified_at=old.verified_at,
            verified_by_id=old.verified_by_id,
            is_late=old.is_late,
        )
        EvidenceFile.objects.bulk_create(
            [
                EvidenceFile(realization=copy, document_id=e.document_id, name=e.name)
                for e in old.evidence.all()
            ]
        )
