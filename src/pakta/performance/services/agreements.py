"""Agreements: creation, submission and the superior's review (approve or return)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.org.models import Official, Pemda
from pakta.org.selectors import current_position, top_unit
from pakta.performance.models import (
    PerformanceAgreement,
)
from pakta.performance.services.base import (
    Agreement,
    Status,
    _lock,
    _official_of,
    _require_editor,
    _require_superior,
    _sync,
    due_date_for,
    is_manager,
    superior_for,
)
from pakta.performance.services.content import _clean_text
from pakta.performance.services.rollups import _count, _move_status

# --- Agreements -------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    pemda: Pemda,
    official: Official,
    year: int,
    acting_user: Any,
    superior: Official | None = None,
) -> Agreement:
    """A draft agreement for ``official`` and ``year``, prepared by the official or an admin.

    The second party is the direct superior (the regional head for a Kepala OPD); an
    administrator may name another. Raises DomainError when the official already has an
    agreement for the year or no second party can be found.
    """
    manager = is_manager(acting_user, pemda)
    if official.pemda_id != pemda.pk:
        raise DomainError(_("The official does not belong to this Pemda."))
    if _official_of(acting_user) != official.pk and not manager:
        raise PermissionDeniedError(
            _("An agreement is prepared by the official themselves or by an administrator.")
        )
    if not 2000 <= year <= 2100:
        raise DomainError(_("Give a year between 2000 and 2100."))
    if PerformanceAgreement.objects.filter(official=official, year=year).exists():
        raise DomainError(
            _("%(name)s already has an agreement for %(year)s; revise it instead.")
            % {"name": official.full_name, "year": year}
        )
    position = current_position(official)
    if superior is not None:
        if not manager:
            raise PermissionDeniedError(_("Only an administrator can choose the second party."))
        if superior.pemda_id != pemda.pk or superior.pk == official.pk:
            raise DomainError(_("The second party must be another official of this Pemda."))
        superior_position = current_position(superior)
        superior_title = superior_position.title if superior_position else ""
    else:
        superior, superior_title = superior_for(official)
    if superior is None:
        raise DomainError(
            _(
                "No second party was found for %(name)s: record the head of the unit above or "
                "the regional head first, or let an administrator choose one."
            )
            % {"name": official.full_name}
        )
    agreement = PerformanceAgreement.objects.create(
        pemda=pemda,
        official=official,
        position=position,
        position_title=position.title if position else "",
        unit=top_unit(position.unit) if position is not None else None,
        superior=superior,
        superior_title=superior_title,
        year=year,
        version=1,
        due_date=due_date_for(pemda, year),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    _count(agreement, Status.DRAFT, +1)
    audit_record(
        actor=acting_user,
        action="performance.agreement.created",
        obj=agreement,
        summary={"official_id": official.pk, "year": year, "superior_id": superior.pk},
    )
    return agreement


# --- Review ---------------------------------------------------------------------------------------


@transaction.atomic
def agreement_submit(*, agreement: Agreement, acting_user: Any) -> Agreement:
    """The first party sends the draft to the superior for review."""
    locked = _lock(agreement)
    _require_editor(locked, acting_user)
    indicators = list(locked.indicators.select_related("goal"))
    if not indicators:
        raise DomainError(_("Add at least one strategic goal with an indicator before submitting."))
    empty_goal = locked.goals.filter(indicators__isnull=True).first()
    if empty_goal is not None:
        raise DomainError(
            _("The strategic goal “%(goal)s” has no indicator.") % {"goal": empty_goal.name}
        )
    missing = [i.name for i in indicators if i.target is None]
    if missing:
        raise DomainError(
            _("Set the annual target of every indicator first: %(names)s.")
            % {"names": ", ".join(missing[:5])}
        )
    previous = locked.status
    _move_status(locked, Status.SUBMITTED)
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action="performance.agreement.submitted",
        obj=locked,
        summary={"from": previous, "indicators": len(indicators)},
    )
    _sync(agreement, locked, "status", "submitted_at")
    return agreement


@transaction.atomic
def agreement_approve(*, agreement: Agreement, acting_user: Any) -> Agreement:
    """The superior approves the submitted draft; it is then ready to be signed by both."""
    locked = _lock(agreement)
    _require_superior(locked, acting_user)
    if locked.status != Status.SUBMITTED:
        raise DomainError(_("Only a submitted agreement can be approved."))
    _move_status(locked, Status.APPROVED)
    locked.approved_at = timezone.now()
    locked.return_reason = ""
    locked.save(update_fields=["status", "approved_at", "return_reason", "updated_at"])
    audit_record(actor=acting_user, action="performance.agreement.approved", obj=locked)
    _sync(agreement, locked, "status", "approved_at", "return_reason")
    return agreement


@transaction.atomic
def agreement_return(*, agreement: Agreement, reason: str, acting_user: Any) -> Agreement:
    """The superior returns the submitted draft with the reason; the official corrects it."""
    locked = _lock(agreement)
    _require_superior(locked, acting_user)
    if locked.status != Status.SUBMITTED:
        raise DomainError(_("Only a submitted agreement can be returned."))
    locked.return_reason = _clean_text(
        reason, _("Give the reason, so that the official knows what to correct."), 2000
    )
    _move_status(locked, Status.RETURNED)
    locked.save(update_fields=["status", "return_reason", "updated_at"])
    audit_record(actor=acting_user, action="performance.agreement.returned", obj=locked)
    _sync(agreement, locked, "status", "return_reason")
    return agreement
