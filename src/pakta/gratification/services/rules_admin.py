"""New dated rules when a new regulation comes (superadmin)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.gratification.models import (
    ExemptCategory,
    Relationship,
)

# --- The dated rules (superadmin) -----------------------------------------------------------------


@transaction.atomic
def rule_add(
    *,
    acting_user: Any,
    category: str,
    effective_from: dt.date,
    source: str,
    removed: bool = False,
    per_giver_limit: int | None = None,
    per_year_limit: int | None = None,
    non_cash_only: bool = False,
    relationships: Sequence[str] = (),
    note: str = "",
) -> Any:
    """A new regulation: a new dated row for a category (earlier rows stay, so earlier gifts
    keep the rule of their day)."""
    from pakta.gratification.models import GratificationRule

    if not getattr(acting_user, "is_superuser", False):
        raise PermissionDeniedError(_("Only the superadmin can change the gratification rules."))
    if category not in ExemptCategory.values:
        raise DomainError(_("Choose the exempt category from the list."), code="category")
    if not source.strip():
        raise DomainError(_("Name the regulation this rule comes from."), code="source")
    for limit in (per_giver_limit, per_year_limit):
        if limit is not None and limit <= 0:
            raise DomainError(_("A limit must be more than Rp0."), code="per_giver_limit")
    if any(r not in Relationship.values for r in relationships):
        raise DomainError(_("Choose the giver's relationship from the list."), code="relationships")
    if GratificationRule.objects.filter(category=category, effective_from=effective_from).exists():
        raise DomainError(
            _("This category already has a rule from that date."), code="effective_from"
        )
    rule = GratificationRule.objects.create(
        category=category,
        effective_from=effective_from,
        source=source.strip(),
        removed=removed,
        per_giver_limit=None if removed else per_giver_limit,
        per_year_limit=None if removed else per_year_limit,
        non_cash_only=non_cash_only,
        relationships=list(relationships),
        note=note.strip(),
    )
    audit_record(
        actor=acting_user,
        action="gratification.rule.changed",
        obj=rule,
        summary={"category": category, "effective_from": effective_from, "removed": removed},
    )
    return rule
