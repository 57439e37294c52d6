"""Shared by the performance services: settings, who is who for an agreement, the guards every
workflow step calls, the budget calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.permissions import has_permission
from pakta.core.uploads import upload_limit
from pakta.org.models import Official, Pemda, Position
from pakta.org.selectors import current_position, direct_superior, regional_head
from pakta.performance.models import (
    BudgetCalendar,
    PerformanceAgreement,
)

Agreement = PerformanceAgreement
Status = PerformanceAgreement.Status
EVIDENCE_EXTENSIONS = (
    "pdf",
    "jpg",
    "jpeg",
    "png",
    "xlsx",
    "xls",
    "docx",
    "doc",
    "csv",
    "odt",
    "ods",
    "zip",
)


def agreement_due_days() -> int:
    return int(getattr(settings, "PAKTA_AGREEMENT_DUE_DAYS", 30))


def realization_deadline_days() -> int:
    return int(getattr(settings, "PAKTA_REALIZATION_DEADLINE_DAYS", 10))


def evidence_max_bytes() -> int:
    return upload_limit("evidence")


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
