"""The Inspektorat's review of findings: confirm, dismiss (a known false positive from then on),
or ask the official to correct their declaration."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.conflicts.models import Finding, KnownFalsePositive, StandingDeclaration
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.permissions import has_permission


def _reviewable(finding: Finding, acting_user: Any, reason: str) -> str:
    if not has_permission(acting_user, finding.pemda, "conflicts.review"):
        raise PermissionDeniedError(_("Only the Inspektorat reviews findings."))
    if finding.official_id == getattr(acting_user, "official_id", None):
        raise PermissionDeniedError(_("You cannot review a finding about yourself."))
    if finding.status != Finding.Status.OPEN:
        raise DomainError(_("This finding has already been reviewed."))
    if not reason.strip():
        raise DomainError(_("Give the reason for your decision."))
    return reason.strip()


def _close(finding: Finding, status: str, reason: str, user: Any) -> None:
    finding.status = status
    finding.review_reason = reason
    finding.reviewed_by = user
    finding.reviewed_at = timezone.now()
    finding.save(
        update_fields=["status", "review_reason", "reviewed_by", "reviewed_at", "updated_at"]
    )


def _rescore(finding: Finding) -> None:
    from pakta.conflicts.services.screening import _refresh_risk

    _refresh_risk(finding.declaration, finding.decision)


@transaction.atomic
def finding_confirm(*, finding: Finding, acting_user: Any, reason: str) -> Finding:
    reason = _reviewable(finding, acting_user, reason)
    _close(finding, Finding.Status.CONFIRMED, reason, acting_user)
    audit_record(
        actor=acting_user,
        action="conflicts.finding.confirmed",
        obj=finding,
        summary={"kind": finding.kind, "official_id": finding.official_id},
    )
    _rescore(finding)
    return finding


@transaction.atomic
def finding_dismiss(*, finding: Finding, acting_user: Any, reason: str) -> Finding:
    reason = _reviewable(finding, acting_user, reason)
    _close(finding, Finding.Status.DISMISSED, reason, acting_user)
    KnownFalsePositive.objects.get_or_create(
        pemda=finding.pemda,
        pair_key=finding.pair_key,
        defaults={"reason": reason, "dismissed_by": acting_user},
    )
    audit_record(
        actor=acting_user,
        action="conflicts.finding.dismissed",
        obj=finding,
        summary={"kind": finding.kind, "official_id": finding.official_id},
    )
    _rescore(finding)
    return finding


@transaction.atomic
def finding_request_correction(*, finding: Finding, acting_user: Any, reason: str) -> Finding:
    """Return the official's declaration for correction: they start a new version from it."""
    reason = _reviewable(finding, acting_user, reason)
    declaration = finding.declaration
    if declaration is None or declaration.status != StandingDeclaration.Status.SUBMITTED:
        raise DomainError(_("This finding is not about a submitted declaration."))
    _close(finding, Finding.Status.CORRECTION, reason, acting_user)
    declaration.status = StandingDeclaration.Status.CORRECTION
    declaration.correction_note = reason
    declaration.save(update_fields=["status", "correction_note", "updated_at"])
    audit_record(
        actor=acting_user,
        action="conflicts.declaration.correction",
        obj=declaration,
        summary={"finding_id": finding.pk},
    )
    from pakta.notifications.services import message_send

    user = getattr(declaration.official, "user", None)
    if user is not None:
        message_send(
            users=[user],
            render=lambda _u: (
                _("Please correct your declaration of interests"),
                _("The Inspektorat asks you to correct your declaration: %(reason)s")
                % {"reason": reason},
            ),
            url=declaration.get_absolute_url(),
            pemda=declaration.pemda,
        )
    return finding
