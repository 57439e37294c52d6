"""Handlers: access to a report's key (grants, recusal, reassignment)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.reports import crypto
from pakta.reports.models import (
    HandlerKey,
    Report,
    ReportExclusion,
    ReportKeyGrant,
)
from pakta.reports.services.recipients import _notify, _pick_assignee, _users, eligible_handler_keys

# --- Handlers: access ---------------------------------------------------------------------------


def report_key_for(report: Report, user: Any, private_key: bytes | None) -> bytes | None:
    """The report key if ``user`` holds a grant and ``private_key`` opens it; else None."""
    if private_key is None or not getattr(user, "is_authenticated", False):
        return None
    grant = report.grants.filter(user=user).first()
    if grant is None:
        return None
    try:
        return crypto.unseal(private_key, bytes(grant.sealed_key))
    except crypto.DecryptionError:
        return None


def _is_excluded(report: Report, user: Any) -> bool:
    return ReportExclusion.objects.filter(report=report, user=user).exists()


def _require_key(report: Report, user: Any, private_key: bytes | None) -> bytes:
    """The acting handler's report key; the guard of every case action."""
    if _is_excluded(report, user):
        raise DomainError(_("You are excluded from this report."))
    key = report_key_for(report, user, private_key)
    if key is None:
        if private_key is None:
            raise DomainError(_("Unlock your report key first (log in again with your password)."))
        raise DomainError(_("This report was not shared with you: you cannot act on it."))
    return key


def _handler_key_for_target(report: Report, to_user: Any) -> HandlerKey:
    target = eligible_handler_keys(report).filter(user=to_user).first()
    if target is None:
        if _is_excluded(report, to_user):
            raise DomainError(_("This handler is excluded from the report."))
        raise DomainError(
            _("This person is no Inspektorat handler of the Pemda with an enrolled report key.")
        )
    return target


def _reseal(
    report: Report, report_key: bytes, target: HandlerKey, acting_user: Any, reason: str
) -> bool:
    if report.grants.filter(user_id=target.user_id).exists():
        return False
    ReportKeyGrant.objects.create(
        report=report,
        user_id=target.user_id,
        sealed_key=crypto.seal_to(bytes(target.public_key), report_key),
        reason=reason,
        granted_by=acting_user,
    )
    return True


@transaction.atomic
def report_share(
    *, report: Report, to_user: Any, acting_user: Any, private_key: bytes | None
) -> ReportKeyGrant:
    """Seal the report key to another handler (e.g. one who enrolled after the report came)."""
    key = _require_key(report, acting_user, private_key)
    target = _handler_key_for_target(report, to_user)
    if not _reseal(report, key, target, acting_user, ReportKeyGrant.Reason.SHARED):
        raise DomainError(_("This handler can already read the report."))
    audit_record(
        actor=acting_user,
        action="reports.report.shared",
        obj=report,
        summary={"to_user_id": to_user.pk},
    )
    return report.grants.get(user=to_user)


@transaction.atomic
def report_assign(
    *, report: Report, to_user: Any, acting_user: Any, private_key: bytes | None
) -> Report:
    """Assign (or transfer) the case to a handler; the key is sealed to them if needed."""
    key = _require_key(report, acting_user, private_key)
    target = _handler_key_for_target(report, to_user)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.assignee_id == to_user.pk:
        raise DomainError(_("The case is already assigned to this handler."))
    _reseal(report, key, target, acting_user, ReportKeyGrant.Reason.SHARED)
    previous = report.assignee_id
    report.assignee = to_user
    report.save(update_fields=["assignee", "updated_at"])
    audit_record(
        actor=acting_user,
        action="reports.report.assigned",
        obj=report,
        summary={"from_user_id": previous, "to_user_id": to_user.pk},
    )
    _notify(
        [to_user],
        report,
        _("The integrity report %(reference)s was assigned to you.")
        % {"reference": report.reference},
    )
    return report


@transaction.atomic
def report_recuse(*, report: Report, acting_user: Any, private_key: bytes | None) -> Report:
    """A handler withdraws from a report (conflict of interest): they lose their key to it.

    If they were the assignee, the case goes to the eligible handler with the fewest open
    cases, who gets the key sealed to them first.
    """
    if _is_excluded(report, acting_user):
        raise DomainError(_("You are already excluded from this report."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    key = report_key_for(report, acting_user, private_key)
    ReportExclusion.objects.create(
        report=report, user=acting_user, reason=ReportExclusion.Reason.RECUSED
    )
    report.grants.filter(user=acting_user).delete()
    substitute = None
    if report.assignee_id == acting_user.pk:
        holders = list(report.grants.filter(user__isnull=False).values_list("user_id", flat=True))
        substitute = _pick_assignee(holders)
        if substitute is None and key is not None:
            candidates = list(eligible_handler_keys(report))
            chosen = _pick_assignee([c.user_id for c in candidates])
            for candidate in candidates:
                if candidate.user_id == chosen:
                    _reseal(report, key, candidate, acting_user, ReportKeyGrant.Reason.SHARED)
            substitute = chosen
        report.assignee_id = substitute
        report.save(update_fields=["assignee", "updated_at"])
    audit_record(
        actor=acting_user,
        action="reports.report.recused",
        obj=report,
        summary={"user_id": acting_user.pk, "assignee_id": report.assignee_id},
    )
    if substitute:
        _notify(
            _users([substitute]),
            report,
            _("The integrity report %(reference)s was assigned to you.")
            % {"reference": report.reference},
        )
    return report
