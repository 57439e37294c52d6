"""Opening a discipline case, and logging every reading of one."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.permissions import has_permission
from pakta.discipline import origins
from pakta.discipline.models import CaseStep, DisciplineCase, Provision
from pakta.discipline.rules import SUMMONS_DAYS, Authority, Level
from pakta.org.models import Official, Pemda
from pakta.org.selectors import (
    current_assignment,
    direct_superior,
    head_of,
    regional_head,
    top_unit,
)
from pakta.org.workdays import WorkCalendar


class DisciplineError(DomainError):
    """A refusal that belongs next to one field of the form (``field``), or to the whole form."""

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def authority_officials(case: DisciplineCase) -> dict[str, Official | None]:
    """Who holds each authority for ``case`` now: the direct superior recorded at opening, the
    head of the official's OPD, and the regional head (PPK). Never the official themselves."""
    cached: dict[str, Official | None] | None = getattr(case, "_authorities", None)
    if cached is not None:
        return cached
    found: dict[str, Official | None] = {
        Authority.DIRECT_SUPERIOR: case.superior,
        Authority.HEAD_OF_OPD: head_of(case.unit) if case.unit_id else None,  # type: ignore[arg-type]
        Authority.REGIONAL_HEAD: (regional_head(case.pemda) or (None, ""))[0],
    }
    result = {
        k: (v if v is not None and v.pk != case.official_id else None) for k, v in found.items()
    }
    case._authorities = result  # type: ignore[attr-defined]
    return result


def _facts_key(
    official: Official, origin: str, ref: Any, incident_date: dt.date, codes: list[str]
) -> str:
    if origin == DisciplineCase.Origin.MANUAL:
        raw = f"{official.pk}|manual|{incident_date.isoformat()}|{','.join(sorted(codes))}"
    else:
        raw = f"{official.pk}|{origin}|{ref}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _next_number(pemda: Pemda, year: int) -> str:
    prefix = f"HD-{year}-"
    last = (
        DisciplineCase.objects.select_for_update()
        .filter(pemda=pemda, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:04d}"


def _signed_pact(official: Official, year: int) -> Any:
    from pakta.pacts.models import Pact

    return (
        Pact.objects.filter(official=official, year=year, status=Pact.Status.SIGNED)
        .select_related("template")
        .order_by("-signed_at")
        .first()
    )


@transaction.atomic
def case_open(
    *,
    pemda: Pemda,
    acting_user: Any,
    official: Official,
    incident_date: dt.date,
    summary: str,
    provisions: Sequence[Provision],
    level: str,
    origin: str = DisciplineCase.Origin.MANUAL,
    origin_report: Any = None,
    origin_action_item: Any = None,
    origin_ref: int | None = None,
    origin_label: str = "",
    pact_clause: int | None = None,
    opened_on: dt.date | None = None,
) -> DisciplineCase:
    """Open a case against ``official`` for the provisions allegedly broken, tied to the clause
    of the official's signed pact of the year of the facts; the first summons is due within
    SUMMONS_DAYS working days."""
    opened_on = opened_on or timezone.localdate()
    if acting_user is not None and not has_permission(acting_user, pemda, "discipline.manage"):
        raise PermissionDeniedError(_("You may not open discipline cases."))
    if official.pemda_id != pemda.pk:
        raise DisciplineError(_("The official belongs to another Pemda."), field="official")
    if level not in Level.values:
        raise DisciplineError(_("Choose the level of the alleged violation."), field="level")
    if not provisions:
        raise DisciplineError(
            _("Choose at least one obligation or prohibition of PP 94/2021 allegedly broken."),
            field="provisions",
        )
    if incident_date > opened_on:
        raise DisciplineError(
            _("The date of the facts cannot be after the date the case is opened."),
            field="incident_date",
        )
    if not summary.strip():
        raise DisciplineError(_("Describe the facts."), field="summary")
    ref: Any = None
    if origin == DisciplineCase.Origin.REPORT:
        if origin_report is None or origin_report.pemda_id != pemda.pk:
            raise DisciplineError(
                _("Choose the whistleblowing report of this Pemda."), field="origin_report"
            )
        if origin_report.stage not in ("substantiated", "follow_up", "closed") or (
            origin_report.stage == "closed" and origin_report.outcome != "substantiated"
        ):
            raise DisciplineError(
                _("Only a substantiated whistleblowing report can open a discipline case."),
                field="origin_report",
            )
        ref = origin_report.pk
        if pact_clause is None and origin_report.official_id == official.pk:
            pact_clause = origin_report.breached_clause  # the clause the handlers linked
    elif origin == DisciplineCase.Origin.ACTION_ITEM:
        if origin_action_item is None or origin_action_item.pemda_id != pemda.pk:
            raise DisciplineError(
                _("Choose the action-plan finding of this Pemda."), field="origin_action_item"
            )
        ref = origin_action_item.pk
    elif origin in origins.KINDS:
        # The real row of this Pemda (another Pemda's is refused), and only one that may open
        # a case: a late gratification, a confirmed conflict finding, a procurement finding.
        row = origins.origin_get(pemda=pemda, kind=origin, pk=origin_ref)
        reason = origins.ineligible_reason(origin, row)
        if reason:
            raise DisciplineError(reason, field="origin_ref")
        ref = row.pk
        origin_label = origins.label_of(origin, row)
    elif origin != DisciplineCase.Origin.MANUAL:
        raise DisciplineError(_("Unknown origin."), field="origin")
    pact = _signed_pact(official, incident_date.year)
    if pact_clause is not None:
        if pact is None:
            raise DisciplineError(
                _("%(name)s has no signed integrity pact for %(year)s: leave the clause empty.")
                % {"name": official.full_name, "year": incident_date.year},
                field="pact_clause",
            )
        if not 1 <= pact_clause <= len(pact.template.clauses):
            raise DisciplineError(
                _("The pact has clauses 1 to %(n)s.") % {"n": len(pact.template.clauses)},
                field="pact_clause",
            )
    codes = [p.code for p in provisions]
    key = _facts_key(official, origin, ref, incident_date, codes)
    existing = DisciplineCase.objects.filter(pemda=pemda, facts_key=key, is_open=True).first()
    if existing is not None:
        raise DisciplineError(
            _("Case %(number)s is already open for the same facts; record the steps there.")
            % {"number": existing.number}
        )
    assignment = current_assignment(official)
    position = assignment.position if assignment else None
    case = DisciplineCase(
        pemda=pemda,
        number=_next_number(pemda, opened_on.year),
        official=official,
        position=position,
        unit=top_unit(position.unit) if position else None,
        superior=direct_superior(official, position),
        incident_date=incident_date,
        opened_on=opened_on,
        year=incident_date.year,
        summary=summary.strip(),
        pact=pact if pact_clause is not None else None,
        pact_clause=pact_clause,
        level=level,
        origin=origin,
        origin_report=origin_report if origin == DisciplineCase.Origin.REPORT else None,
        origin_action_item=origin_action_item
        if origin == DisciplineCase.Origin.ACTION_ITEM
        else None,
        origin_ref=origin_ref if isinstance(origin_ref, int) else None,
        origin_label=origin_label.strip()[:200],
        reporter_disclosed=bool(
            origin_report is not None and getattr(origin_report, "identity_disclosed_at", None)
        ),
        facts_key=key,
        stage=DisciplineCase.Stage.OPENED,
        stage_due=WorkCalendar(pemda).add_working_days(opened_on, SUMMONS_DAYS),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:  # a concurrent opening for the same facts won the race
        raise DisciplineError(_("A case is already open for the same facts.")) from None
    case.provisions.set(provisions)
    CaseStep.objects.create(
        pemda=pemda,
        case=case,
        kind=CaseStep.Kind.OPENED,
        date=opened_on,
        due_date=case.stage_due,
        actor=case.created_by,
    )
    audit_record(
        actor=acting_user,
        action="discipline.case.opened",
        obj=case,
        summary={
            "official_id": official.pk,
            "origin": origin,
            "level": level,
            "provisions": codes,
            "pact_id": case.pact_id,
            "pact_clause": pact_clause,
        },
    )
    _notify_superior(case)
    return case


def _notify_superior(case: DisciplineCase) -> None:
    from pakta.notifications.services import message_send

    superior = case.superior
    user = getattr(superior, "user", None) if superior else None
    if user is None:
        return
    due = case.stage_due

    def render(_user: Any) -> tuple[str, str]:
        return (
            _("Discipline case %(number)s: summon the official by %(due)s")
            % {"number": case.number, "due": due},
            _(
                "As the direct superior you must summon and examine the official (PP 94/2021 "
                "Pasal 26). Open the case to record the summons."
            ),
        )

    message_send(users=[user], render=render, url=case.get_absolute_url(), pemda=case.pemda)


@transaction.atomic
def case_viewed(*, case: DisciplineCase, user: Any) -> None:
    """Every opening of a case page is an audit event (the case is confidential)."""
    audit_record(
        actor=user, action="discipline.case.viewed", obj=case, summary={"stage": case.stage}
    )
