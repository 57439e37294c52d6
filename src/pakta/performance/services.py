"""Perjanjian Kinerja: every write, one service per workflow edge, each with an audit event.

The agreement moves draft → submitted → approved (or returned, then submitted again) → signed
by the first party, then by the second party. A signed agreement is revised by a new version
(PK Perubahan) that replaces it when both parties have signed it.

The aggregates that dashboards read are kept here, in the same transaction as the change:
``AgreementCount`` (current agreements by status per Pemda, unit and year),
``AgreementAchievement`` (per agreement and quarter) and ``AchievementRollup`` (per unit and
quarter, the sum of the agreement rows). See docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.accounts.credentials import Reauthentication
from pakta.audit.services import audit_record
from pakta.core.documents import document_store
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.permissions import has_permission
from pakta.org.models import Assignment, Official, Pemda, Position
from pakta.org.selectors import current_position, direct_superior, regional_head, top_unit
from pakta.performance.achievement import to_decimal
from pakta.performance.measure import agreement_figures
from pakta.performance.models import (
    QUARTER_LABELS,
    QUARTERS,
    REVISION_TRIGGERS,
    AchievementFigures,
    AchievementRollup,
    AgreementAchievement,
    AgreementCount,
    BudgetCalendar,
    EvidenceFile,
    Goal,
    Indicator,
    PerformanceAgreement,
    Polarity,
    Programme,
    QuarterTarget,
    Realization,
)
from pakta.performance.todo import announce_agreement, announce_realization
from pakta.reports.attachments import content_matches, file_size_text
from pakta.signing import services as signing
from pakta.signing.models import PendingSignature, Signature, SignedDocument

Agreement = PerformanceAgreement
Status = PerformanceAgreement.Status
EVIDENCE_EXTENSIONS = {
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".xlsx",
    ".xls",
    ".docx",
    ".doc",
    ".csv",
    ".odt",
    ".ods",
    ".zip",
}


def agreement_due_days() -> int:
    return int(getattr(settings, "PAKTA_AGREEMENT_DUE_DAYS", 30))


def realization_deadline_days() -> int:
    return int(getattr(settings, "PAKTA_REALIZATION_DEADLINE_DAYS", 10))


def evidence_max_bytes() -> int:
    return int(getattr(settings, "PAKTA_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


# --- Who is who -------------------------------------------------------------------------------


def superior_for(official: Official) -> tuple[Official | None, str]:
    """The second party: the direct superior, or the regional head for the head of an OPD."""
    position = current_position(official)
    if position is not None and position.level == Position.Level.JPT_UTAMA:
        return None, ""  # the regional head's own agreement has no superior in the Pemda
    superior = direct_superior(official, position)
    if superior is not None:
        superior_position = current_position(superior)
        if superior_position is None or superior_position.level != Position.Level.JPT_UTAMA:
            return superior, superior_position.title if superior_position else ""
    head = regional_head(official.pemda)
    if head is not None and head[0].pk != official.pk:
        return head
    return None, ""


def _official_of(user: Any) -> int | None:
    return getattr(user, "official_id", None)


def is_manager(user: Any, pemda: Pemda) -> bool:
    return has_permission(user, pemda, "performance.manage")


def _require_editor(agreement: Agreement, user: Any) -> None:
    if _official_of(user) != agreement.official_id and not is_manager(user, agreement.pemda):
        raise PermissionDeniedError(
            _("Only the official who is the first party, or an administrator, can change it.")
        )
    if not agreement.is_editable:
        raise DomainError(
            _("Only a draft or a returned agreement can be changed; this one is %(status)s.")
            % {"status": agreement.get_status_display().lower()}
        )


def _require_superior(agreement: Agreement, user: Any) -> None:
    if agreement.superior_id is None or _official_of(user) != agreement.superior_id:
        raise PermissionDeniedError(
            _("Only the second party of this agreement (the superior) can do this.")
        )


def _lock(agreement: Agreement) -> Agreement:
    return (
        PerformanceAgreement.objects.select_for_update(of=("self",))
        .select_related("pemda", "official", "superior", "unit", "revision_of")
        .get(pk=agreement.pk)
    )


def _sync(target: Agreement, source: Agreement, *names: str) -> None:
    for name in names:
        setattr(target, name, getattr(source, name))


# --- Aggregates -------------------------------------------------------------------------------


def _count(agreement: Agreement, status: str, delta: int) -> None:
    """Move ``delta`` current agreements in or out of ``status`` in the counters."""
    if status == Status.SUPERSEDED or not delta:
        return
    keys: dict[str, Any] = {
        "pemda_id": agreement.pemda_id,
        "unit_id": agreement.unit_id,
        "year": agreement.year,
    }
    row, _created = AgreementCount.objects.get_or_create(**keys)
    AgreementCount.objects.filter(pk=row.pk).update(**{status: F(status) + delta})


def _move_status(agreement: Agreement, new: str) -> None:
    if agreement.is_current:
        _count(agreement, agreement.status, -1)
        _count(agreement, new, +1)
    agreement.status = new


def _rollup_add(agreement: Agreement, quarter: int, deltas: dict[str, Any]) -> None:
    if not any(deltas.values()):
        return
    keys: dict[str, Any] = {
        "pemda_id": agreement.pemda_id,
        "unit_id": agreement.unit_id,
        "year": agreement.year,
        "quarter": quarter,
    }
    row, _created = AchievementRollup.objects.get_or_create(**keys)
    AchievementRollup.objects.filter(pk=row.pk).update(
        **{name: F(name) + value for name, value in deltas.items() if value}
    )


def _refresh_achievement(agreement: Agreement) -> None:
    """Recompute the agreement's four quarter rows from its own indicators (a handful of rows)
    and add the differences to its unit's roll-up rows. Call with the agreement locked."""
    counts = agreement.is_current and agreement.status == Status.SIGNED
    existing = {
        row.quarter: row
        for row in AgreementAchievement.objects.select_for_update().filter(agreement=agreement)
    }
    if not counts:
        for quarter, kept in existing.items():
            _rollup_add(
                agreement, quarter, {n: -getattr(kept, n) for n in AchievementFigures.FIGURES}
            )
        AgreementAchievement.objects.filter(agreement=agreement).delete()
        return
    indicators = list(agreement.indicators.all())
    figures = agreement_figures(
        indicators,
        QuarterTarget.objects.filter(indicator__agreement=agreement),
        Realization.objects.filter(agreement=agreement),
    )
    for quarter in QUARTERS:
        new = figures[quarter].as_dict()
        found = existing.get(quarter)
        if found is None:
            row = AgreementAchievement(
                pemda_id=agreement.pemda_id,
                unit_id=agreement.unit_id,
                agreement=agreement,
                year=agreement.year,
                quarter=quarter,
            )
            old = dict.fromkeys(AchievementFigures.FIGURES, 0)
        else:
            row = found
            old = {n: getattr(row, n) for n in AchievementFigures.FIGURES}
        for name, value in new.items():
            setattr(row, name, value)
        row.save()
        _rollup_add(agreement, quarter, {n: new[n] - old[n] for n in AchievementFigures.FIGURES})


# --- Budget calendar and deadlines -------------------------------------------------------------


def due_date_for(pemda: Pemda, year: int) -> dt.date | None:
    dpa = BudgetCalendar.objects.filter(pemda=pemda, year=year).values_list("dpa_date", flat=True)
    first = dpa.first()
    return first + dt.timedelta(days=agreement_due_days()) if first else None


@transaction.atomic
def budget_calendar_set(
    *, pemda: Pemda, year: int, dpa_date: dt.date, acting_user: Any
) -> BudgetCalendar:
    """Record the DPA date of a year; first versions not yet signed get the new due date."""
    if not is_manager(acting_user, pemda):
        raise PermissionDeniedError(_("Only an administrator can set the budget calendar."))
    if abs(dpa_date.year - year) > 1:
        raise DomainError(_("The DPA date must lie near the budget year."))
    calendar, _created = BudgetCalendar.objects.update_or_create(
        pemda=pemda, year=year, defaults={"dpa_date": dpa_date}
    )
    due = dpa_date + dt.timedelta(days=agreement_due_days())
    updated = (
        PerformanceAgreement.objects.filter(pemda=pemda, year=year, revision_of__isnull=True)
        .exclude(status__in=[Status.SIGNED, Status.SUPERSEDED])
        .update(due_date=due)
    )
    audit_record(
        actor=acting_user,
        action="performance.calendar.set",
        obj=calendar,
        summary={"year": year, "dpa_date": dpa_date.isoformat(), "agreements": updated},
    )
    return calendar


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
    announce_agreement(locked, "submitted")
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
    announce_agreement(locked, "approved")
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
    announce_agreement(locked, "returned")
    return agreement


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
    announce_agreement(locked, "first_signed")


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
            trigger_assignment = (
                official.assignments.filter(end_date__isnull=True).order_by("-start_date").first()
            )
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


# --- Realizations ---------------------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = (
        dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    ) - dt.timedelta(days=1)
    return start, end


def realization_deadline(year: int, quarter: int) -> dt.date:
    """The last day to report a quarter on time: N days after its end (setting)."""
    return quarter_bounds(year, quarter)[1] + dt.timedelta(days=realization_deadline_days())


def _local_today(pemda: Pemda) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(pemda.timezone)).date()


@dataclass
class EvidenceUpload:
    name: str
    content: bytes
    content_type: str = "application/octet-stream"


@transaction.atomic
def realization_submit(
    *,
    indicator: Indicator,
    quarter: int,
    value: Any,
    acting_user: Any,
    note: str = "",
    evidence: Sequence[EvidenceUpload] = (),
) -> Realization:
    """The official reports the value of a quarter with evidence; the superior verifies it.

    A realization first reported after the deadline (N days after the quarter's end, in the
    Pemda's time zone) is flagged late; correcting a returned one keeps the first flag.
    """
    agreement = _lock(indicator.agreement)
    if _official_of(acting_user) != agreement.official_id:
        raise PermissionDeniedError(
            _("Only the official who is the first party reports realizations.")
        )
    if agreement.status != Status.SIGNED or not agreement.is_current:
        raise DomainError(_("Realizations are reported on the signed, current agreement."))
    if quarter not in QUARTERS:
        raise DomainError(_("A quarter is a number from 1 to 4."))
    label = QUARTER_LABELS[quarter]
    today = _local_today(agreement.pemda)
    if today < quarter_bounds(agreement.year, quarter)[0]:
        raise DomainError(_("%(quarter)s has not started yet.") % {"quarter": label})
    number = to_decimal(value)
    if number is None or not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise DomainError(_("The realization must be a number."))
    files = list(evidence)
    for upload in files:
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in EVIDENCE_EXTENSIONS:
            raise DomainError(
                _("%(name)s: this kind of file is not accepted as evidence.")
                % {"name": upload.name}
            )
        if not upload.content:
            raise DomainError(_("%(name)s is empty.") % {"name": upload.name})
        if len(upload.content) > evidence_max_bytes():
            raise DomainError(
                _("The file “%(name)s” is %(size)s; each file may be at most %(limit)s.")
                % {
                    "name": upload.name,
                    "size": file_size_text(len(upload.content)),
                    "limit": file_size_text(evidence_max_bytes()),
                }
            )
        # By its content, not only its name: a text file named .pdf is refused.
        if content_matches(suffix.lstrip("."), upload.content) is False:
            raise DomainError(
                _("The file “%(name)s” is not a valid %(type)s file.")
                % {"name": upload.name, "type": suffix.lstrip(".").upper()}
            )
    realization = (
        Realization.objects.select_for_update().filter(indicator=indicator, quarter=quarter).first()
    )
    now = timezone.now()
    if realization is not None and realization.status == Realization.Status.VERIFIED:
        raise DomainError(
            _("The realization of %(quarter)s has been verified and can no longer be changed.")
            % {"quarter": label}
        )
    if not files and (realization is None or not realization.evidence.exists()):
        raise DomainError(_("Attach at least one evidence file."))
    if realization is None:
        realization = Realization.objects.create(
            pemda_id=agreement.pemda_id,
            indicator=indicator,
            agreement=agreement,
            quarter=quarter,
            value=number,
            note=note.strip(),
            submitted_at=now,
            submitted_by=acting_user,
            is_late=today > realization_deadline(agreement.year, quarter),
        )
    else:
        realization.value = number
        realization.note = note.strip()
        realization.status = Realization.Status.SUBMITTED
        realization.submitted_at = now
        realization.submitted_by = acting_user
        realization.save(
            update_fields=["value", "note", "status", "submitted_at", "submitted_by", "updated_at"]
        )
    for upload in files:
        stored = document_store(
            content=upload.content,
            content_type=upload.content_type or "application/octet-stream",
            original_name=PurePath(upload.name).name[:255],
        )
        EvidenceFile.objects.create(
            realization=realization, document=stored, name=PurePath(upload.name).name[:255]
        )
    _refresh_achievement(agreement)
    audit_record(
        actor=acting_user,
        action="performance.realization.submitted",
        obj=realization,
        summary={
            "indicator_id": indicator.pk,
            "quarter": quarter,
            "evidence": len(files),
            "late": realization.is_late,
        },
    )
    announce_realization(realization, "submitted")
    return realization


@transaction.atomic
def realization_verify(*, realization: Realization, acting_user: Any) -> Realization:
    """The superior accepts the reported value; it then counts in the achievement."""
    agreement = _lock(realization.agreement)
    _require_superior(agreement, acting_user)
    realization = Realization.objects.select_for_update().get(pk=realization.pk)
    if realization.status != Realization.Status.SUBMITTED:
        raise DomainError(_("Only a realization awaiting verification can be verified."))
    realization.status = Realization.Status.VERIFIED
    realization.verified_at = timezone.now()
    realization.verified_by = acting_user
    realization.return_reason = ""
    realization.save(
        update_fields=["status", "verified_at", "verified_by", "return_reason", "updated_at"]
    )
    _refresh_achievement(agreement)
    audit_record(
        actor=acting_user,
        action="performance.realization.verified",
        obj=realization,
        summary={"quarter": realization.quarter},
    )
    return realization


@transaction.atomic
def realization_return(*, realization: Realization, reason: str, acting_user: Any) -> Realization:
    """The superior returns the reported value with a reason; the official corrects it."""
    agreement = _lock(realization.agreement)
    _require_superior(agreement, acting_user)
    realization = Realization.objects.select_for_update().get(pk=realization.pk)
    if realization.status != Realization.Status.SUBMITTED:
        raise DomainError(_("Only a realization awaiting verification can be returned."))
    realization.return_reason = _clean_text(
        reason, _("Give the reason, so that the official knows what to correct."), 2000
    )
    realization.status = Realization.Status.RETURNED
    realization.save(update_fields=["status", "return_reason", "updated_at"])
    _refresh_achievement(agreement)
    audit_record(
        actor=acting_user,
        action="performance.realization.returned",
        obj=realization,
        summary={"quarter": realization.quarter},
    )
    announce_realization(realization, "returned")
    return realization


# --- Reminders ------------------------------------------------------------------------------------


def agreements_remind(*, acting_user: Any = None, pemda: Pemda | None = None) -> int:
    """Remind the first party of every overdue agreement in the app (once a day at most).

    One audit event per Pemda with the count; the reminders are in-app notifications in the
    language of the documents. Returns how many officials were reminded.
    """
    from django.utils import translation

    from pakta.notifications.services import notify

    today = timezone.localdate()
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    qs = (
        PerformanceAgreement.objects.filter(is_current=True, due_date__lt=today)
        .exclude(status__in=[Status.SIGNED, Status.SUPERSEDED])
        .exclude(last_reminded_at__gte=start_of_day)
        .select_related("pemda", "official__user")
    )
    if pemda is not None:
        qs = qs.filter(pemda=pemda)
    reminded: dict[int, list[int]] = {}
    for agreement in qs.order_by("pemda_id", "pk"):
        user = getattr(agreement.official, "user", None)
        with transaction.atomic():
            if user is not None:
                with translation.override("id"):
                    message = _(
                        "Your Perjanjian Kinerja %(year)s was due on %(date)s and is not signed "
                        "yet."
                    ) % {"year": agreement.year, "date": agreement.due_date.isoformat()}  # type: ignore[union-attr]
                notify(
                    user=user,
                    message=message,
                    url=agreement.get_absolute_url(),
                    pemda=agreement.pemda,
                )
            PerformanceAgreement.objects.filter(pk=agreement.pk).update(
                last_reminded_at=timezone.now()
            )
            reminded.setdefault(agreement.pemda_id, []).append(agreement.pk)
    for pemda_id, ids in reminded.items():
        with transaction.atomic():
            audit_record(
                actor=acting_user,
                action="performance.reminders.sent",
                pemda_id=pemda_id,
                summary={"agreements": len(ids)},
            )
    return sum(len(ids) for ids in reminded.values())
