"""Filing a report, the dated rules, the deadlines in working days, and every refusal leaving no
row and no audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.gratification import custody, deadlines, rules
from pakta.gratification.models import GratificationReport, GratificationRule
from pakta.gratification.services import UploadedFile
from pakta.org.models import CalendarDay
from pakta.org.workdays import WorkCalendar
from tests.gratification.conftest import PNG, TODAY, file_report

pytestmark = pytest.mark.django_db


def test_report_snapshots_recipient_deadlines_and_assessment(
    pemda_a: Any, reporter: Any, official_a: Any
) -> None:
    report = file_report(pemda_a, reporter, files=[UploadedFile("foto.png", PNG)])
    assert report.number == "GRT/2026/00001"
    assert report.recipient == official_a
    assert report.recipient_nip == "197001012000031001"
    assert report.recipient_position == "Kepala Dinas Kesehatan"
    assert report.recipient_unit_name == "Dinas Kesehatan"
    assert report.evidence.count() == 1
    # 23 Feb 2026 + 30 working days; the March 2026 holidays (Nyepi, Idul Fitri and cuti
    # bersama) push it well past the naive 6 April.
    calendar = WorkCalendar(pemda_a)
    assert report.kpk_due == calendar.add_working_days(dt.date(2026, 2, 23), 30)
    assert calendar.working_days_between(dt.date(2026, 2, 23), report.kpk_due) == 30
    assert report.kpk_due > dt.date(2026, 4, 6)
    assert report.upg_due == calendar.add_working_days(dt.date(2026, 2, 23), 10)
    assert not report.late
    assert report.assessment == GratificationReport.Assessment.MUST_REPORT
    assert "whatever its value" in report.assessment_reason
    assert AuditEvent.objects.filter(action="gratification.report.filed").count() == 1


def test_report_filed_after_30_working_days_is_late(pemda_a: Any, reporter: Any) -> None:
    report = file_report(pemda_a, reporter, received_on=dt.date(2026, 1, 5))
    assert report.late
    assert report.kpk_due < TODAY


def test_rules_changed_on_20_january_2026(pemda_a: Any, reporter: Any, official_a: Any) -> None:
    def check(
        category: str,
        value: int,
        day: dt.date,
        relationship: str = "colleague",
        kind: str = "goods",
    ) -> rules.Assessment:
        return rules.assess(
            pemda=pemda_a,
            recipient=official_a,
            relationship=relationship,
            exempt_category=category,
            kind=kind,
            value=value,
            received_on=day,
            giver_name="Budi",
        )

    before, after = dt.date(2026, 1, 19), dt.date(2026, 1, 20)
    assert check("ceremony", 1_200_000, before, "family").outcome == "must_report"
    exempt = check("ceremony", 1_200_000, after, "family")
    assert exempt.outcome == "may_be_exempt"
    assert "Perkom KPK 1/2026" in exempt.source
    assert check("colleague", 400_000, before).outcome == "must_report"
    assert check("colleague", 400_000, after).outcome == "may_be_exempt"
    assert check("colleague", 400_000, after, kind="money").outcome == "must_report"
    assert check("colleague", 400_000, after, relationship="vendor").outcome == "must_report"
    assert check("farewell", 250_000, before).outcome == "may_be_exempt"
    removed = check("farewell", 250_000, after)
    assert removed.outcome == "must_report"
    assert "removed from 20 January 2026" in removed.reason
    assert check("ceremony", 1_600_000, after, "family").outcome == "must_report"


def test_yearly_limit_counts_earlier_reports_from_the_same_giver(
    pemda_a: Any, reporter: Any, official_a: Any
) -> None:
    for day in (dt.date(2026, 2, 2), dt.date(2026, 2, 9), dt.date(2026, 2, 10)):
        file_report(
            pemda_a,
            reporter,
            giver_name="Sdr. Budi Santoso",
            relationship="colleague",
            exempt_category="colleague",
            value=500_000,
            received_on=day,
        )
    third = rules.assess(
        pemda=pemda_a,
        recipient=official_a,
        relationship="colleague",
        exempt_category="colleague",
        kind="goods",
        value=100_000,
        received_on=dt.date(2026, 2, 16),
        giver_name="budi santoso",
    )
    assert third.outcome == "must_report"
    assert "Rp1.500.000 reported earlier" in third.reason
    assert "Rp1.600.000" in third.reason
    other_year = rules.assess(
        pemda=pemda_a,
        recipient=official_a,
        relationship="colleague",
        exempt_category="colleague",
        kind="goods",
        value=100_000,
        received_on=dt.date(2027, 1, 4),
        giver_name="budi santoso",
    )
    assert other_year.outcome == "may_be_exempt"


def test_vendor_with_active_contract_is_never_exempt(
    pemda_a: Any, reporter: Any, upg: Any, official_a: Any
) -> None:
    custody.giver_add(
        pemda=pemda_a,
        acting_user=upg,
        name="PT. Maju Jaya Tbk",
        kind="vendor",
        identifier="01.234.567.8-901.000",
    )
    result = rules.assess(
        pemda=pemda_a,
        recipient=official_a,
        relationship="service_user",
        exempt_category="promotional",
        kind="goods",
        value=50_000,
        received_on=dt.date(2026, 2, 2),
        giver_name="Maju Jaya",
    )
    assert result.outcome == "must_refuse"
    report = file_report(
        pemda_a, reporter, giver_name="Toko Lain", giver_identifier="012345678901000"
    )
    assert report.flags and report.flags[0]["by"] == "identifier"
    by_name = file_report(pemda_a, reporter, giver_name="pt maju jaya")
    assert by_name.flags[0]["by"] == "name"


def test_refused_gift_is_reported_without_custody(pemda_a: Any, reporter: Any, upg: Any) -> None:
    report = file_report(pemda_a, reporter, type="refused", location="recipient")
    assert report.location == GratificationReport.Location.NONE
    with pytest.raises(DomainError, match="refused gift is not taken into custody"):
        custody.custody_receive(
            report=report,
            acting_user=upg,
            description="x",
            received_from="y",
            storage="z",
            condition="good",
        )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value": 0}, "more than Rp0"),
        ({"value": -5}, "more than Rp0"),
        ({"received_on": TODAY + dt.timedelta(days=1)}, "cannot be in the future"),
        ({"received_on": dt.date(2022, 12, 30)}, "before the official's appointment"),
        ({"relationship": "friend"}, "relationship from the list"),
        (
            {"files": [UploadedFile("surat.docx", b"PK\x03\x04")]},
            "an image \\(JPEG, PNG\\) or a PDF",
        ),
        # The shared upload policy (core.uploads) names what is wrong with the content.
        ({"files": [UploadedFile("fake.pdf", b"not a pdf")]}, "is not a valid PDF file"),
        ({"chronology": "  "}, "Fill in the chronology"),
    ],
)
def test_bad_input_is_refused_and_leaves_nothing(
    pemda_a: Any, reporter: Any, overrides: dict, message: str
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match=message):
        file_report(pemda_a, reporter, **overrides)
    assert not GratificationReport.objects.exists()
    assert AuditEvent.objects.count() == events


def test_bad_input_message_in_indonesian(pemda_a: Any, reporter: Any) -> None:
    from django.utils import translation

    with translation.override("id"), pytest.raises(DomainError) as error:
        file_report(pemda_a, reporter, value=0)
    assert "Rp0" in str(error.value) and "harus" in str(error.value).lower()


def test_only_the_upg_files_on_behalf(
    pemda_a: Any, role_users: Any, upg: Any, official_a: Any
) -> None:
    with pytest.raises(DomainError, match="not linked to an official"):
        file_report(pemda_a, role_users["pegawai"])
    report = file_report(pemda_a, upg, recipient=official_a)
    assert report.recipient == official_a and report.reporter == upg


def test_rules_are_rows_a_new_regulation_adds(pemda_a: Any, official_a: Any) -> None:
    GratificationRule.objects.create(
        category="ceremony",
        effective_from=dt.date(2027, 1, 1),
        source="Perkom KPK 9/2026",
        per_giver_limit=2_000_000,
    )
    result = rules.assess(
        pemda=pemda_a,
        recipient=official_a,
        relationship="family",
        exempt_category="ceremony",
        kind="money",
        value=1_800_000,
        received_on=dt.date(2027, 1, 4),
        giver_name="Paman",
    )
    assert result.outcome == "may_be_exempt" and result.source == "Perkom KPK 9/2026"


def test_deadline_states_follow_overrides(pemda_a: Any) -> None:
    calendar = WorkCalendar(pemda_a)
    received = [dt.date(2026, 1, 5), dt.date(2026, 2, 23), dt.date(2026, 2, 27)]
    due, left, state = deadlines.deadline_states(calendar, received, TODAY)
    assert [d.astype(dt.date) for d in due] == [calendar.add_working_days(r, 30) for r in received]
    assert list(state) == [2, 0, 0]
    assert left[0] < 0 < 3 < left[1] < left[2]
    # A Saturday declared a working day shortens the deadline by one day.
    CalendarDay.objects.create(
        pemda=pemda_a, date=dt.date(2026, 3, 7), is_working_day=True, name="Kerja"
    )
    calendar = WorkCalendar(pemda_a)
    due2, _left, _state = deadlines.deadline_states(calendar, received[1:2], TODAY)
    assert due2[0].astype(dt.date) == calendar.add_working_days(received[1], 30)
    assert due2[0] < due[1]


def test_superadmin_adds_a_rule_through_the_page(superadmin: Any, role_users: Any) -> None:
    from django.urls import reverse

    from tests.conftest import client_for

    url = reverse("gratification_rules:rules")
    assert client_for(role_users["upg"]).get(url).status_code == 403
    client = client_for(superadmin)
    page = client.get(url).content.decode()
    assert "Perkom KPK 1/2026" in page
    data = {
        "category": "disaster",
        "effective_from": "2027-01-01",
        "source": "Perkom KPK 3/2026",
        "per_giver_limit": "2000000",
    }
    assert client.post(url, data).status_code == 302
    rule = GratificationRule.objects.get(source="Perkom KPK 3/2026")
    assert rule.per_giver_limit == 2_000_000
    assert AuditEvent.objects.filter(action="gratification.rule.changed").count() == 1
    again = client.post(url, data).content.decode()
    assert "sudah memiliki ketentuan yang berlaku mulai tanggal tersebut" in again
    assert GratificationRule.objects.filter(category="disaster").count() == 2
