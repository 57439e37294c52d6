"""Handlers: the case (stages, messages, links to officials and pact clauses)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.documents import document_read
from pakta.core.errors import DomainError
from pakta.org.models import Official
from pakta.reports import crypto, deadlines
from pakta.reports.attachments import Upload
from pakta.reports.models import (
    Report,
    ReportAttachment,
    ReportMessage,
)
from pakta.reports.services.access import _is_excluded, _require_key, report_key_for
from pakta.reports.services.base import TRANSITIONS, Stage
from pakta.reports.services.intake import _checked, _clean_text, _store_attachments

# --- Handlers: the case -------------------------------------------------------------------------


@dataclass
class OpenedReport:
    """A report as its handler reads it (decrypted in memory, never stored)."""

    report: Report
    content: dict[str, str]
    messages: list[dict[str, Any]]
    attachments: list[dict[str, Any]]


def _attachment_rows(report: Report, key: bytes, *, for_reporter: bool) -> list[dict[str, Any]]:
    rows = []
    queryset = report.attachments.select_related("message")
    if for_reporter:
        queryset = queryset.filter(handler_only=False).exclude(
            message__kind=ReportMessage.Kind.NOTE
        )
    for attachment in queryset:
        meta = crypto.decrypt_json(key, bytes(attachment.meta))
        rows.append({"attachment": attachment, "message_id": attachment.message_id, **meta})
    return rows


def _message_rows(report: Report, key: bytes, *, for_reporter: bool) -> list[dict[str, Any]]:
    queryset = report.messages.select_related("author")
    if for_reporter:
        queryset = queryset.exclude(kind=ReportMessage.Kind.NOTE)
    return [
        {"message": m, "text": crypto.decrypt_json(key, bytes(m.body))["text"]} for m in queryset
    ]


def _opened(report: Report, key: bytes, *, for_reporter: bool) -> OpenedReport:
    return OpenedReport(
        report=report,
        content=crypto.decrypt_json(key, bytes(report.content)),
        messages=_message_rows(report, key, for_reporter=for_reporter),
        attachments=_attachment_rows(report, key, for_reporter=for_reporter),
    )


def report_reporter_view(*, report: Report, report_key: bytes) -> OpenedReport:
    """What the reporter sees: their report, replies, their files; never handler notes."""
    return _opened(report, report_key, for_reporter=True)


@transaction.atomic
def report_open(*, report: Report, user: Any, private_key: bytes | None) -> OpenedReport | None:
    """A handler opens a report. Every opening is logged, whether or not it could be read."""
    key = None if _is_excluded(report, user) else report_key_for(report, user, private_key)
    audit_record(
        actor=user,
        action="reports.report.opened",
        obj=report,
        summary={"decrypted": key is not None},
    )
    if key is None:
        return None
    return _opened(report, key, for_reporter=False)


@transaction.atomic
def report_identity_reveal(
    *, report: Report, user: Any, private_key: bytes | None
) -> dict[str, str] | None:
    """The reporter's identity for a handler who can read the report (logged, ids only)."""
    key = _require_key(report, user, private_key)
    audit_record(actor=user, action="reports.identity.viewed", obj=report)
    if report.identity is None:
        return None
    identity: dict[str, str] = crypto.decrypt_json(key, bytes(report.identity))
    return identity


@transaction.atomic
def report_attachment_read(
    *, attachment: ReportAttachment, user: Any, private_key: bytes | None, original: bool = False
) -> tuple[dict[str, Any], bytes]:
    """A handler downloads a file of a case (the stripped copy, or the original evidence)."""
    report = attachment.report
    key = _require_key(report, user, private_key)
    meta: dict[str, Any] = crypto.decrypt_json(key, bytes(attachment.meta))
    document = attachment.original if original and attachment.original else attachment.document
    data = crypto.decrypt_blob(key, document_read(document))
    audit_record(
        actor=user,
        action="reports.attachment.opened",
        obj=attachment,
        pemda_id=report.pemda_id,
        summary={"report_id": report.pk, "original": bool(original and attachment.original)},
    )
    return meta, data


def reporter_attachment_read(
    *, attachment: ReportAttachment, report_key: bytes
) -> tuple[dict[str, Any], bytes]:
    """The reporter downloads a file they sent or a handler sent them."""
    visible = not attachment.handler_only and (
        attachment.message is None or attachment.message.kind != ReportMessage.Kind.NOTE
    )
    if not visible:
        raise DomainError(_("This file is not available."))
    meta: dict[str, Any] = crypto.decrypt_json(report_key, bytes(attachment.meta))
    return meta, crypto.decrypt_blob(report_key, document_read(attachment.document))


@transaction.atomic
def report_message_add(
    *,
    report: Report,
    kind: str,
    body: str,
    acting_user: Any,
    private_key: bytes | None,
    uploads: Sequence[Upload] = (),
) -> ReportMessage:
    """A handler writes to the reporter, or adds a note (with files) hidden from the reporter."""
    if kind not in (ReportMessage.Kind.TO_REPORTER, ReportMessage.Kind.NOTE):
        raise DomainError(_("Choose whether this is a message to the reporter or a note."))
    key = _require_key(report, acting_user, private_key)
    body = _clean_text(body, _("the message"))
    checked = _checked(uploads)
    if not body and not checked:
        raise DomainError(_("Write a message or attach a file."))
    message = ReportMessage.objects.create(
        report=report,
        kind=kind,
        author=acting_user,
        body=crypto.encrypt_json(key, {"text": body}),
    )
    _store_attachments(
        report, key, checked, message=message, handler_only=kind == ReportMessage.Kind.NOTE
    )
    audit_record(
        actor=acting_user,
        action=(
            "reports.note.added"
            if kind == ReportMessage.Kind.NOTE
            else "reports.message.to_reporter"
        ),
        obj=message,
        pemda_id=report.pemda_id,
        summary={"report_id": report.pk, "attachments": len(checked)},
    )
    if kind == ReportMessage.Kind.TO_REPORTER and report.first_response_at is None:
        report.first_response_at = timezone.now()
        report.save(update_fields=["first_response_at", "updated_at"])
    return message


@transaction.atomic
def report_transition(
    *, report: Report, to_stage: str, acting_user: Any, private_key: bytes | None
) -> Report:
    """Move the case to ``to_stage`` along an edge of the workflow.

    Guards: the stage may follow the current one (``TRANSITIONS``), and the acting handler can
    read the report. Sets the next deadline, the outcome, the first response and closing times.
    """
    _require_key(report, acting_user, private_key)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if to_stage not in TRANSITIONS.get(report.stage, ()):
        raise DomainError(
            _("A case in the stage “%(current)s” cannot move to “%(target)s”.")
            % {
                "current": Stage(report.stage).label,
                "target": Stage(to_stage).label if to_stage in Stage.values else to_stage,
            }
        )
    now = timezone.now()
    previous = report.stage
    report.stage = to_stage
    report.stage_changed_at = now
    report.due_at = deadlines.stage_deadline(to_stage, now, report.pemda.timezone)
    fields = ["stage", "stage_changed_at", "due_at", "updated_at"]
    if previous == Stage.RECEIVED and report.first_response_at is None:
        report.first_response_at = now
        fields.append("first_response_at")
    if to_stage in (Stage.SUBSTANTIATED, Stage.NOT_SUBSTANTIATED):
        report.outcome = to_stage
        fields.append("outcome")
    if to_stage == Stage.CLOSED:
        report.closed_at = now
        fields.append("closed_at")
    report.save(update_fields=fields)
    audit_record(
        actor=acting_user,
        action="reports.report.stage_changed",
        obj=report,
        summary={"from": previous, "to": to_stage},
    )
    return report


@transaction.atomic
def report_link(
    *,
    report: Report,
    acting_user: Any,
    private_key: bytes | None,
    official: Official | None = None,
    template: Any = None,
    clause: int | None = None,
) -> Report:
    """Link the case to the official concerned and, once substantiated, to the pact clause
    broken (a clause number of a published template version of the Pemda)."""
    _require_key(report, acting_user, private_key)
    report = Report.objects.select_for_update().get(pk=report.pk)
    fields = ["updated_at"]
    if official is not None:
        if official.pemda_id != report.pemda_id:
            raise DomainError(_("Choose an official of this Pemda."))
        report.official = official
        fields.append("official")
    if clause is not None or template is not None:
        if report.outcome != Stage.SUBSTANTIATED:
            raise DomainError(_("Only a substantiated report can be linked to a pact clause."))
        if template is None or template.pemda_id != report.pemda_id:
            raise DomainError(_("Choose a pact template version of this Pemda."))
        if clause is None or not 1 <= clause <= len(template.clauses or []):
            raise DomainError(
                _("Choose a clause between 1 and %(count)d.")
                % {"count": len(template.clauses or [])}
            )
        report.breached_template = template
        report.breached_clause = clause
        fields += ["breached_template", "breached_clause"]
    if len(fields) == 1:
        raise DomainError(_("Choose an official or a pact clause."))
    report.save(update_fields=fields)
    audit_record(
        actor=acting_user,
        action="reports.report.linked",
        obj=report,
        summary={
            "official_id": report.official_id,
            "template_id": report.breached_template_id,
            "clause": report.breached_clause,
        },
    )
    return report
