"""The PP 94/2021 procedure, one service per step: summons I and II, the examination team, the
examination record (BAP, signed by examiner and official), the decision by the authority allowed
for the level (signed SK), delivery, objection or appeal, the decision becoming final, and the
escalation of a superior who does not act in time (Pasal 26/28)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.accounts.credentials import Reauthentication, reauthenticate
from pakta.audit.services import audit_record
from pakta.core.errors import PermissionDeniedError
from pakta.discipline import rules
from pakta.discipline.models import CaseStep, DisciplineCase, Sanction
from pakta.discipline.permissions import can_manage_case
from pakta.discipline.rules import SANCTIONS, Authority, Level, SanctionType
from pakta.discipline.services.cases import DisciplineError, authority_officials
from pakta.org.models import Official
from pakta.org.workdays import WorkCalendar

Stage = DisciplineCase.Stage


def _lock(case: DisciplineCase) -> DisciplineCase:
    locked = DisciplineCase.objects.select_for_update().get(pk=case.pk)
    case.refresh_from_db()
    return locked


def _require_stage(case: DisciplineCase, *stages: str) -> None:
    if case.stage not in stages:
        raise DisciplineError(
            _("This step is not possible now: the case is at the stage “%(stage)s”.")
            % {"stage": case.get_stage_display()}
        )


def _require_manager(user: Any, case: DisciplineCase) -> None:
    if not can_manage_case(user, case):
        raise PermissionDeniedError(_("You may not record steps of this case."))


def _step(case: DisciplineCase, kind: str, user: Any, **fields: Any) -> CaseStep:
    return CaseStep.objects.create(
        pemda_id=case.pemda_id,
        case=case,
        kind=kind,
        actor=user if getattr(user, "pk", None) else None,
        **fields,
    )


def _set_stage(case: DisciplineCase, stage: str, due: dt.date | None, *extra: str) -> None:
    case.stage = stage
    case.stage_due = due
    case.save(update_fields=["stage", "stage_due", *extra, "updated_at"])


def _calendar(case: DisciplineCase) -> WorkCalendar:
    return WorkCalendar(case.pemda_id)


def _not_before_opening(case: DisciplineCase, day: dt.date, field: str, what: str) -> None:
    if day < case.opened_on:
        raise DisciplineError(
            _("%(what)s cannot be dated before the case was opened (%(opened)s).")
            % {"what": what, "opened": case.opened_on.strftime("%d-%m-%Y")},
            field=field,
        )


# --- Summons ------------------------------------------------------------------------------------


@transaction.atomic
def summons_issue(
    *,
    case: DisciplineCase,
    acting_user: Any,
    letter_date: dt.date,
    hearing_date: dt.date,
    reference: str = "",
) -> CaseStep:
    """Panggilan I (stage opened) or panggilan II (after the official was absent)."""
    _require_manager(acting_user, case)
    _lock(case)
    _require_stage(case, Stage.OPENED, Stage.SUMMONED)
    second = case.stage == Stage.SUMMONED
    if second and not case.steps.filter(kind=CaseStep.Kind.ABSENT).exists():
        raise DisciplineError(
            _("A second summons is issued only when the official was absent at the first hearing.")
        )
    _not_before_opening(case, letter_date, "letter_date", _("A summons"))
    if hearing_date < letter_date:
        raise DisciplineError(
            _("The hearing cannot be before the date of the summons letter."), field="hearing_date"
        )
    kind = CaseStep.Kind.SUMMONS_2 if second else CaseStep.Kind.SUMMONS_1
    step = _step(
        case,
        kind,
        acting_user,
        date=letter_date,
        due_date=case.stage_due,
        hearing_date=hearing_date,
        reference=reference.strip(),
        official=getattr(acting_user, "official", None),
    )
    due = _calendar(case).add_working_days(hearing_date, rules.EXAMINATION_DAYS)
    _set_stage(case, Stage.SUMMONED_AGAIN if second else Stage.SUMMONED, due)
    audit_record(
        actor=acting_user,
        action="discipline.summons.issued",
        obj=case,
        summary={
            "step_id": step.pk,
            "kind": kind,
            "hearing_date": hearing_date,
            "late": not step.on_time,
        },
    )
    return step


@transaction.atomic
def summons_absent(*, case: DisciplineCase, acting_user: Any, note: str = "") -> CaseStep:
    """The official did not come: after the first summons a second one is due within
    SECOND_SUMMONS_DAYS working days of the first hearing; after the second, the authority may
    decide on the evidence at hand."""
    _require_manager(acting_user, case)
    _lock(case)
    _require_stage(case, Stage.SUMMONED, Stage.SUMMONED_AGAIN)
    last = case.steps.filter(kind__in=[CaseStep.Kind.SUMMONS_1, CaseStep.Kind.SUMMONS_2]).last()
    assert last is not None and last.hearing_date is not None
    if case.steps.filter(kind=CaseStep.Kind.ABSENT, date__gte=last.hearing_date).exists():
        raise DisciplineError(_("The absence at this hearing is already recorded."))
    calendar_ = _calendar(case)
    if case.stage == Stage.SUMMONED:
        due = calendar_.add_working_days(last.hearing_date, rules.SECOND_SUMMONS_DAYS)
    else:
        due = calendar_.add_working_days(last.hearing_date, rules.DECISION_DAYS)
    step = _step(case, CaseStep.Kind.ABSENT, acting_user, date=last.hearing_date, note=note)
    _set_stage(case, case.stage, due)
    audit_record(
        actor=acting_user,
        action="discipline.summons.absent",
        obj=case,
        summary={"step_id": step.pk, "after": last.kind},
    )
    return step


# --- Examination --------------------------------------------------------------------------------


@transaction.atomic
def team_form(*, case: DisciplineCase, acting_user: Any, members: Sequence[Official]) -> CaseStep:
    """The examination team of a medium or heavy case: the direct superior, the Inspektorat and
    the HR unit (at least TEAM_MIN_MEMBERS officials; never the official concerned)."""
    _require_manager(acting_user, case)
    _lock(case)
    _require_stage(case, Stage.OPENED, Stage.SUMMONED, Stage.SUMMONED_AGAIN)
    if len({m.pk for m in members}) < rules.TEAM_MIN_MEMBERS:
        raise DisciplineError(
            _("An examination team has at least %(n)s members.") % {"n": rules.TEAM_MIN_MEMBERS},
            field="members",
        )
    if any(m.pk == case.official_id for m in members):
        raise DisciplineError(
            _("The official concerned cannot examine themselves."), field="members"
        )
    if any(m.pemda_id != case.pemda_id for m in members):
        raise DisciplineError(_("The official belongs to another Pemda."), field="members")
    case.team.set(members)
    step = _step(
        case,
        CaseStep.Kind.TEAM,
        acting_user,
        date=timezone.localdate(),
        note=", ".join(m.full_name for m in members),
    )
    audit_record(
        actor=acting_user,
        action="discipline.team.formed",
        obj=case,
        summary={"members": [m.pk for m in members]},
    )
    return step


@transaction.atomic
def examination_record(
    *,
    case: DisciplineCase,
    acting_user: Any,
    examiner: Official,
    held_on: dt.date,
    findings: str,
    level: str,
) -> CaseStep:
    """Record the examination and prepare its record (BAP) for the examiner's and the official's
    signatures. ``level`` is the level the examination finds (it may differ from the opening's)."""
    from pakta.discipline.documents import render_bap
    from pakta.signing import services as signing
    from pakta.signing.models import SignedDocument

    _require_manager(acting_user, case)
    _lock(case)
    _require_stage(case, Stage.SUMMONED, Stage.SUMMONED_AGAIN)
    if level not in Level.values:
        raise DisciplineError(_("Choose the level of the alleged violation."), field="level")
    if level in rules.TEAM_LEVELS and not case.team.exists():
        raise DisciplineError(
            _("A medium or heavy case is examined by a team: form the examination team first."),
            field="level",
        )
    if examiner.pk == case.official_id:
        raise DisciplineError(
            _("The official concerned cannot examine themselves."), field="examiner"
        )
    if examiner.pemda_id != case.pemda_id:
        raise DisciplineError(_("The official belongs to another Pemda."), field="examiner")
    _not_before_opening(case, held_on, "held_on", _("The examination"))
    if not findings.strip():
        raise DisciplineError(_("Write what the examination found."), field="findings")
    case.examiner = examiner
    case.level = level
    document = signing.signed_document_create(
        pemda=case.pemda,
        kind=SignedDocument.Kind.REPORT,
        title=f"Berita Acara Pemeriksaan {case.number}",
        render=lambda doc: render_bap(
            case, doc, examiner=examiner, held_on=held_on, findings=findings
        ),
        acting_user=acting_user,
    )
    case.bap = document
    due = _calendar(case).add_working_days(held_on, rules.DECISION_DAYS)
    step = _step(
        case,
        CaseStep.Kind.EXAMINATION,
        acting_user,
        date=held_on,
        due_date=case.stage_due,
        official=examiner,
    )
    _set_stage(case, Stage.EXAMINED, due, "examiner", "level", "bap")
    audit_record(
        actor=acting_user,
        action="discipline.examination.recorded",
        obj=case,
        summary={"step_id": step.pk, "document_id": document.pk, "level": level},
    )
    return step


def bap_sign(*, case: DisciplineCase, acting_user: Any, credential: str | Reauthentication) -> Any:
    """The examiner or the official concerned signs the BAP (PAdES); complete when both have."""
    from pakta.signing import services as signing
    from pakta.signing.models import Signature, SignedDocument

    if case.bap is None:
        raise DisciplineError(_("There is no examination record to sign yet."))
    official_id = getattr(acting_user, "official_id", None)
    if official_id == case.examiner_id:
        role, official = Signature.Role.SIGNER, case.examiner
    elif official_id == case.official_id:
        role, official = Signature.Role.SECOND_PARTY, case.official
    else:
        raise PermissionDeniedError(
            _("Only the examiner and the official concerned sign the examination record.")
        )
    assert official is not None
    consent = reauthenticate(user=acting_user, credential=credential)
    with transaction.atomic():
        signature = signing.signature_apply(
            document=case.bap,
            official=official,
            role=role,
            acting_user=acting_user,
            credential=consent,
        )
        signed_roles = set(case.bap.signatures.values_list("role", flat=True))
        both = {Signature.Role.SIGNER, Signature.Role.SECOND_PARTY} <= signed_roles
        if both and case.bap.status != SignedDocument.Status.COMPLETED:
            signing.signed_document_complete(document=case.bap, acting_user=acting_user)
            held = (
                case.steps.filter(kind=CaseStep.Kind.EXAMINATION)
                .values_list("date", flat=True)
                .last()
            )
            _step(
                case,
                CaseStep.Kind.BAP_SIGNED,
                acting_user,
                date=max(timezone.localdate(), held or timezone.localdate()),
            )
        audit_record(
            actor=acting_user,
            action="discipline.examination.signed",
            obj=case,
            summary={"role": role, "complete": both},
        )
    return signature


def bap_complete(case: DisciplineCase) -> bool:
    from pakta.signing.models import SignedDocument

    return case.bap is not None and case.bap.status == SignedDocument.Status.COMPLETED


def _absent_twice(case: DisciplineCase) -> bool:
    return (
        case.stage == Stage.SUMMONED_AGAIN
        and case.steps.filter(kind=CaseStep.Kind.ABSENT).count() >= 2
    )


# --- Decision -----------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def sanction_period(sanction_type: str, start: dt.date) -> tuple[dt.date | None, int | None]:
    """The end date and months of a sanction starting on ``start`` (None for no duration)."""
    months = SANCTIONS[sanction_type].months
    if months is None:
        return None, None
    return add_months(start, months) - dt.timedelta(days=1), months


def decide_check(
    *,
    case: DisciplineCase,
    acting_user: Any,
    authority: str,
    sanction_type: str,
    decision_date: dt.date,
    start_date: dt.date,
    end_date: dt.date | None,
) -> Official:
    """The guards of a decision, for the service and for the form (returns the deciding official)."""
    if not (bap_complete(case) and case.stage == Stage.EXAMINED) and not _absent_twice(case):
        raise DisciplineError(
            _(
                "A decision needs the examination record signed by the examiner and the official "
                "(or the official's absence at both summonses)."
            )
        )
    if sanction_type not in SanctionType.values:
        raise DisciplineError(_("Choose the sanction."), field="sanction_type")
    rule = SANCTIONS[sanction_type]
    if rule.level != case.level:
        raise DisciplineError(
            _(
                "“%(sanction)s” is a sanction of the level %(its)s; this case is at the level "
                "%(level)s."
            )
            % {
                "sanction": SanctionType(sanction_type).label,
                "its": Level(rule.level).label,
                "level": Level(case.level).label,
            },
            field="sanction_type",
        )
    allowed = rules.authorities_for(case.level)
    if authority not in allowed:
        raise DisciplineError(
            _("A sanction of the level %(level)s is decided only by: %(allowed)s.")
            % {
                "level": Level(case.level).label,
                "allowed": ", ".join(str(Authority(a).label) for a in allowed),
            },
            field="authority",
        )
    holder = authority_officials(case).get(authority)
    if holder is None:
        raise DisciplineError(
            _("No official currently holds the authority “%(authority)s” for this case.")
            % {"authority": Authority(authority).label},
            field="authority",
        )
    if getattr(acting_user, "official_id", None) != holder.pk:
        raise PermissionDeniedError(
            _("Only %(name)s, as %(authority)s, may sign this decision.")
            % {"name": holder.full_name, "authority": Authority(authority).label}
        )
    _not_before_opening(case, decision_date, "decision_date", _("The decision"))
    if start_date < decision_date:
        raise DisciplineError(
            _("The sanction cannot start before the decision date."), field="start_date"
        )
    if end_date is not None and end_date < start_date:
        raise DisciplineError(
            _("The end of the sanction cannot be before its start."), field="end_date"
        )
    return holder


def case_decide(
    *,
    case: DisciplineCase,
    acting_user: Any,
    authority: str,
    sanction_type: str,
    decision_number: str,
    decision_date: dt.date,
    start_date: dt.date,
    reason: str,
    credential: str | Reauthentication,
    end_date: dt.date | None = None,
) -> Sanction:
    """The authority allowed for the case's level decides and signs the SK (PAdES)."""
    from pakta.discipline.documents import render_decision
    from pakta.org.selectors import current_position
    from pakta.signing import services as signing
    from pakta.signing.models import Signature, SignedDocument

    holder = decide_check(
        case=case,
        acting_user=acting_user,
        authority=authority,
        sanction_type=sanction_type,
        decision_date=decision_date,
        start_date=start_date,
        end_date=end_date,
    )
    number = decision_number.strip()
    if not number:
        raise DisciplineError(_("Give the decision number."), field="decision_number")
    if Sanction.objects.filter(pemda_id=case.pemda_id, decision_number=number).exists():
        raise DisciplineError(
            _("Another decision already has the number %(number)s.") % {"number": number},
            field="decision_number",
        )
    if not reason.strip():
        raise DisciplineError(_("Give the reason of the sanction."), field="reason")
    computed_end, months = sanction_period(sanction_type, start_date)
    consent = reauthenticate(user=acting_user, credential=credential)
    position = current_position(holder)
    with transaction.atomic():
        _lock(case)
        if hasattr(case, "sanction"):
            raise DisciplineError(_("This case is already decided."))
        sanction = Sanction(
            pemda_id=case.pemda_id,
            case=case,
            type=sanction_type,
            level=SANCTIONS[sanction_type].level,
            authority=authority,
            decided_by=holder,
            reason=reason.strip(),
            decision_number=number,
            decision_date=decision_date,
            start_date=start_date,
            end_date=end_date or computed_end,
            months=months,
        )
        sanction.save()
        document = signing.signed_document_create(
            pemda=case.pemda,
            kind=SignedDocument.Kind.LETTER,
            title=f"Keputusan Hukuman Disiplin {number}",
            render=lambda doc: render_decision(sanction, doc, position=position),
            acting_user=acting_user,
        )
        signing.signature_apply(
            document=document,
            official=holder,
            role=Signature.Role.SIGNER,
            acting_user=acting_user,
            credential=consent,
            position=position.title if position else "",
        )
        document.refresh_from_db()
        if document.status != SignedDocument.Status.COMPLETED and not document.pending.exists():
            signing.signed_document_complete(document=document, acting_user=acting_user)
        sanction.document = document
        sanction.save(update_fields=["document", "updated_at"])
        step = _step(
            case,
            CaseStep.Kind.DECISION,
            acting_user,
            date=decision_date,
            due_date=case.stage_due,
            reference=number,
            official=holder,
        )
        due = _calendar(case).add_working_days(decision_date, rules.DELIVERY_DAYS)
        _set_stage(case, Stage.DECIDED, due)
        audit_record(
            actor=acting_user,
            action="discipline.decision.made",
            obj=case,
            summary={
                "step_id": step.pk,
                "sanction_id": sanction.pk,
                "type": sanction_type,
                "level": sanction.level,
                "authority": authority,
                "decision_number": number,
                "document_id": document.pk,
            },
        )
    return sanction


@transaction.atomic
def decision_deliver(*, case: DisciplineCase, acting_user: Any, delivered_on: dt.date) -> CaseStep:
    """The SK is handed to the official; the objection (keberatan) or appeal (banding) window
    of OBJECTION_DAYS working days starts."""
    if not (can_manage_case(acting_user, case) or _is_decider(acting_user, case)):
        raise PermissionDeniedError(_("You may not record steps of this case."))
    _lock(case)
    _require_stage(case, Stage.DECIDED)
    sanction = case.sanction
    if delivered_on < sanction.decision_date:
        raise DisciplineError(
            _("The decision cannot be delivered before it was made."), field="delivered_on"
        )
    until = _calendar(case).add_working_days(delivered_on, rules.OBJECTION_DAYS)
    sanction.delivered_on = delivered_on
    sanction.objection_until = until
    sanction.save(update_fields=["delivered_on", "objection_until", "updated_at"])
    step = _step(
        case, CaseStep.Kind.DELIVERY, acting_user, date=delivered_on, due_date=case.stage_due
    )
    _set_stage(case, Stage.DELIVERED, until)
    audit_record(
        actor=acting_user,
        action="discipline.decision.delivered",
        obj=case,
        summary={"step_id": step.pk, "objection_until": until},
    )
    return step


def _is_decider(user: Any, case: DisciplineCase) -> bool:
    sanction = getattr(case, "sanction", None)
    return bool(sanction and getattr(user, "official_id", None) == sanction.decided_by_id)


@transaction.atomic
def objection_file(
    *, case: DisciplineCase, acting_user: Any, filed_on: dt.date, note: str = ""
) -> CaseStep:
    """Record an objection (keberatan) or an administrative appeal (banding), within the window."""
    _require_manager(acting_user, case)
    _lock(case)
    _require_stage(case, Stage.DELIVERED)
    sanction = case.sanction
    assert sanction.objection_until is not None and sanction.delivered_on is not None
    if filed_on < sanction.delivered_on or filed_on > sanction.objection_until:
        raise DisciplineError(
            _("An objection is filed between the delivery and %(until)s.")
            % {"until": sanction.objection_until.strftime("%d-%m-%Y")},
            field="filed_on",
        )
    step = _step(
        case,
        CaseStep.Kind.OBJECTION,
        acting_user,
        date=filed_on,
        due_date=sanction.objection_until,
        note=note,
        reference=rules.APPEAL_ROUTE[case.level],
    )
    due = _calendar(case).add_working_days(filed_on, rules.OBJECTION_DECISION_DAYS)
    _set_stage(case, Stage.OBJECTION, due)
    audit_record(
        actor=acting_user,
        action="discipline.objection.filed",
        obj=case,
        summary={"step_id": step.pk, "route": rules.APPEAL_ROUTE[case.level]},
    )
    return step


@transaction.atomic
def objection_decide(
    *, case: DisciplineCase, acting_user: Any, upheld: bool, decided_on: dt.date, note: str = ""
) -> CaseStep:
    """The superior authority (keberatan) or BPASN (banding) upheld or annulled the decision."""
    _require_manager(acting_user, case)
    _lock(case)
    _require_stage(case, Stage.OBJECTION)
    sanction = case.sanction
    sanction.status = Sanction.Status.IN_FORCE if upheld else Sanction.Status.ANNULLED
    sanction.save(update_fields=["status", "updated_at"])
    step = _step(
        case,
        CaseStep.Kind.OBJECTION_DECIDED,
        acting_user,
        date=decided_on,
        due_date=case.stage_due,
        note=note,
        reference="upheld" if upheld else "annulled",
    )
    case.is_open = False
    _set_stage(case, Stage.FINAL, None, "is_open")
    audit_record(
        actor=acting_user,
        action="discipline.objection.decided",
        obj=case,
        summary={"step_id": step.pk, "upheld": upheld},
    )
    return step


@transaction.atomic
def case_finalise(
    *, case: DisciplineCase, acting_user: Any, today: dt.date | None = None
) -> CaseStep:
    """After the objection window passed without objection, the decision is final and the
    sanction in force for its period."""
    today = today or timezone.localdate()
    _lock(case)
    _require_stage(case, Stage.DELIVERED)
    sanction = case.sanction
    assert sanction.objection_until is not None
    if today <= sanction.objection_until:
        raise DisciplineError(
            _("The objection window is open until %(until)s.")
            % {"until": sanction.objection_until.strftime("%d-%m-%Y")}
        )
    sanction.status = Sanction.Status.IN_FORCE
    sanction.save(update_fields=["status", "updated_at"])
    step = _step(case, CaseStep.Kind.FINAL, acting_user, date=today)
    case.is_open = False
    _set_stage(case, Stage.FINAL, None, "is_open")
    audit_record(
        actor=acting_user, action="discipline.case.final", obj=case, summary={"step_id": step.pk}
    )
    return step


@transaction.atomic
def case_close(*, case: DisciplineCase, acting_user: Any, reason: str) -> CaseStep:
    """Close a case without sanction (no violation proven)."""
    _require_manager(acting_user, case)
    _lock(case)
    _require_stage(case, Stage.OPENED, Stage.SUMMONED, Stage.SUMMONED_AGAIN, Stage.EXAMINED)
    if not reason.strip():
        raise DisciplineError(_("Give the reason for closing the case."), field="reason")
    step = _step(
        case, CaseStep.Kind.CLOSED, acting_user, date=timezone.localdate(), note=reason.strip()
    )
    case.is_open = False
    _set_stage(case, Stage.CLOSED, None, "is_open")
    audit_record(
        actor=acting_user, action="discipline.case.closed", obj=case, summary={"step_id": step.pk}
    )
    return step


# --- Escalation ---------------------------------------------------------------------------------

SUPERIOR_STAGES = (
    Stage.OPENED,
    Stage.SUMMONED,
    Stage.SUMMONED_AGAIN,
    Stage.EXAMINED,
    Stage.DECIDED,
)


@transaction.atomic
def case_escalate(
    *, case: DisciplineCase, acting_user: Any = None, today: dt.date | None = None
) -> CaseStep | None:
    """A superior who lets the stage's deadline pass is reported to their own superior and the
    Inspektorat: under Pasal 28 they may themselves receive a sanction one level heavier.
    Once per case and stage; None when nothing is late."""
    from pakta.notifications.services import message_send
    from pakta.org.selectors import current_position, direct_superior

    today = today or timezone.localdate()
    _lock(case)
    if case.stage not in SUPERIOR_STAGES or not case.stage_due or case.stage_due >= today:
        return None
    if case.steps.filter(kind=CaseStep.Kind.ESCALATED, due_date=case.stage_due).exists():
        return None
    heavier = Level(rules.HEAVIER[case.level]).label
    responsible = case.superior
    note = _(
        "The deadline of the stage “%(stage)s” (%(due)s) passed. Under %(pasal)s the superior who "
        "does not act may receive a sanction of the level %(heavier)s."
    ) % {
        "stage": case.get_stage_display(),
        "due": case.stage_due.strftime("%d-%m-%Y"),
        "pasal": rules.ESCALATION_PASAL,
        "heavier": heavier,
    }
    step = _step(
        case,
        CaseStep.Kind.ESCALATED,
        acting_user,
        date=today,
        due_date=case.stage_due,
        note=note,
        official=responsible,
    )
    case.escalated_on = today
    case.save(update_fields=["escalated_on", "updated_at"])
    recipients = list(_escalation_recipients(case, responsible, direct_superior, current_position))
    number = case.number

    def render(_user: Any) -> tuple[str, str]:
        return _("Discipline case %(number)s is late") % {"number": number}, note

    message_send(users=recipients, render=render, url=case.get_absolute_url(), pemda=case.pemda)
    audit_record(
        actor=acting_user,
        action="discipline.case.escalated",
        obj=case,
        summary={
            "step_id": step.pk,
            "stage": case.stage,
            "due": case.stage_due,
            "responsible_id": responsible.pk if responsible else None,
            "recipients": len(recipients),
        },
    )
    return step


def _escalation_recipients(
    case: DisciplineCase, responsible: Any, direct_superior: Any, current_position: Any
) -> Any:
    from pakta.accounts.models import User
    from pakta.core.roles import Role

    seen: set[int] = set()
    if responsible is not None:
        above = direct_superior(responsible, current_position(responsible))
        user = getattr(above, "user", None) if above else None
        if user is not None:
            seen.add(user.pk)
            yield user
    for user in User.objects.filter(
        memberships__pemda_id=case.pemda_id, memberships__role=Role.INSPEKTORAT, is_active=True
    ).distinct():
        if user.pk not in seen:
            seen.add(user.pk)
            yield user
