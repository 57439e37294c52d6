"""Intake: a report and its attachments, filed anonymously or not."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.documents import document_store
from pakta.core.errors import DomainError
from pakta.org.models import Pemda, Unit
from pakta.reports import crypto, deadlines, receipts
from pakta.reports.attachments import AttachmentError, Upload, check_uploads, strip_metadata
from pakta.reports.models import (
    Report,
    ReportAttachment,
    ReportExclusion,
    ReportMessage,
)
from pakta.reports.services.base import CIPHERTEXT, MAX_TEXT, Stage, Submission
from pakta.reports.services.recipients import (
    _excluded,
    _notify,
    _routing,
    _seal_to_handlers,
    _user_stub,
)

# --- Attachments ----------------------------------------------------------------------------------


def _checked(uploads: Sequence[Upload]) -> list[Upload]:
    try:
        return check_uploads(list(uploads))
    except AttachmentError as error:
        raise DomainError(str(error), code="attachment") from None


def _store_attachments(
    report: Report,
    report_key: bytes,
    uploads: Sequence[Upload],
    *,
    message: ReportMessage | None = None,
    handler_only: bool = False,
    strip: bool = False,
) -> list[ReportAttachment]:
    stored = []
    for upload in uploads:
        cleaned = strip_metadata(upload.data, upload.content_type) if strip else None
        main = cleaned if cleaned is not None else upload.data
        # Only ciphertext reaches the document store, under no file name.
        document = document_store(
            content=crypto.encrypt_blob(report_key, main), content_type=CIPHERTEXT, fresh=True
        )
        original = None
        if cleaned is not None:
            original = document_store(
                content=crypto.encrypt_blob(report_key, upload.data),
                content_type=CIPHERTEXT,
                fresh=True,
            )
        meta = {
            "name": upload.name[:200],
            "content_type": upload.content_type,
            "size": len(main),
            "stripped": cleaned is not None,
            "original_size": len(upload.data),
        }
        stored.append(
            ReportAttachment(
                report=report,
                message=message,
                handler_only=handler_only,
                document=document,
                original=original,
                meta=crypto.encrypt_json(report_key, meta),
            )
        )
    return ReportAttachment.objects.bulk_create(stored)


# --- Intake ---------------------------------------------------------------------------------------


def _clean_text(value: str, label: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Describe %(what)s.") % {"what": label})
    if len(value) > MAX_TEXT:
        raise DomainError(
            _("The text is too long: at most %(count)d characters.") % {"count": MAX_TEXT}
        )
    return value


def content_bytes(content: dict[str, str]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def report_submit(
    *,
    pemda: Pemda,
    category: str,
    what: str,
    who: str = "",
    when: str = "",
    where: str = "",
    reported_unit: Unit | None = None,
    identity_mode: str = Report.IdentityMode.ANONYMOUS,
    identity_name: str = "",
    identity_contact: str = "",
    uploads: Sequence[Upload] = (),
    strip_metadata: bool = False,
    receipt: receipts.PreparedReceipt | None = None,
) -> Submission:
    """File a report (no login). Returns the report and its receipt code, to be shown once.

    The report gets its own key; its content, identity and files are encrypted with it and the
    key is sealed to every enrolled handler of the Pemda who is not excluded (named in "who" or
    working in the reported unit) and to the escrow key if one is active. The case is assigned
    to the eligible handler with the fewest open cases. Raises ``DomainError`` for bad input.
    """
    if category not in Report.Category.values:
        raise DomainError(_("Choose a category."))
    if identity_mode not in Report.IdentityMode.values:
        raise DomainError(_("Choose whether to report anonymously or confidentially."))
    content = {
        "what": _clean_text(what, _("what happened"), required=True),
        "who": _clean_text(who, _("who was involved")),
        "when": _clean_text(when, _("when it happened"))[:500],
        "where": _clean_text(where, _("where it happened"))[:500],
    }
    identity = None
    if identity_mode == Report.IdentityMode.CONFIDENTIAL:
        identity = {
            "name": _clean_text(identity_name, _("your name"))[:300],
            "contact": _clean_text(identity_contact, _("how to reach you"))[:300],
        }
        if not identity["name"]:
            raise DomainError(
                _("Give your name to report confidentially, or choose to report anonymously.")
            )
    if reported_unit is not None and reported_unit.pemda_id != pemda.pk:
        raise DomainError(_("Choose a unit of this Pemda."))
    checked = _checked(uploads)
    receipt = receipt or receipts.receipt_prepare()
    # Recusal needs the plaintext: computed now, before encryption; only user ids are kept.
    routing = _routing(pemda)
    excluded = _excluded(routing.handlers, content["who"], reported_unit)
    recipients = [
        h for h in routing.handlers if h.user_id not in excluded and h.public_key is not None
    ]
    # The eligible handler with the fewest open cases gets the case (the lowest id on a tie).
    chosen = min(recipients, key=lambda h: (h.open_cases, h.user_id), default=None)
    assignee_id = chosen.user_id if chosen is not None else None
    report_key = crypto.new_key()
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.create(
            pemda=pemda,
            category=category,
            stage=Stage.RECEIVED,
            stage_changed_at=now,
            due_at=deadlines.stage_deadline(Stage.RECEIVED, now, pemda.timezone),
            reported_unit=reported_unit,
            assignee_id=assignee_id,
            identity_mode=identity_mode,
            identity_disclosed_at=now if identity is not None else None,
            receipt_index=receipt.index,
            receipt_hash=receipt.hash,
            receipt_salt=receipt.salt,
            receipt_opslimit=receipt.cost.opslimit,
            receipt_memlimit=receipt.cost.memlimit,
            receipt_wrapped_key=receipt.wrap(report_key),
            content=crypto.encrypt_json(report_key, content),
            identity=crypto.encrypt_json(report_key, identity) if identity is not None else None,
            content_fingerprint=crypto.keyed_fingerprint(report_key, content_bytes(content)),
        )
        if excluded:
            ReportExclusion.objects.bulk_create(
                ReportExclusion(report=report, user_id=pk, reason=ReportExclusion.Reason.AUTOMATIC)
                for pk in excluded
            )
        _store_attachments(report, report_key, checked, strip=strip_metadata)
        _seal_to_handlers(report, report_key, recipients, routing)
        audit_record(
            actor=None,
            action="reports.report.submitted",
            obj=report,
            summary={
                "category": category,
                "attachments": len(checked),
                "excluded": len(excluded),
                "sealed_to": len(recipients),
                "assignee_id": assignee_id,
            },
        )
        # The assignee is told; the other handlers see the case in their list.
        if assignee_id is not None:
            _notify(
                [_user_stub(assignee_id)],
                report,
                _("A new integrity report %(reference)s was assigned to you.")
                % {"reference": report.reference},
            )
    return Submission(report=report, receipt=receipt.code, report_key=report_key)
