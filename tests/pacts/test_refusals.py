"""Refused pact changes leave no row and no event (issue 20, item 6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import translation

from pakta.accounts.models import User
from pakta.org.models import Official, Pemda
from pakta.pacts import services as pacts
from pakta.pacts.models import ComplianceCount, EventWitness, Pact, PactTemplate, SigningEvent
from pakta.signing.models import Signature, SignedDocument
from tests.conftest import PASSWORD
from tests.factories import OfficialFactory
from tests.kit import assert_refused
from tests.signing.conftest import user_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def make_event(pemda: Pemda, superadmin: User) -> SigningEvent:
    return pacts.event_create(
        pemda=pemda,
        acting_user=superadmin,
        title="Penandatanganan Pakta Integritas 2026",
        date=dt.date(2026, 3, 26),
        place="Aula Krakatau",
        template=pacts.template_current(pemda, superadmin),
    )


def test_a_published_template_cannot_be_edited(pemda_a: Pemda, superadmin: User) -> None:
    """An admin editing a published template is told to make a new version instead."""
    template = pacts.template_current(pemda_a, superadmin)

    with assert_refused(PactTemplate, match="A published template cannot be changed"):
        pacts.template_update(template=template, acting_user=superadmin, clauses=["Jujur."])


def test_an_event_cannot_use_another_pemdas_template(
    pemda_a: Pemda, pemda_b: Pemda, superadmin: User
) -> None:
    """An event set up with Pemda B's template is refused."""
    template_b = pacts.template_current(pemda_b, superadmin)

    with assert_refused(SigningEvent, match="Choose a published template of this Pemda."):
        pacts.event_create(
            pemda=pemda_a,
            acting_user=superadmin,
            title="Penandatanganan 2026",
            date=dt.date(2026, 3, 26),
            place="Aula",
            template=template_b,
        )


def test_an_empty_event_cannot_be_opened(pemda_a: Pemda, superadmin: User) -> None:
    """Opening an event nobody is invited to is refused."""
    event = make_event(pemda_a, superadmin)

    with assert_refused(SigningEvent, match="Add participants before opening the event."):
        pacts.event_open(event=event, acting_user=superadmin)


def test_a_witness_cannot_be_another_pemdas_official(
    pemda_a: Pemda, pemda_b: Pemda, superadmin: User
) -> None:
    """Naming an official of Pemda B as a witness is refused."""
    event = make_event(pemda_a, superadmin)
    stranger = OfficialFactory(pemda=pemda_b)

    with assert_refused(EventWitness, match="The witness must be an official of this Pemda"):
        pacts.event_add_witness(event=event, acting_user=superadmin, official=stranger)


def test_excusing_needs_a_reason(pemda_a: Pemda, official_a: Official, superadmin: User) -> None:
    """Excusing an official without saying why is refused; the counts stay as they were."""
    event = make_event(pemda_a, superadmin)
    (pact,) = pacts.event_add_participants(
        event=event, officials=[official_a], acting_user=superadmin
    )

    with assert_refused(Pact, ComplianceCount, match="Give the reason"):
        pacts.pact_excuse(pact=pact, reason="  ", acting_user=superadmin)


def test_signing_before_the_event_opens(
    pemda_a: Pemda, official_a: Official, superadmin: User
) -> None:
    """An official signing before the ceremony is opened is told the event is not open."""
    event = make_event(pemda_a, superadmin)
    (pact,) = pacts.event_add_participants(
        event=event, officials=[official_a], acting_user=superadmin
    )
    signer = user_for(official_a)

    with assert_refused(
        Pact, SignedDocument, Signature, ComplianceCount, match="The signing event is not open."
    ):
        pacts.pact_sign(pact=pact, acting_user=signer, credential=PASSWORD)


def test_signing_with_a_wrong_password(
    pemda_a: Pemda, official_a: Official, superadmin: User
) -> None:
    """An official who mistypes the password is refused and nothing is signed or rendered."""
    event = make_event(pemda_a, superadmin)
    (pact,) = pacts.event_add_participants(
        event=event, officials=[official_a], acting_user=superadmin
    )
    pacts.event_open(event=event, acting_user=superadmin)
    signer = user_for(official_a)

    with assert_refused(
        Pact, SignedDocument, Signature, ComplianceCount, match="nothing was signed"
    ):
        pacts.pact_sign(pact=pact, acting_user=signer, credential="wrong-password")
