"""Refused account and role changes leave no row and no event (issue 20, item 6)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import mail
from django.utils import translation

from pakta.accounts import services
from pakta.accounts.models import Membership, RoleRequest, User
from pakta.core.roles import Role
from pakta.notifications.models import Notification
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from tests.conftest import PASSWORD
from tests.kit import assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_a_username_is_taken_once(role_users: dict[str, User]) -> None:
    """Creating a user named like an existing one (in any case) is refused."""
    with assert_refused(User, match="The username ADMIN-A is already taken."):
        services.user_create(username="ADMIN-A", password=PASSWORD, acting_user=None)


def test_an_admin_cannot_grant_the_inspektorat_role_alone(
    role_users: dict[str, User], pemda_a: Pemda
) -> None:
    """An admin granting a report-reading role directly is told it needs a second person."""
    admin = role_users["admin"]

    with assert_refused(Membership, match="is granted by two people"):
        services.membership_grant(
            user=role_users["pegawai"], pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=admin
        )


def test_a_kepala_opd_role_cannot_name_another_pemdas_unit(
    role_users: dict[str, User], pemda_a: Pemda, pemda_b: Pemda, superadmin: User
) -> None:
    """Making someone Kepala OPD of a unit of Pemda B, inside Pemda A, is refused."""
    unit_b = org.unit_create(pemda=pemda_b, name="Dinas Sosial", acting_user=superadmin)

    with assert_refused(Membership, Unit, match="The unit belongs to another Pemda."):
        services.membership_grant(
            user=role_users["pegawai"],
            pemda=pemda_a,
            role=Role.KEPALA_OPD,
            unit=unit_b,
            acting_user=role_users["admin"],
        )


def test_the_last_administrator_stays(role_users: dict[str, User], pemda_a: Pemda) -> None:
    """Removing the only administrator of a Pemda is refused, so it is never left unmanaged."""
    membership = Membership.objects.get(pemda=pemda_a, role=Role.ADMIN)

    with assert_refused(Membership, match="The last administrator of a Pemda cannot be removed."):
        services.membership_revoke(membership=membership, acting_user=role_users["admin"])


def test_the_requester_cannot_approve_their_own_request(
    role_users: dict[str, User], pemda_a: Pemda
) -> None:
    """An admin who asked for an Inspektorat role cannot approve it themselves."""
    admin = role_users["admin"]
    request = services.role_request_create(
        user=role_users["pegawai"], pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=admin
    )

    with assert_refused(RoleRequest, Membership, Notification, match="decided by a second person"):
        services.role_request_decide(request=request, approve=True, acting_user=admin)


def test_an_official_gets_one_account(
    official_a: Official, pemda_a: Pemda, role_users: dict[str, User]
) -> None:
    """Inviting an official who already has an account is refused and no e-mail is sent."""
    services.user_create(username="hadi", password=PASSWORD, acting_user=None, official=official_a)

    with assert_refused(User, Membership, match="This official already has an account."):
        services.user_create_with_role(
            pemda=pemda_a,
            username="hadi2",
            email="hadi@example.go.id",
            role=Role.PEGAWAI,
            official=official_a,
            acting_user=role_users["admin"],
        )
    assert mail.outbox == []
