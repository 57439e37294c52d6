"""Two people grant a role that reads integrity reports: one asks, an Inspektorat handler or the
superadmin approves, never the one who asked nor the one who would receive it."""

from __future__ import annotations

import pytest

from pakta.accounts.models import Membership, RoleRequest, User
from pakta.accounts.services import membership_grant, role_request_create, role_request_decide
from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.roles import Role
from pakta.notifications.models import Notification
from pakta.org.models import Pemda
from tests.conftest import client_for


def holds(user: User, role: Role) -> bool:
    return Membership.objects.filter(user=user, role=role).exists()


def test_an_admin_cannot_grant_themselves_the_inspektorat_role(
    role_users: dict[str, User], pemda_a: Pemda
) -> None:
    admin = role_users["admin"]
    with pytest.raises(DomainError):
        membership_grant(user=admin, pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=admin)
    # Through the page, the grant becomes a request, and nothing is granted yet.
    response = client_for(admin).post(
        f"/p/alfa/users/{admin.pk}/roles/new/", {"role": "inspektorat"}, follow=True
    )
    assert "diberikan setelah penangan Inspektorat atau superadmin menyetujuinya" in (
        response.content.decode()
    )
    request = RoleRequest.objects.get(user=admin)
    assert request.status == RoleRequest.Status.PENDING
    assert not holds(admin, Role.INSPEKTORAT)
    # The admin cannot approve their own request, neither as requester nor as grantee.
    with pytest.raises(PermissionDeniedError):
        role_request_decide(request=request, approve=True, acting_user=admin)
    assert client_for(admin).get("/p/alfa/role-requests/").status_code == 403
    assert not holds(admin, Role.INSPEKTORAT)


def test_a_handler_approves_and_every_step_is_audited_and_shown_to_the_handlers(
    role_users: dict[str, User], pemda_a: Pemda
) -> None:
    admin, handler = role_users["admin"], role_users["inspektorat"]
    newcomer = role_users["pegawai"]
    request = role_request_create(
        user=newcomer, pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=admin
    )
    told = Notification.objects.get(user=handler)
    assert "perlu persetujuan" in told.message or "approval needed" in told.message
    page = client_for(handler).get("/p/alfa/role-requests/")
    assert page.status_code == 200 and "pegawai-a" in page.content.decode()

    response = client_for(handler).post(
        f"/p/alfa/role-requests/{request.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (RoleRequest.Status.APPROVED, handler)
    assert holds(newcomer, Role.INSPEKTORAT)
    actions = list(
        AuditEvent.objects.filter(action__startswith="accounts.role_request.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["accounts.role_request.created", "accounts.role_request.approved"]
    assert AuditEvent.objects.filter(
        action="accounts.membership.granted", actor_id=handler.pk
    ).exists()
    # Decided once.
    with pytest.raises(DomainError):
        role_request_decide(request=request, approve=False, acting_user=handler)


def test_a_refusal_grants_nothing_and_the_grantee_cannot_decide(
    role_users: dict[str, User], pemda_a: Pemda, superadmin: User
) -> None:
    admin = role_users["admin"]
    # UPG reads no reports: it is granted directly, never requested.
    with pytest.raises(DomainError):
        role_request_create(user=admin, pemda=pemda_a, role=Role.UPG, acting_user=admin)
    upg = role_users["upg"]
    request = role_request_create(user=upg, pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=admin)
    with pytest.raises(PermissionDeniedError):
        role_request_decide(request=request, approve=True, acting_user=upg)
    role_request_decide(request=request, approve=False, acting_user=superadmin)
    assert not holds(upg, Role.INSPEKTORAT)
    assert AuditEvent.objects.filter(action="accounts.role_request.refused").exists()
