"""Revisions (PK Perubahan): a new version that replaces the signed one once both parties sign."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.org.models import Assignment
from pakta.org.selectors import current_assignment, current_position, top_unit
from pakta.performance.models import (
    REVISION_TRIGGERS,
    Goal,
    Indicator,
    PerformanceAgreement,
    Programme,
    QuarterTarget,
)
from pakta.performance.services.base import (
    Agreement,
    Status,
    _lock,
    _official_of,
    agreement_due_days,
    is_manager,
    superior_for,
)
from pakta.performance.services.content import _clean_text

# --- Revisions ------------------------------------------------------------------------------------


@transaction.atomic
def agreement_revise(
    *,
    agreement: Agreement,
    reason: str,
    trigger: str,
    acting_user: Any,
    trigger_assignment: Assignment | None = None,
) -> Agreement:
    """Draft a revision (PK Perubahan) of a signed agreement, copying its content.

    The revision takes the official's current position, unit and second party. The signed
    version stays in force (and verifiable) until the revision is signed by both parties.
    """
    locked = _lock(agreement)
    if _official_of(acting_user) != locked.official_id and not is_manager(
        acting_user, locked.pemda
    ):
        raise PermissionDeniedError(
            _("Only the official who is the first party, or an administrator, can revise it.")
        )
    if locked.status != Status.SIGNED or not locked.is_current:
        raise DomainError(_("Only the signed, current version of an agreement can be revised."))
    if locked.revisions.exclude(status=Status.SUPERSEDED).exists():
        raise DomainError(_("A revision of this agreement is already being prepared."))
    reason = _clean_text(reason, _("Give the reason for the revision."), 2000)
    valid = {value for value, _label in REVISION_TRIGGERS}
    if trigger not in valid:
        raise DomainError(_("Choose what caused the revision."))
    official = locked.official
    if trigger == "assignment":
        if trigger_assignment is None:
            trigger_assignment = current_assignment(official)
        if trigger_assignment is None or trigger_assignment.official_id != official.pk:
            raise DomainError(_("Choose a position assignment of this official."))
    elif trigger_assignment is not None and trigger_assignment.official_id != official.pk:
        raise DomainError(_("Choose a position assignment of this official."))
    position = current_position(official)
    superior, superior_title = superior_for(official)
    if superior is None:
        superior, superior_title = locked.superior, locked.superior_title
    version = (
        PerformanceAgreement.objects.filter(official=official, year=locked.year)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    revision = PerformanceAgreement.objects.create(
        pemda=locked.pemda,
        official=official,
        position=position,
        position_title=position.title if position else locked.position_title,
        unit=top_unit(position.unit) if position is not None else locked.unit,
        superior=superior,
        superior_title=superior_title,
        year=locked.year,
        version=version,
        is_current=False,
        due_date=timezone.localdate() + dt.timedelta(days=agreement_due_days()),
        revision_of=locked,
        revision_reason=reason,
        revision_trigger=trigger,
        trigger_assignment=trigger_assignment,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    _copy_content(locked, revision)
    audit_record(
        actor=acting_user,
        action="performance.agreement.revised",
        obj=revision,
        summary={
            "revision_of": locked.pk,
            "version": version,
            "trigger": trigger,
            "assignment_id": trigger_assignment.pk if trigger_assignment else None,
        },
    )
    return revision


def _copy_content(source: Agreement, target: Agreement) -> None:
    for goal in source.goals.prefetch_related("indicators__targets"):
        new_goal = Goal.objects.create(agreement=target, name=goal.name, order=goal.order)
        for indicator in goal.indicators.all():
            new = Indicator.objects.create(
                goal=new_goal,
                agreement=target,
                name=indicator.name,
                unit_of_measure=indicator.unit_of_measure,
                polarity=indicator.polarity,
                target=indicator.target,
                target_upper=indicator.target_upper,
                weight=indicator.weight,
                order=indicator.order,
                cascaded_from_id=indicator.cascaded_from_id,
                revised_from=indicator,
            )
            QuarterTarget.objects.bulk_create(
                [
                    QuarterTarget(
                        indicator=new,
                        quarter=t.quarter,
                        target=t.target,
                        target_upper=t.target_upper,
                    )
                    for t in indicator.targets.all()
                ]
            )
    Programme.objects.bulk_create(
        [
            Programme(agreement=target, name=p.name, budget=p.budget, order=p.order)
            for p in source.programmes.all()
        ]
    )
