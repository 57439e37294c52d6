"""The PP 94/2021 procedure, service by service: opening (one open case per facts, the pact
clause), summons I/II with their working-day deadlines, the team, the BAP signed by examiner and
official, the decision by the authority of the level (signed SK), delivery, the objection window,
finality, escalation of a superior who does not act; each refusal leaves no row and no event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.discipline import selectors, services
from pakta.discipline.models import CaseStep, DisciplineCase, Sanction
from pakta.discipline.reminders import discipline_deadlines, discipline_todos
from pakta.notifications.models import Notification
from pakta.org.workdays import WorkCalendar
from pakta.signing.models import SignedDocument
from tests.conftest import PASSWORD
from tests.discipline.conftest import open_case

pytestmark = pytest.mark.django_db


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_open_case_names_the_pact_clause_superior_and_summons_deadline(world) -> None:
    case = open_case(world)
    today = timezone.localdate()
    assert case.number == f"HD-{today.year}-0001"
    assert case.superior == world.head  # head of the Dinas
    assert case.unit == world.unit
    assert case.pact == world.pact and case.pact_clause == 2
    assert case.clause_text.startswith("tidak meminta atau menerima pemberian")
    assert case.stage_due == WorkCalendar(world.pemda).add_working_days(today, 7)
    assert sorted(p.code for p in case.provisions.all()) == ["5k", "5l"]
    assert case.steps.get().kind == CaseStep.Kind.OPENED
    assert events("discipline.case.opened") == 1
    note = Notification.objects.get(user=world.users["head"])
    assert case.number in note.message


def test_second_open_case_for_the_same_facts_is_refused(world) -> None:
    first = open_case(world)
    before = (DisciplineCase.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError, match=first.number):
        open_case(world, summary="Fakta yang sama, diketik ulang.")
    assert (DisciplineCase.objects.count(), AuditEvent.objects.count()) == before
    with translation.override("id"), pytest.raises(DomainError) as caught:
        open_case(world)
    assert "sudah dibuka untuk fakta yang sama" in str(caught.value)


def test_clause_outside_the_pact_or_without_a_pact_is_refused(world) -> None:
    with pytest.raises(DomainError, match="clauses 1 to 7"):
        open_case(world, pact_clause=9)
    with pytest.raises(DomainError, match="no signed integrity pact"):
        open_case(world, official=world.hr)
    assert not DisciplineCase.objects.exists()
    assert events("discipline.case.opened") == 0


def test_summons_dated_before_the_case_opened_is_refused(world) -> None:
    case = open_case(world)
    before = (CaseStep.objects.count(), AuditEvent.objects.count())
    with pytest.raises(services.DisciplineError) as caught:
        services.summons_issue(
            case=case,
            acting_user=world.users["head"],
            letter_date=case.opened_on - dt.timedelta(days=1),
            hearing_date=case.opened_on + dt.timedelta(days=2),
        )
    assert caught.value.field == "letter_date"
    assert (CaseStep.objects.count(), AuditEvent.objects.count()) == before
    case.refresh_from_db()
    assert case.stage == DisciplineCase.Stage.OPENED


def _examine(world, case, *, level="ringan", examiner=None):
    today = timezone.localdate()
    services.summons_issue(
        case=case,
        acting_user=world.users["head"],
        letter_date=today,
        hearing_date=today + dt.timedelta(days=2),
        reference="800/01/DINKES",
    )
    services.examination_record(
        case=case,
        acting_user=world.users["head"],
        examiner=examiner or world.head,
        held_on=today + dt.timedelta(days=2),
        findings="Mengakui menerima uang Rp2.000.000.",
        level=level,
    )
    case.refresh_from_db()
    return case


def _sign_bap(world, case, examiner_user):
    services.bap_sign(case=case, acting_user=examiner_user, credential=PASSWORD)
    services.bap_sign(case=case, acting_user=world.users["staff"], credential=PASSWORD)
    case.refresh_from_db()


def test_light_case_from_summons_to_final_decision(world) -> None:
    case = open_case(world)
    case = _examine(world, case)
    assert case.stage == DisciplineCase.Stage.EXAMINED
    assert case.bap.status == SignedDocument.Status.OPEN
    # A decision before both signatures is refused.
    with pytest.raises(DomainError, match="examination record signed"):
        services.case_decide(
            case=case,
            acting_user=world.users["head"],
            authority="direct_superior",
            sanction_type="teguran_tertulis",
            decision_number="800/1/2026",
            decision_date=timezone.localdate() + dt.timedelta(days=3),
            start_date=timezone.localdate() + dt.timedelta(days=3),
            reason="Menerima hadiah",
            credential=PASSWORD,
        )
    _sign_bap(world, case, world.users["head"])
    assert case.bap.status == SignedDocument.Status.COMPLETED
    assert set(case.bap.signatures.values_list("role", flat=True)) == {"signer", "second_party"}
    day = timezone.localdate() + dt.timedelta(days=3)
    sanction = services.case_decide(
        case=case,
        acting_user=world.users["head"],
        authority="direct_superior",
        sanction_type="teguran_tertulis",
        decision_number="800/1/2026",
        decision_date=day,
        start_date=day,
        reason="Menerima hadiah yang berhubungan dengan jabatan",
        credential=PASSWORD,
    )
    assert sanction.level == "ringan" and sanction.end_date is None
    assert sanction.document.status == SignedDocument.Status.COMPLETED
    assert sanction.document.signatures.get().official == world.head
    services.decision_deliver(case=case, acting_user=world.users["auditor"], delivered_on=day)
    case.refresh_from_db()
    sanction.refresh_from_db()
    assert case.stage == DisciplineCase.Stage.DELIVERED
    assert sanction.objection_until == WorkCalendar(world.pemda).add_working_days(day, 15)
    with pytest.raises(DomainError, match="objection window is open"):
        services.case_finalise(case=case, acting_user=None, today=sanction.objection_until)
    services.case_finalise(
        case=case, acting_user=None, today=sanction.objection_until + dt.timedelta(days=1)
    )
    case.refresh_from_db()
    sanction.refresh_from_db()
    assert (case.stage, case.is_open, sanction.status) == ("final", False, "in_force")
    kinds = list(case.steps.values_list("kind", flat=True))
    assert kinds == [
        "opened",
        "summons_1",
        "examination",
        "bap_signed",
        "decision",
        "delivery",
        "final",
    ]
    # The same facts may be opened again once the case is closed (a new violation).
    assert open_case(world).number.endswith("0002")


def _decided_ready_light(world):
    case = _examine(world, open_case(world))
    _sign_bap(world, case, world.users["head"])
    return case


@pytest.mark.parametrize(
    ("user", "authority", "sanction_type", "start_shift", "end_shift", "field", "message"),
    [
        ("bupati", "regional_head", "teguran_lisan", 0, None, "authority", "decided only by"),
        ("head", "direct_superior", "tpp_25_6", 0, None, "sanction_type", "level Medium"),
        (
            "head",
            "direct_superior",
            "teguran_lisan",
            5,
            2,
            "end_date",
            "cannot be before its start",
        ),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(
    world, user, authority, sanction_type, start_shift, end_shift, field, message
) -> None:
    case = _decided_ready_light(world)
    day = timezone.localdate() + dt.timedelta(days=3)
    before = (Sanction.objects.count(), SignedDocument.objects.count(), AuditEvent.objects.count())
    with pytest.raises(services.DisciplineError, match=message) as caught:
        services.case_decide(
            case=case,
            acting_user=world.users[user],
            authority=authority,
            sanction_type=sanction_type,
            decision_number="800/9/2026",
            decision_date=day,
            start_date=day + dt.timedelta(days=start_shift),
            end_date=day + dt.timedelta(days=end_shift) if end_shift is not None else None,
            reason="Alasan",
            credential=PASSWORD,
        )
    assert caught.value.field == field
    assert (
        Sanction.objects.count(),
        SignedDocument.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    case.refresh_from_db()
    assert case.stage == DisciplineCase.Stage.EXAMINED


def test_refusals_read_in_indonesian(world) -> None:
    case = _decided_ready_light(world)
    day = timezone.localdate() + dt.timedelta(days=3)
    with translation.override("id"), pytest.raises(DomainError) as caught:
        services.case_decide(
            case=case,
            acting_user=world.users["head"],
            authority="direct_superior",
            sanction_type="demotion_12",
            decision_number="1",
            decision_date=day,
            start_date=day,
            reason="x",
            credential=PASSWORD,
        )
    assert "hukuman tingkat Berat" in str(caught.value)
    assert "kasus ini tingkat Ringan" in str(caught.value)


def test_only_the_holder_of_the_authority_may_decide(world) -> None:
    case = _decided_ready_light(world)
    day = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(PermissionDeniedError, match="Hadi Santoso"):
        services.case_decide(
            case=case,
            acting_user=world.users["auditor"],
            authority="direct_superior",
            sanction_type="teguran_lisan",
            decision_number="1",
            decision_date=day,
            start_date=day,
            reason="x",
            credential=PASSWORD,
        )
    assert not Sanction.objects.exists()


def test_absent_twice_then_heavy_sanction_by_the_regional_head(world) -> None:
    case = open_case(world, level="berat")
    today = timezone.localdate()
    head = world.users["head"]
    services.summons_issue(case=case, acting_user=head, letter_date=today, hearing_date=today)
    services.summons_absent(case=case, acting_user=head)
    case.refresh_from_db()
    assert case.stage_due == WorkCalendar(world.pemda).add_working_days(today, 7)
    with pytest.raises(DomainError, match="already recorded"):
        services.summons_absent(case=case, acting_user=head)
    second = today + dt.timedelta(days=7)
    services.summons_issue(case=case, acting_user=head, letter_date=second, hearing_date=second)
    services.summons_absent(case=case, acting_user=head)
    case.refresh_from_db()
    start = second + dt.timedelta(days=10)
    sanction = services.case_decide(
        case=case,
        acting_user=world.users["bupati"],
        authority="regional_head",
        sanction_type="demotion_12",
        decision_number="800/22/BKPSDM/2026",
        decision_date=second + dt.timedelta(days=5),
        start_date=start,
        reason="Tidak memenuhi panggilan; terbukti menerima hadiah",
        credential=PASSWORD,
    )
    assert sanction.months == 12
    assert sanction.end_date == dt.date(start.year + 1, start.month, start.day) - dt.timedelta(
        days=1
    )
    assert not selectors.official_under_heavy_sanction(world.staff, on=start - dt.timedelta(days=1))
    assert selectors.official_under_heavy_sanction(world.staff, on=start)
    assert selectors.official_under_heavy_sanction(world.staff.pk, on=sanction.end_date)
    assert not selectors.official_under_heavy_sanction(
        world.staff, on=sanction.end_date + dt.timedelta(days=1)
    )


def test_medium_case_needs_an_examination_team(world) -> None:
    case = open_case(world, level="sedang")
    today = timezone.localdate()
    services.summons_issue(
        case=case, acting_user=world.users["head"], letter_date=today, hearing_date=today
    )
    with pytest.raises(DomainError, match="form the examination team first"):
        services.examination_record(
            case=case,
            acting_user=world.users["head"],
            examiner=world.head,
            held_on=today,
            findings="x",
            level="sedang",
        )
    with pytest.raises(DomainError, match="at least 3"):
        services.team_form(case=case, acting_user=world.users["auditor"], members=[world.head])
    with pytest.raises(DomainError, match="cannot examine themselves"):
        services.team_form(
            case=case,
            acting_user=world.users["auditor"],
            members=[world.head, world.auditor, world.staff],
        )
    services.team_form(
        case=case, acting_user=world.users["auditor"], members=[world.head, world.auditor, world.hr]
    )
    services.examination_record(
        case=case,
        acting_user=world.users["auditor"],
        examiner=world.auditor,
        held_on=today,
        findings="Terbukti.",
        level="sedang",
    )
    _sign_bap(world, case, world.users["auditor"])
    day = today + dt.timedelta(days=1)
    sanction = services.case_decide(
        case=case,
        acting_user=world.users["head"],
        authority="head_of_opd",
        sanction_type="tpp_25_9",
        decision_number="800/3/2026",
        decision_date=day,
        start_date=day,
        reason="Pungutan di luar ketentuan",
        credential=PASSWORD,
    )
    assert (sanction.level, sanction.months) == ("sedang", 9)
    assert not selectors.official_under_heavy_sanction(world.staff, on=day)


def test_late_superior_is_escalated_once_with_pasal_28(world) -> None:
    case = open_case(world)
    late = case.stage_due + dt.timedelta(days=1)
    now = dt.datetime.combine(late, dt.time(9), tzinfo=dt.UTC)
    assert discipline_deadlines(now) == 1
    assert discipline_deadlines(now) == 0
    step = case.steps.get(kind=CaseStep.Kind.ESCALATED)
    assert "Pasal 28" in step.note and "Medium" in step.note
    assert step.official == world.head
    assert Notification.objects.filter(
        user=world.users["auditor"], message__contains=case.number
    ).exists()
    assert events("discipline.case.escalated") == 1


def test_todos_and_visibility(world, role_users) -> None:
    case = open_case(world)
    head, staff = world.users["head"], world.users["staff"]
    assert [t.kind for t in discipline_todos(head, world.pemda)] == ["discipline.superior"]
    assert list(selectors.case_list_for(user=head, pemda=world.pemda)) == [case]
    # The official concerned sees the case only once summoned; an unrelated pegawai never.
    assert not selectors.case_list_for(user=staff, pemda=world.pemda).exists()
    assert not selectors.case_list_for(user=role_users["pegawai"], pemda=world.pemda).exists()
    assert selectors.case_list_for(user=world.users["hr"], pemda=world.pemda).count() == 1
    case = _examine(world, case)
    assert list(selectors.case_list_for(user=staff, pemda=world.pemda)) == [case]
    assert [t.kind for t in discipline_todos(staff, world.pemda)] == ["discipline.bap"]
    _sign_bap(world, case, head)
    assert [t.kind for t in discipline_todos(head, world.pemda)] == ["discipline.decide"]
