"""The content of an agreement while it is a draft or returned: goals, indicators, targets,
programmes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.performance.achievement import to_decimal
from pakta.performance.models import (
    QUARTER_LABELS,
    QUARTERS,
    Goal,
    Indicator,
    Polarity,
    Programme,
    QuarterTarget,
)
from pakta.performance.services.base import (
    Agreement,
    Status,
    _lock,
    _official_of,
    _require_editor,
    is_manager,
)

# --- Content (only while draft or returned) -----------------------------------------------------


def _clean_text(value: str, message: str, limit: int = 500) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value[:limit]


@dataclass
class TargetInput:
    target: Decimal | None = None
    upper: Decimal | None = None


def _clean_target(value: Any, upper: Any, label: str) -> TargetInput:
    low = to_decimal(value)
    high = to_decimal(upper)
    if (value not in (None, "") and low is None) or (upper not in (None, "") and high is None):
        raise DomainError(_("%(label)s is not a number.") % {"label": label})
    for number in (low, high):
        if number is not None and (number < 0 or abs(number) >= Decimal("1e15")):
            raise DomainError(_("%(label)s must be zero or more.") % {"label": label})
    if low is None and high is not None:
        raise DomainError(_("%(label)s has an upper bound but no lower bound.") % {"label": label})
    if low is not None and high is not None:
        if high < low:
            raise DomainError(
                _("The upper bound of %(label)s is below its lower bound.") % {"label": label}
            )
        if high == low:
            high = None
    return TargetInput(low, high)


def _clean_indicator(
    *,
    name: str,
    unit_of_measure: str,
    polarity: str,
    target: Any,
    target_upper: Any,
    weight: Any,
    quarter_targets: dict[int, tuple[Any, Any]] | None,
) -> tuple[dict[str, Any], dict[int, TargetInput]]:
    fields: dict[str, Any] = {
        "name": _clean_text(name, _("Give the name of the indicator.")),
        "unit_of_measure": _clean_text(
            unit_of_measure, _("Give the unit of measure (for example %, dokumen, hari)."), 60
        ),
    }
    if polarity not in Polarity.values:
        raise DomainError(_("Choose the polarity: higher is better, lower is better, or a range."))
    fields["polarity"] = polarity
    annual = _clean_target(target, target_upper, _("The annual target"))
    fields["target"], fields["target_upper"] = annual.target, annual.upper
    weight_d = to_decimal(weight if weight not in (None, "") else 1)
    if weight_d is None or weight_d < 0 or weight_d >= Decimal("1e6"):
        raise DomainError(_("The weight must be a number of zero or more."))
    fields["weight"] = weight_d
    quarters: dict[int, TargetInput] = {}
    for quarter, (value, upper) in (quarter_targets or {}).items():
        if quarter not in QUARTERS:
            raise DomainError(_("A quarter is a number from 1 to 4."))
        quarters[quarter] = _clean_target(
            value,
            upper,
            _("The target of %(quarter)s") % {"quarter": QUARTER_LABELS[quarter]},
        )
    return fields, quarters


def _set_targets(indicator: Indicator, quarters: dict[int, TargetInput]) -> None:
    for quarter, value in quarters.items():
        if value.target is None:
            QuarterTarget.objects.filter(indicator=indicator, quarter=quarter).delete()
        else:
            QuarterTarget.objects.update_or_create(
                indicator=indicator,
                quarter=quarter,
                defaults={"target": value.target, "target_upper": value.upper},
            )


def _next_order(qs: Any) -> int:
    last = qs.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def goal_add(*, agreement: Agreement, name: str, acting_user: Any) -> Goal:
    agreement = _lock(agreement)
    _require_editor(agreement, acting_user)
    goal = Goal.objects.create(
        agreement=agreement,
        name=_clean_text(name, _("Give the strategic goal.")),
        order=_next_order(agreement.goals.all()),
    )
    audit_record(
        actor=acting_user,
        action="performance.goal.added",
        obj=goal,
        pemda_id=agreement.pemda_id,
        summary={"agreement_id": agreement.pk},
    )
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, name: str, acting_user: Any, order: int | None = None) -> Goal:
    agreement = _lock(goal.agreement)
    _require_editor(agreement, acting_user)
    goal.name = _clean_text(name, _("Give the strategic goal."))
    if order is not None:
        goal.order = max(0, int(order))
    goal.save(update_fields=["name", "order"])
    audit_record(
        actor=acting_user,
        action="performance.goal.updated",
        obj=goal,
        pemda_id=agreement.pemda_id,
        summary={"agreement_id": agreement.pk},
    )
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, acting_user: Any) -> None:
    """Remove a goal with its indicators (only while the agreement is a draft)."""
    agreement = _lock(goal.agreement)
    _require_editor(agreement, acting_user)
    pk = goal.pk
    indicators = goal.indicators.count()
    goal.delete()
    audit_record(
        actor=acting_user,
        action="performance.goal.deleted",
        pemda_id=agreement.pemda_id,
        obj=agreement,
        summary={"goal_id": pk, "indicators": indicators},
    )


@transaction.atomic
def indicator_add(
    *,
    goal: Goal,
    acting_user: Any,
    name: str,
    unit_of_measure: str,
    polarity: str = Polarity.HIGHER,
    target: Any = None,
    target_upper: Any = None,
    weight: Any = 1,
    quarter_targets: dict[int, tuple[Any, Any]] | None = None,
    cascaded_from: Indicator | None = None,
    audit: bool = True,
) -> Indicator:
    agreement = _lock(goal.agreement)
    _require_editor(agreement, acting_user)
    fields, quarters = _clean_indicator(
        name=name,
        unit_of_measure=unit_of_measure,
        polarity=polarity,
        target=target,
        target_upper=target_upper,
        weight=weight,
        quarter_targets=quarter_targets,
    )
    indicator = Indicator.objects.create(
        goal=goal,
        agreement=agreement,
        order=_next_order(goal.indicators.all()),
        cascaded_from=cascaded_from,
        **fields,
    )
    _set_targets(indicator, quarters)
    if audit:
        audit_record(
            actor=acting_user,
            action="performance.indicator.added",
            obj=indicator,
            pemda_id=agreement.pemda_id,
            summary={"agreement_id": agreement.pk, "goal_id": goal.pk},
        )
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    acting_user: Any,
    name: str,
    unit_of_measure: str,
    polarity: str,
    target: Any,
    target_upper: Any = None,
    weight: Any = 1,
    quarter_targets: dict[int, tuple[Any, Any]] | None = None,
    goal: Goal | None = None,
) -> Indicator:
    """Change an indicator and its quarterly targets (a quarter given as empty is cleared)."""
    agreement = _lock(indicator.agreement)
    _require_editor(agreement, acting_user)
    fields, quarters = _clean_indicator(
        name=name,
        unit_of_measure=unit_of_measure,
        polarity=polarity,
        target=target,
        target_upper=target_upper,
        weight=weight,
        quarter_targets=quarter_targets,
    )
    if goal is not None:
        if goal.agreement_id != agreement.pk:
            raise DomainError(_("Choose a goal of the same agreement."))
        fields["goal"] = goal
    before = {name: getattr(indicator, name) for name in fields}
    for name_, value in fields.items():
        setattr(indicator, name_, value)
    indicator.save()
    _set_targets(indicator, quarters)
    audit_record(
        actor=acting_user,
        action="performance.indicator.updated",
        obj=indicator,
        pemda_id=agreement.pemda_id,
        summary={
            "agreement_id": agreement.pk,
            "changed": sorted(n for n in fields if before[n] != fields[n]),
            "quarters": sorted(quarters),
        },
    )
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, acting_user: Any) -> None:
    agreement = _lock(indicator.agreement)
    _require_editor(agreement, acting_user)
    pk = indicator.pk
    indicator.delete()
    audit_record(
        actor=acting_user,
        action="performance.indicator.deleted",
        obj=agreement,
        summary={"indicator_id": pk},
    )


def _clean_budget(value: Any) -> Decimal:
    budget = to_decimal(value if value not in (None, "") else 0)
    if budget is None or budget < 0 or budget >= Decimal("1e16"):
        raise DomainError(_("The budget must be an amount in rupiah of zero or more."))
    return budget.quantize(Decimal("0.01"))


@transaction.atomic
def programme_add(*, agreement: Agreement, name: str, budget: Any, acting_user: Any) -> Programme:
    agreement = _lock(agreement)
    _require_editor(agreement, acting_user)
    programme = Programme.objects.create(
        agreement=agreement,
        name=_clean_text(name, _("Give the name of the programme.")),
        budget=_clean_budget(budget),
        order=_next_order(agreement.programmes.all()),
    )
    audit_record(
        actor=acting_user,
        action="performance.programme.added",
        obj=programme,
        pemda_id=agreement.pemda_id,
        summary={"agreement_id": agreement.pk, "budget": str(programme.budget)},
    )
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, name: str, budget: Any, acting_user: Any
) -> Programme:
    agreement = _lock(programme.agreement)
    _require_editor(agreement, acting_user)
    old_budget = programme.budget
    programme.name = _clean_text(name, _("Give the name of the programme."))
    programme.budget = _clean_budget(budget)
    programme.save(update_fields=["name", "budget"])
    audit_record(
        actor=acting_user,
        action="performance.programme.updated",
        obj=programme,
        pemda_id=agreement.pemda_id,
        summary={
            "agreement_id": agreement.pk,
            "budget": [str(old_budget), str(programme.budget)],
        },
    )
    return programme


@transaction.atomic
def programme_delete(*, programme: Programme, acting_user: Any) -> None:
    agreement = _lock(programme.agreement)
    _require_editor(agreement, acting_user)
    pk = programme.pk
    programme.delete()
    audit_record(
        actor=acting_user,
        action="performance.programme.deleted",
        obj=agreement,
        summary={"programme_id": pk},
    )


@transaction.atomic
def indicator_cascade(
    *,
    source: Indicator,
    agreement: Agreement,
    acting_user: Any,
    goal: Goal | None = None,
    target: Any = None,
    quarter_targets: dict[int, tuple[Any, Any]] | None = None,
) -> Indicator:
    """Copy an indicator of the superior's agreement into a subordinate's draft agreement.

    The copy records ``cascaded_from``, which the cascade tree (pohon kinerja) follows. It goes
    into ``goal`` or a goal named as the source's goal (created when missing). The subordinate,
    the superior or an administrator may cascade; targets may be given for the subordinate's
    share, otherwise the source's are copied.
    """
    source = Indicator.objects.select_related("agreement", "goal").get(pk=source.pk)
    parent = source.agreement
    if parent.pemda_id != agreement.pemda_id or parent.year != agreement.year:
        raise DomainError(_("Cascade within the same Pemda and year only."))
    if agreement.superior_id != parent.official_id:
        raise DomainError(
            _("An indicator is cascaded from the agreement of the second party (the superior).")
        )
    if parent.status == Status.SUPERSEDED:
        raise DomainError(_("This indicator belongs to a version that has been replaced."))
    locked = _lock(agreement)
    allowed = {locked.official_id, locked.superior_id}
    if _official_of(acting_user) not in allowed and not is_manager(acting_user, locked.pemda):
        raise PermissionDeniedError(
            _("Only the official, their superior or an administrator can cascade an indicator.")
        )
    if not locked.is_editable:
        raise DomainError(_("Indicators can only be cascaded into a draft or returned agreement."))
    if locked.indicators.filter(cascaded_from=source).exists():
        raise DomainError(_("This indicator has already been cascaded into the agreement."))
    if goal is None:
        goal = locked.goals.filter(name=source.goal.name).first() or Goal.objects.create(
            agreement=locked, name=source.goal.name, order=_next_order(locked.goals.all())
        )
    elif goal.agreement_id != locked.pk:
        raise DomainError(_("Choose a goal of the same agreement."))
    if quarter_targets is None and target is None:
        quarter_targets = {
            row.quarter: (row.target, row.target_upper) for row in source.targets.all()
        }
    indicator = _cascade_copy(locked, goal, source, target, quarter_targets)
    audit_record(
        actor=acting_user,
        action="performance.indicator.cascaded",
        obj=indicator,
        pemda_id=locked.pemda_id,
        summary={"agreement_id": locked.pk, "source_id": source.pk},
    )
    return indicator


def _cascade_copy(
    agreement: Agreement,
    goal: Goal,
    source: Indicator,
    target: Any,
    quarter_targets: dict[int, tuple[Any, Any]] | None,
) -> Indicator:
    fields, quarters = _clean_indicator(
        name=source.name,
        unit_of_measure=source.unit_of_measure,
        polarity=source.polarity,
        target=source.target if target is None else target,
        target_upper=source.target_upper if target is None else None,
        weight=source.weight,
        quarter_targets=quarter_targets,
    )
    indicator = Indicator.objects.create(
        goal=goal,
        agreement=agreement,
        order=_next_order(goal.indicators.all()),
        cascaded_from=source,
        **fields,
    )
    _set_targets(indicator, quarters)
    return indicator
