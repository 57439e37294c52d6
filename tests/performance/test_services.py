"""The agreement's workflow through the services: each edge changes the row and appends one audit
event; a refused edge leaves neither a row nor an event."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from pypdf import PdfReader

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.core.documents import document_read
from pakta.core.errors import DomainError
from pakta.org import services as org
from pakta.org.models import Pemda
from pakta.performance import selectors
from pakta.performance import services as perf
from pakta.performance.models import (
    AchievementRollup,
    AgreementAchievement,
    AgreementCount,
    Goal,
    Indicator,
    PerformanceAgreement,
    Realization,
)
from pakta.signing.models import SignedDocument
from tests.conftest import PASSWORD
from tests.performance.conftest import YEAR, People, fill, signed_agreement
from tests.signing.conftest import pdfsig, user_for

Status = PerformanceAgreement.Status
EVIDENCE = [perf.EvidenceUpload("laporan-tw.pdf", b"%PDF-1.4 evidence", "application/pdf")]


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def counts(pemda: Pemda) -> dict[str, int]:
    totals = dict.fromkeys(["draft", "submitted", "returned", "approved", "signed"], 0)
    for row in AgreementCount.objects.filter(pemda=pemda, year=YEAR):
        for name in totals:
            totals[name] += getattr(row, name)
    return totals


def pdf_text(content: bytes) -> str:
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_draft_by_the_official_names_the_regional_head_for_a_kepala_opd(people: People) -> None:
    user = user_for(people.kadis)
    agreement = perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    )
    assert agreement.status == Status.DRAFT
    assert agreement.superior == people.bupati
    assert agreement.superior_title == "Bupati Alfa"
    assert agreement.position_title == "Kepala Dinas Kesehatan"
    assert agreement.is_current and agreement.version == 1
    assert events("performance.agreement.created") == 1
    assert counts(agreement.pemda)["draft"] == 1

    kabid = perf.agreement_create(
        pemda=people.kabid.pemda,
        official=people.kabid,
        year=YEAR,
        acting_user=user_for(people.kabid),
    )
    assert kabid.superior == people.kadis  # the head of the OPD above the division
    assert kabid.unit == people.kadis.assignments.get().position.unit  # counted for the OPD


def test_someone_else_cannot_draft_and_nothing_is_written(people: People) -> None:
    with pytest.raises(DomainError):
        perf.agreement_create(
            pemda=people.kadis.pemda,
            official=people.kadis,
            year=YEAR,
            acting_user=user_for(people.kabid),
        )
    assert not PerformanceAgreement.objects.exists()
    assert events("performance.agreement.created") == 0


def test_one_agreement_per_official_and_year(people: People) -> None:
    user = user_for(people.kadis)
    perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    )
    with pytest.raises(DomainError, match="already has an agreement"):
        perf.agreement_create(
            pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
        )
    assert PerformanceAgreement.objects.count() == 1


def test_content_changes_only_while_draft(people: People) -> None:
    user = user_for(people.kadis)
    agreement = perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    )
    with pytest.raises(DomainError, match="at least one"):
        perf.agreement_submit(agreement=agreement, acting_user=user)
    assert events("performance.agreement.submitted") == 0
    indicator, _second = fill(agreement, user)
    assert indicator.targets.count() == 4
    assert events("performance.indicator.added") == 2
    perf.agreement_submit(agreement=agreement, acting_user=user)
    assert agreement.status == Status.SUBMITTED
    assert counts(agreement.pemda) == {
        "draft": 0,
        "submitted": 1,
        "returned": 0,
        "approved": 0,
        "signed": 0,
    }
    goals_before = Goal.objects.count()
    with pytest.raises(DomainError, match="draft or a returned"):
        perf.goal_add(agreement=agreement, name="Sasaran baru", acting_user=user)
    with pytest.raises(DomainError):
        perf.indicator_update(
            indicator=indicator,
            acting_user=user,
            name="x",
            unit_of_measure="%",
            polarity="higher",
            target=1,
        )
    assert Goal.objects.count() == goals_before
    assert events("performance.goal.added") == 1
    assert events("performance.indicator.updated") == 0


def test_invalid_indicator_is_refused_with_a_sentence(people: People) -> None:
    user = user_for(people.kadis)
    agreement = perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    )
    goal = perf.goal_add(agreement=agreement, name="Sasaran", acting_user=user)
    with pytest.raises(DomainError, match="upper bound"):
        perf.indicator_add(
            goal=goal,
            acting_user=user,
            name="Waktu",
            unit_of_measure="hari",
            polarity="lower",
            target=8,
            target_upper=7,
        )
    with pytest.raises(DomainError, match="not a number"):
        perf.indicator_add(
            goal=goal, acting_user=user, name="X", unit_of_measure="%", target="banyak"
        )
    assert not Indicator.objects.exists()
    assert events("performance.indicator.added") == 0


def test_superior_returns_then_approves(people: People) -> None:
    user, bupati = user_for(people.kadis), user_for(people.bupati)
    agreement = perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    )
    fill(agreement, user)
    perf.agreement_submit(agreement=agreement, acting_user=user)
    with pytest.raises(DomainError, match="second party"):
        perf.agreement_approve(agreement=agreement, acting_user=user)  # not one's own
    with pytest.raises(DomainError, match="reason"):
        perf.agreement_return(agreement=agreement, reason="  ", acting_user=bupati)
    assert events("performance.agreement.approved") == 0
    assert events("performance.agreement.returned") == 0
    perf.agreement_return(
        agreement=agreement, reason="Target imunisasi terlalu rendah.", acting_user=bupati
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.RETURNED
    assert agreement.return_reason == "Target imunisasi terlalu rendah."
    perf.goal_add(agreement=agreement, name="Sasaran kedua", acting_user=user)  # editable again
    perf.goal_delete(goal=Goal.objects.get(name="Sasaran kedua"), acting_user=user)
    perf.agreement_submit(agreement=agreement, acting_user=user)
    perf.agreement_approve(agreement=agreement, acting_user=bupati)
    agreement.refresh_from_db()
    assert agreement.status == Status.APPROVED
    assert counts(agreement.pemda)["approved"] == 1
    assert sum(counts(agreement.pemda).values()) == 1


def test_signed_by_both_parties_in_the_official_format(
    people: People, tmp_path: Path, client
) -> None:
    user, bupati = user_for(people.kadis), user_for(people.bupati)
    agreement = perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    )
    fill(agreement, user)
    perf.agreement_submit(agreement=agreement, acting_user=user)
    with pytest.raises(DomainError, match="approved"):
        perf.agreement_sign_first_party(agreement=agreement, acting_user=user, credential=PASSWORD)
    perf.agreement_approve(agreement=agreement, acting_user=bupati)
    with pytest.raises(DomainError, match="first party has not signed"):
        perf.agreement_sign_second_party(
            agreement=agreement, acting_user=bupati, credential=PASSWORD
        )
    with pytest.raises(DomainError):
        perf.agreement_sign_first_party(
            agreement=agreement, acting_user=bupati, credential=PASSWORD
        )
    perf.agreement_sign_first_party(agreement=agreement, acting_user=user, credential=PASSWORD)
    # A second click changes nothing.
    perf.agreement_sign_first_party(agreement=agreement, acting_user=user, credential=PASSWORD)
    assert events("performance.agreement.signed_first_party") == 1
    perf.agreement_sign_second_party(agreement=agreement, acting_user=bupati, credential=PASSWORD)
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED and agreement.signed_at is not None
    assert counts(agreement.pemda)["signed"] == 1
    document = agreement.document
    assert document.kind == SignedDocument.Kind.AGREEMENT
    assert document.status == SignedDocument.Status.COMPLETED
    roles = sorted(document.signatures.values_list("role", flat=True))
    assert roles == ["second_party", "signer"]

    content = document_read(document.pdf)
    output = pdfsig(content, tmp_path)
    assert output.count("Signature is Valid.") == 2, output
    text = pdf_text(content)
    for expected in (
        "PERJANJIAN KINERJA TAHUN 2026",
        "Pihak Pertama",
        "Pihak Kedua",
        "LAMPIRAN PERJANJIAN KINERJA",
        "Sasaran Strategis",
        "Indikator Kinerja",
        "TW I",
        "TW IV",
        "Rp1.250.000",
        "7\u20138",  # a range target, with an en dash
        "Hadi Santoso",
        "Bambang Wijaya",
        document.short_code_display,
    ):
        assert expected in text, (expected, text)

    page = client.get(f"/v/{document.token}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Hadi Santoso" in body and "Bambang Wijaya" in body


def test_revision_keeps_the_signed_version_and_replaces_it_when_signed(
    people: People, superadmin: User
) -> None:
    agreement = signed_agreement(people)
    first_document = agreement.document
    user = user_for(people.kadis)
    with pytest.raises(DomainError, match="reason"):
        perf.agreement_revise(agreement=agreement, reason="", trigger="budget", acting_user=user)
    assert PerformanceAgreement.objects.count() == 1

    # The head of the health office moves to a new post: the PK Perubahan names the assignment.
    unit = org.unit_create(
        pemda=people.kadis.pemda, name="Dinas Pendidikan", acting_user=superadmin
    )
    post = org.position_create(
        pemda=people.kadis.pemda,
        unit=unit,
        title="Kepala Dinas Pendidikan",
        level="jpt_pratama",
        is_unit_head=True,
        acting_user=superadmin,
    )
    assignment = org.assignment_start(
        official=people.kadis, position=post, start_date=dt.date(2026, 7, 1), acting_user=superadmin
    )
    revision = perf.agreement_revise(
        agreement=agreement,
        reason="Mutasi jabatan ke Dinas Pendidikan.",
        trigger="assignment",
        trigger_assignment=assignment,
        acting_user=user,
    )
    assert revision.version == 2 and revision.revision_of == agreement
    assert revision.trigger_assignment == assignment
    assert revision.position_title == "Kepala Dinas Pendidikan" and revision.unit == unit
    assert not revision.is_current and revision.status == Status.DRAFT
    assert revision.indicators.count() == 2 and revision.programmes.count() == 1
    assert events("performance.agreement.revised") == 1
    with pytest.raises(DomainError, match="already being prepared"):
        perf.agreement_revise(agreement=agreement, reason="x", trigger="budget", acting_user=user)

    bupati = user_for(people.bupati)
    perf.agreement_submit(agreement=revision, acting_user=user)
    perf.agreement_approve(agreement=revision, acting_user=bupati)
    perf.agreement_sign_first_party(agreement=revision, acting_user=user, credential=PASSWORD)
    perf.agreement_sign_second_party(agreement=revision, acting_user=bupati, credential=PASSWORD)
    agreement.refresh_from_db()
    revision.refresh_from_db()
    assert agreement.status == Status.SUPERSEDED and not agreement.is_current
    assert revision.status == Status.SIGNED and revision.is_current
    assert agreement.document == first_document  # the earlier version stays verifiable
    assert first_document.signatures.count() == 2
    # ... and says everywhere that it was superseded, pointing to the revision.
    first_document.refresh_from_db()
    assert first_document.standing == "superseded"
    assert first_document.superseded_by == revision.document
    assert revision.document != first_document
    assert counts(agreement.pemda)["signed"] == 1
    versions = list(selectors.agreement_versions(agreement=revision))
    assert [v.version for v in versions] == [1, 2]


def test_cascade_from_the_superiors_indicator(people: People) -> None:
    kadis_agreement = signed_agreement(people)
    source = kadis_agreement.indicators.first()
    kabid_user = user_for(people.kabid)
    draft = perf.agreement_create(
        pemda=people.kabid.pemda, official=people.kabid, year=YEAR, acting_user=kabid_user
    )
    copy = perf.indicator_cascade(source=source, agreement=draft, acting_user=kabid_user)
    assert copy.cascaded_from == source and copy.agreement == draft
    assert copy.goal.name == source.goal.name
    assert copy.targets.count() == 4
    assert events("performance.indicator.cascaded") == 1
    with pytest.raises(DomainError, match="already been cascaded"):
        perf.indicator_cascade(source=source, agreement=draft, acting_user=kabid_user)
    # The bupati's subordinates cannot take an indicator of someone who is not their superior.
    bupati_draft = perf.agreement_create(
        pemda=people.bupati.pemda,
        official=people.kabid,
        year=YEAR + 1,
        acting_user=kabid_user,
    )
    with pytest.raises(DomainError):
        perf.indicator_cascade(source=source, agreement=bupati_draft, acting_user=kabid_user)
    assert events("performance.indicator.cascaded") == 1
    tree = selectors.cascade_tree(pemda=people.kadis.pemda, year=YEAR)
    root = next(n for n in tree if n.indicator == source)
    assert [c.indicator for c in root.children] == [copy]


def test_realization_late_flag_verification_and_rollups(people: People) -> None:
    agreement = signed_agreement(people)
    immunisation, waiting = agreement.indicators.order_by("order")
    user, bupati = user_for(people.kadis), user_for(people.bupati)

    with time_machine.travel(dt.datetime(2026, 4, 10, 23, 0, tzinfo=dt.UTC)):
        # 11 April 06:00 WIB: one day after the deadline of TW I (31 March + 10 days).
        late = perf.realization_submit(
            indicator=immunisation, quarter=1, value="21", acting_user=user, evidence=EVIDENCE
        )
    with time_machine.travel(dt.datetime(2026, 4, 10, 16, 0, tzinfo=dt.UTC)):
        # 10 April 23:00 WIB: the last day, on time.
        on_time = perf.realization_submit(
            indicator=waiting, quarter=1, value="9", acting_user=user, evidence=EVIDENCE
        )
        with pytest.raises(DomainError, match="not started"):
            perf.realization_submit(
                indicator=waiting, quarter=3, value="7", acting_user=user, evidence=EVIDENCE
            )
    assert late.is_late and not on_time.is_late
    assert late.evidence.count() == 1
    with pytest.raises(DomainError, match="evidence"):
        perf.realization_submit(indicator=waiting, quarter=2, value="7", acting_user=user)
    assert Realization.objects.count() == 2

    # Not verified yet: nothing counts in the achievement, but the queue shows both.
    assert list(selectors.realizations_to_verify(user=bupati, pemda=agreement.pemda)) == [
        on_time,
        late,
    ]
    rollup = AchievementRollup.objects.get(pemda=agreement.pemda, year=YEAR, quarter=1)
    assert (rollup.submitted, rollup.late, rollup.measured) == (2, 1, 0)

    with pytest.raises(DomainError, match="second party"):
        perf.realization_verify(realization=late, acting_user=user)
    assert events("performance.realization.verified") == 0
    perf.realization_verify(realization=late, acting_user=bupati)
    perf.realization_return(
        realization=on_time, reason="Lampirkan rekap SIMPUS.", acting_user=bupati
    )
    on_time.refresh_from_db()
    assert on_time.status == Realization.Status.RETURNED
    # Corrected and verified: waiting time 9 months against 7-8 → 87.5.
    perf.realization_submit(indicator=waiting, quarter=1, value="9", acting_user=user)
    perf.realization_verify(realization=on_time, acting_user=bupati)

    row = AgreementAchievement.objects.get(agreement=agreement, quarter=1)
    # 21/20 = 105 (weight 2) and 87.5 (weight 1): (210 + 87.5) / 3 = 99.17
    assert row.achievement == Decimal("99.17")
    assert (row.measured, row.below_target, row.verified, row.late) == (2, 1, 2, 1)
    rollup.refresh_from_db()
    assert rollup.achievement == Decimal("99.17")
    assert selectors.pemda_achievement(pemda=agreement.pemda, year=YEAR)[1] == Decimal("99.17")
    with pytest.raises(DomainError, match="verified"):
        perf.realization_submit(indicator=waiting, quarter=1, value="1", acting_user=user)


def test_revision_carries_realizations_and_moves_the_rollup(people: People) -> None:
    agreement = signed_agreement(people)
    user, bupati = user_for(people.kadis), user_for(people.bupati)
    indicator = agreement.indicators.order_by("order").first()
    realization = perf.realization_submit(
        indicator=indicator, quarter=1, value="20", acting_user=user, evidence=EVIDENCE
    )
    perf.realization_verify(realization=realization, acting_user=bupati)
    revision = perf.agreement_revise(
        agreement=agreement, reason="Perubahan anggaran.", trigger="budget", acting_user=user
    )
    perf.agreement_submit(agreement=revision, acting_user=user)
    perf.agreement_approve(agreement=revision, acting_user=bupati)
    perf.agreement_sign_first_party(agreement=revision, acting_user=user, credential=PASSWORD)
    perf.agreement_sign_second_party(agreement=revision, acting_user=bupati, credential=PASSWORD)
    assert revision.realizations.count() == 1
    assert not AgreementAchievement.objects.filter(agreement=agreement).exists()
    rollup = AchievementRollup.objects.get(pemda=agreement.pemda, year=YEAR, quarter=1)
    assert rollup.achievement == Decimal("100.00") and rollup.measured == 1


def test_overdue_after_the_dpa_date(people: People, superadmin: User) -> None:
    user = user_for(people.kadis)
    agreement = perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    )
    assert agreement.due_date is None
    with pytest.raises(DomainError):
        perf.budget_calendar_set(
            pemda=agreement.pemda, year=YEAR, dpa_date=dt.date(2026, 1, 5), acting_user=user
        )
    perf.budget_calendar_set(
        pemda=agreement.pemda, year=YEAR, dpa_date=dt.date(2026, 1, 5), acting_user=superadmin
    )
    agreement.refresh_from_db()
    assert agreement.due_date == dt.date(2026, 2, 4)
    with time_machine.travel(dt.datetime(2026, 2, 4, 12, tzinfo=dt.UTC)):
        assert not selectors.agreement_overdue(pemda=agreement.pemda, year=YEAR).exists()
    with time_machine.travel(dt.datetime(2026, 2, 5, 12, tzinfo=dt.UTC)):
        assert list(selectors.agreement_overdue(pemda=agreement.pemda, year=YEAR)) == [agreement]


def test_overdue_agreements_are_reminded_once_a_day(people: People, superadmin: User) -> None:
    from django.core.management import call_command

    from pakta.notifications.models import Notification

    user = user_for(people.kadis)
    agreement = perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    )
    perf.budget_calendar_set(
        pemda=agreement.pemda, year=YEAR, dpa_date=dt.date(2026, 1, 5), acting_user=superadmin
    )
    with time_machine.travel(dt.datetime(2026, 2, 4, 12, tzinfo=dt.UTC)):
        assert perf.agreements_remind() == 0  # due today: not overdue yet
    with time_machine.travel(dt.datetime(2026, 2, 5, 3, tzinfo=dt.UTC)):
        call_command("send_performance_reminders", stdout=io.StringIO())
        assert perf.agreements_remind() == 0  # once a day
    note = Notification.objects.get(user=user)
    assert "2026-02-04" in note.message and note.url == agreement.get_absolute_url()
    assert events("performance.reminders.sent") == 1
