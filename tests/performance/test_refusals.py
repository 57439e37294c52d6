"""Refused performance-agreement changes leave no row and no event (issue 20, item 6)."""

from __future__ import annotations

import pytest

from pakta.accounts.models import User
from pakta.org.models import Pemda
from pakta.performance import services as perf
from pakta.performance.models import AgreementCount, Goal, PerformanceAgreement
from tests.kit import assert_refused
from tests.performance.conftest import YEAR, People, fill

pytestmark = pytest.mark.django_db


def draft(people: People) -> PerformanceAgreement:
    user = people.user(people.kadis)
    return perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    )


def submitted(people: People) -> PerformanceAgreement:
    agreement = draft(people)
    fill(agreement, people.user(people.kadis))
    perf.agreement_submit(agreement=agreement, acting_user=people.user(people.kadis))
    return agreement


def test_a_plain_employee_cannot_prepare_someone_elses_agreement(
    people: People, pemda_a: Pemda, role_users: dict[str, User]
) -> None:
    """A pegawai preparing the agreement of the head of office is refused."""
    with assert_refused(
        PerformanceAgreement, AgreementCount, match="prepared by the official themselves"
    ):
        perf.agreement_create(
            pemda=pemda_a, official=people.kadis, year=YEAR, acting_user=role_users["pegawai"]
        )


def test_a_second_agreement_for_the_same_year(people: People, pemda_a: Pemda) -> None:
    """Starting another agreement for a year already covered tells the official to revise."""
    draft(people)

    with assert_refused(
        PerformanceAgreement, AgreementCount, match="already has an agreement for 2026"
    ):
        perf.agreement_create(
            pemda=pemda_a, official=people.kadis, year=YEAR, acting_user=people.user(people.kadis)
        )


def test_an_empty_agreement_cannot_be_submitted(people: People) -> None:
    """Submitting an agreement without goals asks for a goal with an indicator first."""
    agreement = draft(people)

    with assert_refused(
        PerformanceAgreement, AgreementCount, match="Add at least one strategic goal"
    ):
        perf.agreement_submit(agreement=agreement, acting_user=people.user(people.kadis))


def test_only_the_superior_approves(people: People) -> None:
    """The official approving their own agreement is refused."""
    agreement = submitted(people)

    with assert_refused(
        PerformanceAgreement, AgreementCount, match="Only the second party of this agreement"
    ):
        perf.agreement_approve(agreement=agreement, acting_user=people.user(people.kadis))


def test_returning_needs_a_reason(people: People) -> None:
    """The superior returning an agreement without a reason is asked for one."""
    agreement = submitted(people)
    superior = people.user(people.bupati)

    with assert_refused(
        PerformanceAgreement, AgreementCount, match="so that the official knows what to correct"
    ):
        perf.agreement_return(agreement=agreement, reason=" ", acting_user=superior)


def test_a_submitted_agreement_cannot_get_new_goals(people: People) -> None:
    """Adding a goal while the superior reviews the agreement is refused."""
    agreement = submitted(people)

    with assert_refused(Goal, match="Only a draft or a returned agreement can be changed"):
        perf.goal_add(
            agreement=agreement, name="Sasaran baru", acting_user=people.user(people.kadis)
        )
