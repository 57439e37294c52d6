"""Refused whistleblowing changes leave no row and no event (issue 20, item 6)."""

from __future__ import annotations

import pytest

from pakta.accounts.models import User
from pakta.org import services as org
from pakta.org.models import Pemda, Unit
from pakta.reports import services
from pakta.reports.models import Report, ReportAttachment, ReportKeyGrant, ReportMessage
from tests.kit import assert_refused
from tests.reports.conftest import submit
from tests.reports.test_workflow import key_of

pytestmark = pytest.mark.django_db

Stage = Report.Stage
FILED = (Report, ReportKeyGrant, ReportAttachment)  # what a filed report writes


def test_a_report_must_say_what_happened(pemda_a: Pemda, handler_a: User) -> None:
    """A reporter sending the form without describing what happened is asked to describe it."""
    with assert_refused(*FILED, match="Describe what happened."):
        submit(pemda_a, what="   ")


def test_a_confidential_report_needs_a_name(pemda_a: Pemda, handler_a: User) -> None:
    """Choosing to report confidentially without a name is refused."""
    with assert_refused(*FILED, match="Give your name to report confidentially"):
        submit(pemda_a, identity_mode=Report.IdentityMode.CONFIDENTIAL, identity_name="")


def test_a_report_cannot_name_another_pemdas_unit(
    pemda_a: Pemda, pemda_b: Pemda, handler_a: User, superadmin: User
) -> None:
    """A report to Pemda A about a unit of Pemda B is refused."""
    unit_b = org.unit_create(pemda=pemda_b, name="Dinas Perizinan", acting_user=superadmin)

    with assert_refused(*FILED, Unit, match="Choose a unit of this Pemda."):
        submit(pemda_a, reported_unit=unit_b)


def test_a_case_cannot_skip_stages(pemda_a: Pemda, handler_a: User) -> None:
    """A handler closing a case just received, without verifying it, is refused."""
    report = submit(pemda_a).report
    private = key_of(handler_a)

    with assert_refused(Report, match="cannot move to"):
        services.report_transition(
            report=report, to_stage=Stage.CLOSED, acting_user=handler_a, private_key=private
        )


def test_a_handler_with_a_locked_key_cannot_write(pemda_a: Pemda, handler_a: User) -> None:
    """A handler whose report key is not unlocked cannot write to the reporter."""
    report = submit(pemda_a).report

    with assert_refused(Report, ReportMessage, match="Unlock your report key first"):
        services.report_message_add(
            report=report,
            kind=ReportMessage.Kind.TO_REPORTER,
            body="Mohon lengkapi bukti.",
            acting_user=handler_a,
            private_key=None,
        )


def test_a_reporter_cannot_send_an_empty_message(pemda_a: Pemda, handler_a: User) -> None:
    """A reporter sending an empty message with no file is asked to write something."""
    filed = submit(pemda_a)

    with assert_refused(
        Report, ReportMessage, ReportAttachment, match="Write a message or attach a file."
    ):
        services.report_reporter_message(
            report=filed.report, report_key=filed.report_key, body="  "
        )
