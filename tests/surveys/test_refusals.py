"""Refused survey changes leave no row and no event (issue 20, item 6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from pakta.accounts.models import User
from pakta.org.models import Pemda
from pakta.surveys import services
from pakta.surveys.models import (
    Question,
    Questionnaire,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyToken,
    SurveyYear,
)
from tests.kit import assert_refused
from tests.surveys.test_internal import _open_survey, _published, _staff, _tokens_from_mail

pytestmark = pytest.mark.django_db


def test_only_the_superadmin_sets_survey_years(role_users: dict[str, User]) -> None:
    """A Pemda admin changing the national SPI thresholds is refused."""
    with assert_refused(SurveyYear, match="Only the superadmin can change survey years."):
        services.survey_year_save(
            year=2024,
            acting_user=role_users["admin"],
            waspada_from=Decimal("68"),
            terjaga_from=Decimal("78"),
        )


def test_thresholds_must_rise(superadmin: User) -> None:
    """A superadmin typing the terjaga threshold below the waspada one is refused."""
    with assert_refused(SurveyYear, match="The thresholds must rise"):
        services.survey_year_save(
            year=2024,
            acting_user=superadmin,
            waspada_from=Decimal("78"),
            terjaga_from=Decimal("68"),
        )


def test_a_published_questionnaire_cannot_be_edited(pemda_a: Pemda, superadmin: User) -> None:
    """Editing the statements of a published version asks for a new version instead."""
    questionnaire = _published(pemda_a, superadmin)

    with assert_refused(Questionnaire, Question, match="This version is published"):
        services.questionnaire_update(
            questionnaire=questionnaire,
            acting_user=superadmin,
            title="Survei baru",
            scale=5,
            questions=[("", "Pernyataan baru.", False)],
        )


def test_a_survey_cannot_use_another_pemdas_questionnaire(
    pemda_a: Pemda, pemda_b: Pemda, superadmin: User
) -> None:
    """A survey of Pemda A on Pemda B's questionnaire is refused."""
    questionnaire_b = _published(pemda_b, superadmin)

    with assert_refused(Survey, match="The questionnaire belongs to another Pemda."):
        services.survey_create(
            pemda=pemda_a,
            questionnaire=questionnaire_b,
            title="Survei 2024",
            year=2024,
            acting_user=superadmin,
        )


def test_invitations_wait_for_the_survey_to_open(pemda_a: Pemda, superadmin: User) -> None:
    """Sending invitations for a survey still in draft is refused and no e-mail leaves."""
    _staff(pemda_a, superadmin, "Inspektorat", 2, start=1)
    survey = services.survey_create(
        pemda=pemda_a,
        questionnaire=_published(pemda_a, superadmin),
        title="Survei 2024",
        year=2024,
        acting_user=superadmin,
    )

    with assert_refused(SurveyInvitation, SurveyToken, match="Open the survey before sending"):
        services.survey_invite(survey=survey, acting_user=superadmin)
    assert mail.outbox == []


def test_an_answer_out_of_the_scale(pemda_a: Pemda, superadmin: User) -> None:
    """A respondent sending a 9 on a five-point scale is refused; the link stays unused."""
    _staff(pemda_a, superadmin, "Inspektorat", 1, start=1)
    survey = _open_survey(pemda_a, superadmin)
    services.survey_invite(survey=survey, acting_user=superadmin)
    (token,) = _tokens_from_mail()

    with assert_refused(SurveyToken, SurveyResponse, match="Each answer must be between 1 and 5."):
        services.survey_answer(token=token, answers={1: 9})
