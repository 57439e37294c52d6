"""Every write of the reporting channel: intake, reporter follow-up, and the case workflow.

Audit events hold ids, stages and counts only: never report text, names, file names or codes.
Services that need a report's content take the acting handler's unwrapped private key
(``private_key``, from the handler's session); a handler the report was not sealed to cannot
read it, and cannot write to it either (messages are encrypted with the report key).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.bulk import bulk_insert, db_datetime
from pakta.core.documents import document_read, document_store
from pakta.core.errors import DomainError
from pakta.core.roles import Role
from pakta.org.models import Official, Pemda, Unit
from pakta.reports import crypto, deadlines, receipts
from pakta.reports.attachments import AttachmentError, Upload, check_uploads, strip_metadata
from pakta.reports.models import (
    HandlerKey,
    Report,
    ReportAttachment,
    ReportExclusion,
    ReportKeyGrant,
    ReportMessage,
)

CIPHERTEXT = "application/octet-stream"
MAX_TEXT = 20_000
Stage = Report.Stage

# The case workflow: every edge allowed, from each stage.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.RECEIVED: (Stage.VERIFICATION,),
    Stage.VERIFICATION: (Stage.CLARIFICATION, Stage.INVESTIGATION, Stage.NOT_SUBSTANTIATED),
    Stage.CLARIFICATION: (Stage.VERIFICATION, Stage.INVESTIGATION, Stage.NOT_SUBSTANTIATED),
    Stage.INVESTIGATION: (Stage.SUBSTANTIATED, Stage.NOT_SUBSTANTIATED),
    Stage.SUBSTANTIATED: (Stage.FOLLOW_UP,),
    Stage.NOT_SUBSTANTIATED: (Stage.CLOSED,),
    Stage.FOLLOW_UP: (Stage.CLOSED,),
    Stage.CLOSED: (),
}


@dataclass
class Submission:
    """A filed report and its receipt code (to show once, never stored)."""

    report: Report
    receipt: str
    report_key: bytes = field(repr=False)


# --- Recipients: who may receive a report -------------------------------------------------------


def handler_keys_of(pemda: Pemda) -> QuerySet[HandlerKey]:
    """Enrolled keys of the active Inspektorat handlers of ``pemda``."""
    return HandlerKey.objects.filter(
        user__is_active=True,
        user__memberships__pemda=pemda,
        user__memberships__role=Role.INSPEKTORAT,
    ).distinct()


def eligible_handler_keys(report: Report) -> QuerySet[HandlerKey]:
    """Keys of the handlers of the report's Pemda who are not excluded from it."""
    excluded = ReportExclusion.objects.filter(report=report).values("user_id")
    return handler_keys_of(report.pemda).exclude(user_id__in=excluded)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


@dataclass(frozen=True)
class _Handler:
    """What routing a new report needs to know of one Inspektorat handler."""

    user_id: int
    full_name: str
    official_id: int | None
    nip: str
    official_name: str
    public_key: bytes | None
    open_cases: int


@dataclass(frozen=True)
class _Routing:
    handlers: list[_Handler]
    escrow_id: int | None
    escrow_public_key: bytes | None


def _routing(pemda: Pemda) -> _Routing:
    """The Pemda's handlers (official, key, open cases) and its active escrow key.

    Two hand-written queries: this runs on every intake, and the ORM's compilation of the same
    joins and the per-handler case count costs more than the database does.
    """
    from pakta.accounts.models import Membership, User
    from pakta.org.models import Official
    from pakta.reports.models import EscrowKey

    tables = {
        "user": User._meta.db_table,
        "member": Membership._meta.db_table,
        "official": Official._meta.db_table,
        "key": HandlerKey._meta.db_table,
        "report": Report._meta.db_table,
        "escrow": EscrowKey._meta.db_table,
    }
    handlers_sql = """
        SELECT u.id, u.first_name, u.last_name, o.id, o.nip, o.name, k.public_key,
               (SELECT COUNT(*) FROM {report} r
                 WHERE r.assignee_id = u.id AND r.stage <> %s) AS open_cases
          FROM {user} u
          LEFT JOIN {official} o ON o.id = u.official_id
          LEFT JOIN {key} k ON k.user_id = u.id
         WHERE u.is_active = %s
           AND u.id IN (SELECT m.user_id FROM {member} m WHERE m.pemda_id = %s AND m.role = %s)
         ORDER BY u.id
    """.format(**tables)  # noqa: S608  (table names from the models, values as parameters)
    escrow_sql = "SELECT id, public_key FROM {escrow} WHERE pemda_id = %s AND is_active = %s"
    with connection.cursor() as cursor:
        cursor.execute(handlers_sql, [Stage.CLOSED.value, True, pemda.pk, Role.INSPEKTORAT.value])
        rows = cursor.fetchall()
        cursor.execute(escrow_sql.format(**tables), [pemda.pk, True])
        escrow = cursor.fetchone()
    handlers = [
        _Handler(
            user_id=row[0],
            full_name=f"{row[1] or ''} {row[2] or ''}".strip(),
            official_id=row[3],
            nip=row[4] or "",
            official_name=row[5] or "",
            public_key=bytes(row[6]) if row[6] is not None else None,
            open_cases=int(row[7]),
        )
        for row in rows
    ]
    return _Routing(
        handlers=handlers,
        escrow_id=escrow[0] if escrow else None,
        escrow_public_key=bytes(escrow[1]) if escrow else None,
    )


def _excluded(handlers: Sequence[_Handler], who: str, reported_unit: Unit | None) -> dict[int, str]:
    text = _normalise(who)
    digits = set(re.findall(r"\d{18}", re.sub(r"[\s.\-]", "", who or "")))
    excluded: dict[int, str] = {}
    for handler in handlers:
        if handler.nip and handler.nip in digits:
            excluded[handler.user_id] = "named"
            continue
        for name in (handler.full_name, handler.official_name):
            normalised = _normalise(name).strip()
            if normalised and f" {normalised} " in text:
                excluded[handler.user_id] = "named"
                break
    if reported_unit is not None:
        from pakta.org.models import Assignment

        by_official = {h.official_id: h.user_id for h in handlers if h.official_id}
        in_unit = Assignment.objects.filter(
            official_id__in=list(by_official),
            end_date__isnull=True,
            position__unit__path__startswith=reported_unit.path,
        ).values_list("official_id", flat=True)
        for official_id in in_unit:
            excluded.setdefault(by_official[official_id], "unit")
    return excluded


def excluded_handlers(*, pemda: Pemda, who: str, reported_unit: Unit | None) -> dict[int, str]:
    """Handlers to exclude automatically, computed from the plaintext before it is encrypted.

    A handler is excluded when the "who" text names them (their NIP, or their full name as
    words) or when they work in the reported unit or one of its sub-units. Returns user ids.
    """
    return _excluded(_routing(pemda).handlers, who, reported_unit)


def _open_load(users: Iterable[int]) -> dict[int, int]:
    rows = (
        Report.objects.filter(assignee_id__in=list(users))
        .exclude(stage=Stage.CLOSED)
        .values("assignee_id")
        .annotate(n=Count("pk"))
    )
    return {row["assignee_id"]: row["n"] for row in rows}


def _pick_assignee(user_ids: Sequence[int]) -> int | None:
    """The handler with the fewest open cases (the lowest id on a tie)."""
    if not user_ids:
        return None
    load = _open_load(user_ids)
    return min(user_ids, key=lambda pk: (load.get(pk, 0), pk))


def _seal_to_handlers(
    report: Report, report_key: bytes, handlers: Sequence[_Handler], routing: _Routing
) -> None:
    """One grant row per handler (and the escrow key), written as plain rows: this runs on every
    intake, and building model instances cost more than sealing the key."""
    created_at = db_datetime(timezone.now())
    intake, escrow = ReportKeyGrant.Reason.INTAKE.value, ReportKeyGrant.Reason.ESCROW.value
    rows: list[tuple[int, int | None, int | None, bytes, str]] = [
        (report.pk, handler.user_id, None, crypto.seal_to(handler.public_key, report_key), intake)
        for handler in handlers
        if handler.public_key is not None
    ]
    if routing.escrow_public_key is not None:
        sealed = crypto.seal_to(routing.escrow_public_key, report_key)
        rows.append((report.pk, None, routing.escrow_id, sealed, escrow))
    bulk_insert(
        ReportKeyGrant,
        ("report_id", "user_id", "escrow_id", "sealed_key", "reason", "created_at"),
        [(*row, created_at) for row in rows],
    )


def _notify(users: Iterable[Any], report: Report, message: str) -> None:
    try:
        from pakta.notifications.services import notify
    except ImportError:  # the notifications app is optional
        return
    url = report.get_absolute_url()
    for user in users:
        notify(user=user, message=message, url=url, pemda=report.pemda)


def _user_stub(pk: int) -> Any:
    """A user to point a row at by id, without loading it."""
    from pakta.accounts.models import User

    return User(pk=pk)


def _users(ids: Iterable[int]) -> list[Any]:
    from pakta.accounts.models import User

    return list(User.objects.filter(pk__in=list(ids)))


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


# --- Deadlines ------------------------------------------------------------------------------------


@transaction.atomic
def report_deadline_alerts_send(*, now: dt.datetime | None = None, within_days: int = 1) -> int:
    """Alert the handlers of every open case whose stage deadline is at most ``within_days``
    working days away (or passed), once per deadline. Returns how many cases were alerted."""
    from pakta.reports.selectors import report_due_soon

    now = now or timezone.now()
    count = 0
    for report in report_due_soon(now=now, within_days=within_days).select_for_update(of=("self",)):
        recipients = _users([report.assignee_id]) if report.assignee_id else []
        recipients = recipients or _grant_holders(report)
        overdue = report.due_at is not None and report.due_at < now
        message = (
            _("The deadline of the report %(reference)s (stage: %(stage)s) has passed.")
            if overdue
            else _("The deadline of the report %(reference)s (stage: %(stage)s) is near.")
        ) % {"reference": report.reference, "stage": Stage(report.stage).label}
        _notify(recipients, report, message)
        report.alerted_due_at = report.due_at
        report.save(update_fields=["alerted_due_at"])
        count += 1
    if count:
        audit_record(
            actor=None,
            action="reports.deadline.alerted",
            summary={"reports": count},
        )
    return count


# --- The signed acknowledgement -----------------------------------------------------------------


def report_acknowledgement(*, report: Report) -> Any:
    """The signed acknowledgement of a report, made once: it proves when the report was filed
    (the receipt's argon2id commitment, the Pemda, the time) and shows nothing of its content.

    Sealed with the organisational e-seal of the Pemda's Inspektorat (issued on first need), in
    no person's name: the request is anonymous. Raises ``DomainError`` with a message for the
    reporter when the seal cannot be made now (a configured timestamp authority fails); the
    document is kept unsealed and sealed at the next request.
    """
    from pakta.pacts.rendering import logo_data_uri, qr_svg_data_uri, render_pdf, verification_url
    from pakta.signing.models import SignedDocument
    from pakta.signing.services import institution_seal_apply, signed_document_create

    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if report.receipt_document_id is None:
            filed = timezone.localtime(report.created_at, _zone(report.pemda))

            def render(document: SignedDocument) -> bytes:
                return render_pdf(
                    "reports/documents/acknowledgement.html",
                    {
                        "title": "Tanda Terima Laporan",
                        "pemda": report.pemda,
                        "report": report,
                        "filed": filed,
                        "short_code": document.short_code,
                        "logo": logo_data_uri(report.pemda),
                        "qr": qr_svg_data_uri(verification_url(document.token)),
                        "verify_url": verification_url(document.token),
                    },
                )

            document = signed_document_create(
                pemda=report.pemda,
                kind=SignedDocument.Kind.RECEIPT,
                title=f"Tanda terima laporan {report.reference}",
                render=render,
                acting_user=None,
            )
            report.receipt_document = document
            report.save(update_fields=["receipt_document"])
        else:
            document = SignedDocument.objects.get(pk=report.receipt_document_id)
    if not document.signatures.exists():
        try:
            institution_seal_apply(document=document, acting_user=None)
        except DomainError:
            raise DomainError(
                _(
                    "The signed acknowledgement cannot be made right now: the seal of the "
                    "Inspektorat could not be applied. Your report has been received and your "
                    "receipt code stays valid. Keep the code; you can download the "
                    "acknowledgement later from this page."
                )
            ) from None
        document.refresh_from_db()
    return document


def _zone(pemda: Pemda) -> Any:
    import zoneinfo

    return zoneinfo.ZoneInfo(pemda.timezone or "Asia/Jakarta")
