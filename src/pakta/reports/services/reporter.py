"""The reporter, with the receipt code: reading the case, messages, closing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.org.models import Pemda
from pakta.reports import crypto, receipts
from pakta.reports.attachments import Upload
from pakta.reports.models import (
    Report,
    ReportMessage,
)
from pakta.reports.services.base import Stage
from pakta.reports.services.intake import _checked, _clean_text, _store_attachments
from pakta.reports.services.recipients import _notify, _users

# --- The reporter, with the receipt code ------------------------------------------------------------


def reporter_login(*, pemda: Pemda, code: str) -> tuple[Report, bytes]:
    """Find the report of a receipt code and open its key. Raises ``DomainError`` when the code
    is wrong or too many wrong codes were tried recently (nothing about the sender is kept)."""
    digits = receipts.normalise_receipt(code)
    if receipts.receipt_attempts_blocked(digits):
        raise DomainError(
            _("Too many wrong receipt codes were tried. Wait %(minutes)d minutes and try again.")
            % {"minutes": receipts.WINDOW_SECONDS // 60},
            code="rate_limited",
        )
    report = None
    if digits:
        report = Report.objects.filter(
            pemda=pemda, receipt_index=receipts.receipt_index(digits)
        ).first()
    if report is None or not receipts.receipt_verify(report.receipt_hash, digits):
        receipts.receipt_failure_record(digits)
        raise DomainError(
            _("This receipt code is not known. Check the 16 digits and try again."),
            code="wrong_receipt",
        )
    cost = crypto.KdfCost(report.receipt_opslimit, report.receipt_memlimit)
    wrap_key = crypto.derive_key(digits, bytes(report.receipt_salt), cost)
    return report, crypto.decrypt(wrap_key, bytes(report.receipt_wrapped_key))


def _check_report_key(report: Report, report_key: bytes) -> None:
    try:
        crypto.decrypt(report_key, bytes(report.content))
    except crypto.DecryptionError:
        raise DomainError(_("This report cannot be opened with this key.")) from None


def _grant_holders(report: Report) -> list[Any]:
    ids = report.grants.filter(user__isnull=False).values_list("user_id", flat=True)
    return _users(ids)


@transaction.atomic
def report_reporter_message(
    *,
    report: Report,
    report_key: bytes,
    body: str,
    uploads: Sequence[Upload] = (),
    strip_metadata: bool = False,
) -> ReportMessage:
    """The reporter adds information or answers a question, with files if any."""
    _check_report_key(report, report_key)
    if report.stage == Stage.CLOSED:
        raise DomainError(_("This report is closed: nothing more can be added."))
    body = _clean_text(body, _("your message"))
    checked = _checked(uploads)
    if not body and not checked:
        raise DomainError(_("Write a message or attach a file."))
    message = ReportMessage.objects.create(
        report=report,
        kind=ReportMessage.Kind.FROM_REPORTER,
        body=crypto.encrypt_json(report_key, {"text": body}),
    )
    _store_attachments(report, report_key, checked, message=message, strip=strip_metadata)
    audit_record(
        actor=None,
        action="reports.message.from_reporter",
        obj=message,
        pemda_id=report.pemda_id,
        summary={"report_id": report.pk, "attachments": len(checked)},
    )
    report.save(update_fields=["updated_at"])
    _notify(
        _grant_holders(report),
        report,
        _("The reporter of %(reference)s has written.") % {"reference": report.reference},
    )
    return message


@transaction.atomic
def report_identity_disclose(
    *, report: Report, report_key: bytes, name: str, contact: str = ""
) -> Report:
    """An anonymous reporter discloses who they are. Once disclosed, never withdrawn."""
    _check_report_key(report, report_key)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.identity_disclosed_at is not None:
        raise DomainError(
            _("Your identity has already been disclosed; it cannot be changed or withdrawn.")
        )
    name = _clean_text(name, _("your name"))[:300]
    if not name:
        raise DomainError(_("Give your name to disclose your identity."))
    identity = {"name": name, "contact": _clean_text(contact, _("how to reach you"))[:300]}
    report.identity = crypto.encrypt_json(report_key, identity)
    report.identity_mode = Report.IdentityMode.CONFIDENTIAL
    report.identity_disclosed_at = timezone.now()
    report.save(update_fields=["identity", "identity_mode", "identity_disclosed_at", "updated_at"])
    audit_record(actor=None, action="reports.identity.disclosed", obj=report)
    return report
