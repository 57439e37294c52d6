"""Writes of gratification reports: filing (by the recipient, or by the UPG on their behalf) and
the UPG's workflow, one service per step, each guarded on the current status:

    submitted ─┬─ returned (incomplete) ── completed ─┐   (20 working days, else not_processed)
               └───────────── verified ───────────────┴─ analysis ─┬─ forwarded (KPK) ─┐
                                                                   └─ internal (UPG) ──┴─ decided ─ closed

Every refusal raises ``DomainError`` before anything is written; every step is audited.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.documents import document_store
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.models import Document
from pakta.core.permissions import has_permission
from pakta.gratification import deadlines, rules
from pakta.gratification.models import (
    ExemptCategory,
    GiftKind,
    GratificationReport,
    GratificationSettings,
    Relationship,
    ReportStep,
)
from pakta.gratification.rules import tanggal
from pakta.org.models import Official, Pemda
from pakta.org.selectors import current_position
from pakta.org.workdays import WorkCalendar

Status = GratificationReport.Status
MAX_FILE_BYTES = 20 * 1024 * 1024
FILE_TYPES = {"application/pdf": b"%PDF", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG"}


@dataclass
class UploadedFile:
    name: str
    content: bytes
    content_type: str = ""


def store_files(files: Iterable[UploadedFile]) -> list[Document]:
    """Evidence: images (JPEG, PNG) or PDF only, checked by content, at most 20 MB each."""
    documents = []
    for upload in files:
        content_type = upload.content_type or mimetypes.guess_type(upload.name)[0] or ""
        magic = FILE_TYPES.get(content_type)
        if magic is None or not upload.content.startswith(magic):
            raise DomainError(
                _("%(name)s: evidence must be an image (JPEG, PNG) or a PDF file.")
                % {"name": upload.name},
                code="evidence",
            )
        if len(upload.content) > MAX_FILE_BYTES:
            raise DomainError(
                _("%(name)s is larger than 20 MB.") % {"name": upload.name}, code="evidence"
            )
        documents.append(
            document_store(
                content=upload.content, content_type=content_type, original_name=upload.name[:255]
            )
        )
    return documents


def _step(report: GratificationReport, step: str, actor: Any, note: str = "") -> None:
    ReportStep.objects.create(pemda=report.pemda, report=report, step=step, note=note, actor=actor)


def _require_manage(user: Any, pemda: Pemda) -> None:
    if not has_permission(user, pemda, "gratification.manage"):
        raise PermissionDeniedError(_("Only the UPG can process gratification reports."))


def _lock(report: GratificationReport, *allowed: str) -> GratificationReport:
    locked = GratificationReport.objects.select_for_update().get(pk=report.pk)
    if locked.status not in allowed:
        raise DomainError(
            _("This step is not possible while the report is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return locked


def appointment_date(official: Official) -> dt.date | None:
    first = official.assignments.order_by("start_date").values_list("start_date", flat=True).first()
    return first


# --- Settings -------------------------------------------------------------------------------------


@transaction.atomic
def settings_set(
    *, pemda: Pemda, acting_user: Any, days_to_upg: int, days_upg_to_kpk: int
) -> GratificationSettings:
    _require_manage(acting_user, pemda)
    if not (1 <= days_to_upg <= 30 and 1 <= days_upg_to_kpk <= 30):
        raise DomainError(_("Internal deadlines must be between 1 and 30 working days."))
    row, _created = GratificationSettings.objects.update_or_create(
        pemda=pemda, defaults={"days_to_upg": days_to_upg, "days_upg_to_kpk": days_upg_to_kpk}
    )
    audit_record(
        actor=acting_user,
        action="gratification.settings.changed",
        obj=row,
        summary={"days_to_upg": days_to_upg, "days_upg_to_kpk": days_upg_to_kpk},
    )
    return row


# --- Filing ---------------------------------------------------------------------------------------


def _next_number(pemda: Pemda, year: int) -> str:
    prefix = f"GRT/{year}/"
    last = (
        GratificationReport.objects.select_for_update()
        .filter(pemda=pemda, number__startswith=prefix)
        .aggregate(m=Max("number"))["m"]
    )
    serial = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:05d}"


@transaction.atomic
def report_file(
    *,
    pemda: Pemda,
    acting_user: Any,
    type: str,
    giver_name: str,
    relationship: str,
    occasion: str,
    received_on: dt.date,
    place: str,
    kind: str,
    description: str,
    value: int,
    location: str,
    chronology: str,
    recipient: Official | None = None,
    giver_organisation: str = "",
    giver_identifier: str = "",
    vendor_active_contract: bool = False,
    exempt_category: str = "",
    files: Sequence[UploadedFile] = (),
    compensation_requested: bool = False,
    confidential: bool = False,
    today: dt.date | None = None,
) -> GratificationReport:
    """File a report of a gift received or refused. The recipient is the acting user's own
    official; the UPG may file on behalf of another official of the Pemda (``recipient``)."""
    today = today or timezone.localdate()
    own = getattr(acting_user, "official", None)
    if recipient is None:
        if own is None or own.pemda_id != pemda.pk:
            raise DomainError(
                _(
                    "Your account is not linked to an official of this Pemda; ask the UPG to file "
                    "the report on your behalf."
                )
            )
        recipient = own
    elif recipient.pk != getattr(own, "pk", None):
        _require_manage(acting_user, pemda)
    if recipient.pemda_id != pemda.pk:
        raise DomainError(_("The recipient must be an official of this Pemda."))
    if type not in GratificationReport.Type.values:
        raise DomainError(_("Choose whether the gift was received or refused."))
    if relationship not in Relationship.values:
        raise DomainError(_("Choose the giver's relationship from the list."), code="relationship")
    if kind not in GiftKind.values:
        raise DomainError(_("Choose the kind of gift from the list."), code="kind")
    if exempt_category and exempt_category not in ExemptCategory.values:
        raise DomainError(_("Choose the exempt category from the list."), code="exempt_category")
    if not isinstance(value, int) or value <= 0:
        raise DomainError(_("The estimated value must be more than Rp0."), code="value")
    if received_on > today:
        raise DomainError(_("The date received cannot be in the future."), code="received_on")
    appointed = appointment_date(recipient)
    if appointed and received_on < appointed:
        raise DomainError(
            _("The date received is before the official's appointment (%(date)s).")
            % {"date": tanggal(appointed)},
            code="received_on",
        )
    if type == GratificationReport.Type.REFUSED:
        location = GratificationReport.Location.NONE
        compensation_requested = False
    elif (
        location not in GratificationReport.Location.values
        or location == GratificationReport.Location.NONE
    ):
        raise DomainError(_("Say where the gift is now."), code="location")
    required = (
        ("giver_name", _("giver's name"), giver_name),
        ("occasion", _("occasion"), occasion),
        ("place", _("place"), place),
        ("description", _("what the gift is"), description),
        ("chronology", _("chronology"), chronology),
    )
    for code, label, text in required:
        if not text.strip():
            raise DomainError(_("Fill in the %(field)s.") % {"field": label}, code=code)
    documents = store_files(files)
    assessment = rules.assess(
        pemda=pemda,
        recipient=recipient,
        relationship=relationship,
        exempt_category=exempt_category,
        kind=kind,
        value=value,
        received_on=received_on,
        giver_name=giver_name,
        giver_identifier=giver_identifier,
        vendor_active_contract=vendor_active_contract,
    )
    matches = rules.giver_matches(
        pemda=pemda, name=giver_name, identifier=giver_identifier, day=received_on
    )
    calendar = WorkCalendar(pemda)
    days_to_upg, days_upg_to_kpk = deadlines.settings_for(pemda)
    kpk_due = calendar.add_working_days(received_on, deadlines.KPK_DAYS)
    position = current_position(recipient)
    report = GratificationReport(
        pemda=pemda,
        number=_next_number(pemda, today.year),
        type=type,
        reporter=acting_user,
        recipient=recipient,
        recipient_nip=recipient.nip,
        recipient_name=recipient.full_name,
        recipient_position=position.title if position else "",
        recipient_unit=position.unit if position else None,
        recipient_unit_name=position.unit.name if position else "",
        giver_name=giver_name.strip(),
        giver_key=rules.normalise_name(giver_name),
        giver_organisation=giver_organisation.strip(),
        giver_identifier=giver_identifier.strip(),
        relationship=relationship,
        vendor_active_contract=vendor_active_contract,
        occasion=occasion.strip(),
        exempt_category=exempt_category,
        received_on=received_on,
        place=place.strip(),
        kind=kind,
        description=description.strip(),
        value=value,
        location=location,
        chronology=chronology.strip(),
        compensation_requested=compensation_requested,
        confidential=confidential,
        assessment=assessment.outcome,
        assessment_reason=f"{assessment.reason} ({assessment.source})",
        flags=[
            {"entry": m.entry_id, "name": m.name, "kind": m.kind, "score": m.score, "by": m.by}
            for m in matches
        ],
        reported_on=today,
        kpk_due=kpk_due,
        upg_due=calendar.add_working_days(received_on, days_to_upg),
        forward_due=min(calendar.add_working_days(today, days_upg_to_kpk), kpk_due)
        if today <= kpk_due
        else calendar.add_working_days(today, days_upg_to_kpk),
        late=today > kpk_due,
    )
    report.save()
    if documents:
        report.evidence.set(documents)
    _step(report, "filed", acting_user)
    audit_record(
        actor=acting_user,
        action="gratification.report.filed",
        obj=report,
        summary={
            "number": report.number,
            "type": type,
            "on_behalf": recipient.pk != getattr(own, "pk", None),
            "late": report.late,
            "assessment": assessment.outcome,
            "flags": len(matches),
            "files": [d.sha256 for d in documents],
        },
    )
    transaction.on_commit(lambda: _notify_upg(report))
    return report


def _notify_upg(report: GratificationReport) -> None:
    from pakta.gratification.selectors import upg_users
    from pakta.notifications.services import message_send

    message_send(
        users=upg_users(report.pemda),
        render=lambda user: (
            _("New gratification report %(number)s") % {"number": report.number},
            _("A gratification report was filed; verify its completeness by %(date)s.")
            % {"date": tanggal(report.forward_due)},
        ),
        url=report.get_absolute_url(),
        pemda=report.pemda,
    )


# --- Completeness ---------------------------------------------------------------------------------


@transaction.atomic
def report_return(
    *, report: GratificationReport, acting_user: Any, missing: str, today: dt.date | None = None
) -> GratificationReport:
    """Incomplete: back to the reporter with what is missing; 20 working days from reporting."""
    _require_manage(acting_user, report.pemda)
    if not missing.strip():
        raise DomainError(_("Say what is missing from the report."))
    locked = _lock(report, Status.SUBMITTED)
    locked.status = Status.RETURNED
    locked.missing = missing.strip()
    locked.returned_on = today or timezone.localdate()
    locked.completeness_due = WorkCalendar(locked.pemda).add_working_days(
        locked.reported_on, deadlines.COMPLETENESS_DAYS
    )
    locked.save()
    _step(locked, "returned", acting_user, locked.missing)
    audit_record(
        actor=acting_user,
        action="gratification.report.returned",
        obj=locked,
        summary={"completeness_due": locked.completeness_due},
    )
    return locked


@transaction.atomic
def report_complete(
    *,
    report: GratificationReport,
    acting_user: Any,
    note: str,
    files: Sequence[UploadedFile] = (),
    today: dt.date | None = None,
) -> GratificationReport:
    """The reporter completes a returned report (before the 20-working-day window closes)."""
    if (
        acting_user.pk != report.reporter_id
        and getattr(acting_user, "official_id", None) != report.recipient_id
    ):
        raise PermissionDeniedError(_("Only the reporter can complete this report."))
    today = today or timezone.localdate()
    locked = _lock(report, Status.RETURNED)
    if locked.completeness_due and today > locked.completeness_due:
        raise DomainError(_("The 20 working days to complete this report have passed."))
    if not note.strip() and not files:
        raise DomainError(_("Add what was missing: a note or evidence files."))
    documents = store_files(files)
    if documents:
        locked.evidence.add(*documents)
    if note.strip():
        locked.chronology = f"{locked.chronology}\n\n[{today.strftime('%d-%m-%Y')}] {note.strip()}"
    locked.status = Status.SUBMITTED
    locked.save()
    _step(locked, "completed", acting_user, note.strip())
    audit_record(
        actor=acting_user,
        action="gratification.report.completed",
        obj=locked,
        summary={"files": [d.sha256 for d in documents]},
    )
    return locked


@transaction.atomic
def report_verify(*, report: GratificationReport, acting_user: Any) -> GratificationReport:
    """Complete: on to the UPG's analysis."""
    _require_manage(acting_user, report.pemda)
    locked = _lock(report, Status.SUBMITTED)
    locked.status = Status.ANALYSIS
    locked.save()
    _step(locked, "verified", acting_user)
    audit_record(actor=acting_user, action="gratification.report.verified", obj=locked)
    return locked


def reports_expire(*, today: dt.date | None = None) -> int:
    """Returned reports not completed within 20 working days: cannot be processed."""
    today = today or timezone.localdate()
    count = 0
    for report in GratificationReport.objects.filter(
        status=Status.RETURNED, completeness_due__lt=today
    ):
        with transaction.atomic():
            locked = GratificationReport.objects.select_for_update().get(pk=report.pk)
            if locked.status != Status.RETURNED:
                continue
            locked.status = Status.NOT_PROCESSED
            locked.decision = ""
            locked.save()
            _step(locked, "expired", None)
            audit_record(
                actor=None,
                action="gratification.report.expired",
                obj=locked,
                summary={"completeness_due": locked.completeness_due},
            )
            count += 1
    return count


# --- Analysis, KPK, decision, execution -----------------------------------------------------------


@transaction.atomic
def report_analyse(
    *,
    report: GratificationReport,
    acting_user: Any,
    related_to_position: bool,
    contrary_to_duty: bool,
    exempt_confirmed: bool,
    appraised_value: int | None,
    note: str,
    route: str,
) -> GratificationReport:
    """The UPG's checklist; ``route`` "kpk" (forward to KPK) or "internal" (the UPG decides
    where the regulation lets it: an exempt gift, or one not related to the position)."""
    _require_manage(acting_user, report.pemda)
    if appraised_value is not None and appraised_value <= 0:
        raise DomainError(_("The appraised value must be more than Rp0."))
    if route not in ("kpk", "internal"):
        raise DomainError(_("Choose whether the report goes to KPK or is determined by the UPG."))
    if route == "internal" and related_to_position and contrary_to_duty and not exempt_confirmed:
        raise DomainError(
            _("A gift related to the position and contrary to duty must be forwarded to KPK.")
        )
    locked = _lock(report, Status.ANALYSIS)
    locked.related_to_position = related_to_position
    locked.contrary_to_duty = contrary_to_duty
    locked.exempt_confirmed = exempt_confirmed
    locked.appraised_value = appraised_value
    locked.analysis_note = note.strip()
    locked.status = Status.INTERNAL if route == "internal" else Status.ANALYSIS
    locked.save()
    _step(locked, "analysed", acting_user, note.strip())
    audit_record(
        actor=acting_user,
        action="gratification.report.analysed",
        obj=locked,
        summary={"route": route, "related": related_to_position, "contrary": contrary_to_duty},
    )
    return locked


@transaction.atomic
def report_forward(
    *,
    report: GratificationReport,
    acting_user: Any,
    kpk_number: str = "",
    today: dt.date | None = None,
) -> GratificationReport:
    """Forwarded to KPK (through GOL, by e-mail or by letter); the KPK number when known."""
    _require_manage(acting_user, report.pemda)
    locked = _lock(report, Status.ANALYSIS)
    if locked.related_to_position is None:
        raise DomainError(_("Fill in the analysis checklist before forwarding to KPK."))
    locked.status = Status.FORWARDED
    locked.forwarded_on = today or timezone.localdate()
    locked.kpk_number = kpk_number.strip()
    if locked.location == GratificationReport.Location.UPG:
        pass  # stays in custody until KPK decides
    locked.save()
    _step(locked, "forwarded", acting_user, locked.kpk_number)
    audit_record(
        actor=acting_user,
        action="gratification.report.forwarded",
        obj=locked,
        summary={"kpk_number": locked.kpk_number},
    )
    return locked


@transaction.atomic
def report_kpk_number(
    *, report: GratificationReport, acting_user: Any, kpk_number: str
) -> GratificationReport:
    _require_manage(acting_user, report.pemda)
    if not kpk_number.strip():
        raise DomainError(_("Enter KPK's report number."))
    locked = _lock(report, Status.FORWARDED)
    locked.kpk_number = kpk_number.strip()
    locked.save()
    audit_record(
        actor=acting_user,
        action="gratification.report.kpk_number",
        obj=locked,
        summary={"kpk_number": locked.kpk_number},
    )
    return locked


@transaction.atomic
def report_decide(
    *,
    report: GratificationReport,
    acting_user: Any,
    decision: str,
    letter_number: str,
    letter_date: dt.date | None,
    letter: UploadedFile | None = None,
    today: dt.date | None = None,
) -> GratificationReport:
    """The ketetapan: by KPK for a forwarded report, by the UPG for an internal one; always with
    the decision letter's number and date. KPK's decision is to reach the recipient within 7
    working days of the letter."""
    _require_manage(acting_user, report.pemda)
    today = today or timezone.localdate()
    if decision not in GratificationReport.Decision.values:
        raise DomainError(_("Choose the decision from the list."))
    if not letter_number.strip():
        raise DomainError(
            _("A decision needs the number of its decision letter."), code="letter_number"
        )
    if letter_date is None:
        raise DomainError(
            _("A decision needs the date of its decision letter."), code="letter_date"
        )
    if letter_date > today:
        raise DomainError(_("The decision letter's date cannot be in the future."))
    documents = store_files([letter]) if letter else []
    locked = _lock(report, Status.FORWARDED, Status.INTERNAL)
    if letter_date < locked.received_on:
        raise DomainError(_("The decision letter cannot be dated before the gift was received."))
    locked.decision = decision
    locked.decision_by_kpk = locked.status == Status.FORWARDED
    locked.decision_letter_number = letter_number.strip()
    locked.decision_letter_date = letter_date
    locked.decision_letter = documents[0] if documents else None
    locked.delivery_due = WorkCalendar(locked.pemda).add_working_days(
        letter_date, deadlines.DELIVERY_DAYS
    )
    if decision == GratificationReport.Decision.NOT_PROCESSABLE:
        locked.status = Status.CLOSED
    else:
        locked.status = Status.DECIDED
    locked.save()
    _step(
        locked,
        "decided",
        acting_user,
        f"{locked.get_decision_display()} — {locked.decision_letter_number}",
    )
    audit_record(
        actor=acting_user,
        action="gratification.report.decided",
        obj=locked,
        summary={
            "decision": decision,
            "letter_number": locked.decision_letter_number,
            "letter_date": letter_date,
            "by_kpk": locked.decision_by_kpk,
        },
    )
    return locked


EXECUTIONS = ("deposited", "returned", "compensated", "kept")


@transaction.atomic
def report_execute(
    *,
    report: GratificationReport,
    acting_user: Any,
    execution: str,
    proof: UploadedFile | None = None,
    compensation_value: int | None = None,
    today: dt.date | None = None,
) -> GratificationReport:
    """Pelaksanaan: state property deposited (proof of deposit) or, with compensation, its value
    paid (proof of payment); the recipient's property returned or kept. Then the report closes."""
    _require_manage(acting_user, report.pemda)
    locked = _lock(report, Status.DECIDED)
    state = locked.decision == GratificationReport.Decision.STATE
    allowed = ("deposited", "compensated") if state else ("returned", "kept")
    if execution not in allowed:
        raise DomainError(
            _("This execution does not fit the decision “%(decision)s”.")
            % {"decision": locked.get_decision_display()}
        )
    if execution == "compensated":
        if not locked.compensation_requested:
            raise DomainError(_("The recipient did not ask for compensation."))
        if not compensation_value or compensation_value <= 0:
            raise DomainError(_("Enter the appraised value paid as compensation."))
    if execution in ("deposited", "compensated") and proof is None:
        raise DomainError(_("Attach the proof of deposit or payment."))
    documents = store_files([proof]) if proof else []
    locked.execution = execution
    locked.execution_proof = documents[0] if documents else None
    locked.compensation_value = compensation_value if execution == "compensated" else None
    locked.executed_on = today or timezone.localdate()
    locked.status = Status.CLOSED
    locked.save()
    _step(locked, "executed", acting_user, execution)
    audit_record(
        actor=acting_user,
        action="gratification.report.executed",
        obj=locked,
        summary={"execution": execution, "compensation_value": locked.compensation_value},
    )
    return locked


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
