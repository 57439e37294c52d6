"""A signed and witnessed pact of Pemda A, and a user of Pemda A who may sign letters."""

from __future__ import annotations

import pytest
from django.utils import timezone

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant
from pakta.core.roles import Role
from pakta.org.models import Official, Pemda
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact
from tests.conftest import PASSWORD
from tests.kit import make_leader
from tests.signing.conftest import user_for


@pytest.fixture
def bupati(pemda_a: Pemda, superadmin: User) -> Official:
    return make_leader(
        pemda_a, superadmin, nip="196601011990031001", name="Bambang Wijaya", title="Bupati Alfa"
    )


def sign_pact(
    pemda: Pemda, official: Official, leader: Official, superadmin: User, *, witness: bool = True
) -> Pact:
    """Invite ``official`` to a ceremony led by ``leader`` this year; they sign, the leader
    countersigns as witness."""
    template = pacts.template_current(pemda, superadmin)
    event = pacts.event_create(
        pemda=pemda,
        acting_user=superadmin,
        title="Penandatanganan Pakta Integritas",
        date=timezone.localdate(),
        place="Aula Krakatau",
        template=template,
        leader=leader,
        leader_title=f"Bupati {pemda.name}",
    )
    (pact,) = pacts.event_add_participants(
        event=event, officials=[official], acting_user=superadmin
    )
    pacts.event_open(event=event, acting_user=superadmin)
    pacts.pact_sign(pact=pact, acting_user=user_for(official), credential=PASSWORD)
    pact.refresh_from_db()
    if witness:
        pacts.pact_witness_sign(pact=pact, acting_user=user_for(leader), credential=PASSWORD)
        pact.refresh_from_db()
    return pact


@pytest.fixture
def signed_pact(pemda_a: Pemda, official_a: Official, bupati: Official, superadmin: User) -> Pact:
    return sign_pact(pemda_a, official_a, bupati, superadmin)


@pytest.fixture
def letter_user(pemda_a: Pemda, bupati: Official, superadmin: User) -> User:
    """The Bupati's own account, with the leader's role (which may sign letters)."""
    user = user_for(bupati)
    membership_grant(user=user, pemda=pemda_a, role=Role.PIMPINAN, acting_user=superadmin)
    return user
