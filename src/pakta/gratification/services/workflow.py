"""The UPG's workflow on a report, one service per step (see the package docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.gratification import deadlines
from pakta.gratification.models import (
    GratificationReport,
)
from pakta.gratification.services.common import (
    Status,
    UploadedFile,
    _lock,
    _require_manage,
    _step,
    store_files,
)
from pakta.org.workdays import WorkCalendar

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
