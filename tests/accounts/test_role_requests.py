"""Two people grant a role that reads integrity reports, and the custody of the escrow key: one
asks, the head of the Inspektorat or the superadmin approves, never the one who asked nor the
one who would receive it; every step is audited and told to the Inspektorat handlers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db.models import Model
from django.urls import reverse
from django.utils import translation

from pakta.accounts.models import Membership, RoleRequest, User
from pakta.accounts.services import membership_grant, role_request_create, role_request_decide
from pakta.audit.models import AuditEvent
from pakta.core.roles import ESCROW_HOLDER, Role
from pakta.notifications.models import Notification
from pakta.org import services as org
from pakta.org.models import Pemda, Unit
from pakta.reports import keys
from pakta.reports.models import EscrowKey
from tests.conftest import client_for, make_user
from tests.kit import assert_refused, make_nip


@contextmanager
def refused(*models: type[Model], match: str) -> Iterator[None]:
    """``assert_refused`` with the service's message in English (a page visited before may
    have switched the thread's language)."""
    with translation.override("en"), assert_refused(*models, match=match):
        yield


def holds(user: User, role: Role) -> bool:
    return Membership.objects.filter(user=user, role=role).exists()


def make_inspektur(pemda: Pemda, user: User, superadmin: User) -> User:
    """Make ``user`` (an Inspektorat handler) the official heading the Pemda's Inspektorat."""
    unit = org.unit_create(
        pemda=pemda, name="Inspektorat", kind=Unit.Kind.INSPEKTORAT, acting_user=superadmin
    )
    position = org.position_create(
        pemda=pemda,
        unit=unit,
        title="Inspektur",
        level="jpt_pratama",
        is_unit_head=True,
        acting_user=superadmin,
    )
    official = org.official_create(
        pemda=pemda, nip=make_nip(77), name="Indah Lestari", acting_user=superadmin
    )
    org.assignment_start(
        official=official, position=position, start_date=dt.date(2024, 1, 2), acting_user=superadmin
    )
    user.official = official
    user.save(update_fields=["official"])
    return user


@pytest.fixture
def inspektur(role_users: dict[str, User], pemda_a: Pemda, superadmin: User) -> User:
    return make_inspektur(pemda_a, role_users["inspektorat"], superadmin)


@pytest.fixture
def handler(pemda_a: Pemda, superadmin: User) -> User:
    """A second Inspektorat handler, not the head."""
    return make_user("auditor-a", pemda_a, Role.INSPEKTORAT, granter=superadmin)


def test_an_admin_cannot_grant_themselves_the_inspektorat_role(
    role_users: dict[str, User], pemda_a: Pemda, inspektur: User
) -> None:
    admin = role_users["admin"]
    with refused(Membership, RoleRequest, match="granted by two people"):
        membership_grant(user=admin, pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=admin)
    # Through the page, the grant becomes a request, and nothing is granted yet.
    response = client_for(admin).post(
        f"/p/alfa/users/{admin.pk}/roles/new/", {"role": "inspektorat"}, follow=True
    )
    assert "diberikan setelah kepala Inspektorat atau superadmin menyetujuinya" in (
        response.content.decode()
    )
    request = RoleRequest.objects.get(user=admin)
    assert request.status == RoleRequest.Status.PENDING
    assert not holds(admin, Role.INSPEKTORAT)
    # The admin cannot approve their own request, neither as requester nor as grantee.
    with refused(RoleRequest, Membership, Notification, match="second person"):
        role_request_decide(request=request, approve=True, acting_user=admin)
    assert client_for(admin).get("/p/alfa/role-requests/").status_code == 403
    answer = client_for(admin).post(
        f"/p/alfa/role-requests/{request.pk}/decide/", {"decision": "approve"}
    )
    assert answer.status_code == 403
    assert not holds(admin, Role.INSPEKTORAT)


def test_the_head_of_the_inspektorat_approves_and_every_handler_is_told(
    role_users: dict[str, User], pemda_a: Pemda, inspektur: User, handler: User
) -> None:
    admin, newcomer = role_users["admin"], role_users["pegawai"]
    request = role_request_create(
        user=newcomer, pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=admin
    )
    for reader in (inspektur, handler):
        told = Notification.objects.get(user=reader)
        assert "perlu persetujuan" in told.message or "approval needed" in told.message
    # Every handler sees the request; only the head is offered the decision.
    page = client_for(handler).get("/p/alfa/role-requests/").content.decode()
    assert "pegawai-a" in page and 'value="approve"' not in page
    assert "Menunggu kepala Inspektorat atau superadmin" in page
    with refused(RoleRequest, Membership, Notification, match="head of the Inspektorat"):
        role_request_decide(request=request, approve=True, acting_user=handler)
    # The head finds it in "Tugas saya" and on the list.
    home = client_for(inspektur).get("/p/alfa/").content.decode()
    assert "pegawai-a" in home and "/p/alfa/role-requests/" in home
    page = client_for(inspektur).get("/p/alfa/role-requests/").content.decode()
    assert 'value="approve"' in page

    response = client_for(inspektur).post(
        f"/p/alfa/role-requests/{request.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (RoleRequest.Status.APPROVED, inspektur)
    assert holds(newcomer, Role.INSPEKTORAT)
    actions = list(
        AuditEvent.objects.filter(action__startswith="accounts.role_request.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["accounts.role_request.created", "accounts.role_request.approved"]
    assert AuditEvent.objects.filter(
        action="accounts.membership.granted", actor_id=inspektur.pk
    ).exists()
    # The handlers and the requester are told of the decision.
    assert Notification.objects.filter(user=admin).count() == 1
    assert Notification.objects.filter(user=handler).count() == 2
    # Decided once.
    with refused(RoleRequest, Membership, Notification, match="already been decided"):
        role_request_decide(request=request, approve=False, acting_user=inspektur)


def test_a_refusal_grants_nothing_and_the_grantee_cannot_decide(
    role_users: dict[str, User], pemda_a: Pemda, superadmin: User
) -> None:
    admin = role_users["admin"]
    # UPG reads no reports: it is granted directly, never requested.
    with refused(RoleRequest, match="granted directly"):
        role_request_create(user=admin, pemda=pemda_a, role=Role.UPG, acting_user=admin)
    upg = role_users["upg"]
    request = role_request_create(user=upg, pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=admin)
    with refused(RoleRequest, Membership, match="second person"):
        role_request_decide(request=request, approve=True, acting_user=upg)
    with refused(RoleRequest, match="already been requested"):
        role_request_create(user=upg, pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=admin)
    role_request_decide(request=request, approve=False, acting_user=superadmin)
    assert not holds(upg, Role.INSPEKTORAT)
    assert AuditEvent.objects.filter(action="accounts.role_request.refused").exists()


def test_without_a_head_of_the_inspektorat_only_the_superadmin_decides(
    role_users: dict[str, User], pemda_a: Pemda, superadmin: User
) -> None:
    """A handler who does not head the Inspektorat cannot approve; nor can an administrator
    who puts their own official at its head (the role itself takes two people)."""
    admin, handler = role_users["admin"], role_users["inspektorat"]
    request = role_request_create(
        user=role_users["pimpinan"], pemda=pemda_a, role=Role.INSPEKTORAT, acting_user=admin
    )
    with refused(RoleRequest, Membership, match="head of the Inspektorat"):
        role_request_decide(request=request, approve=True, acting_user=handler)
    make_inspektur(pemda_a, role_users["upg"], superadmin)  # heads it, holds no Inspektorat role
    with refused(RoleRequest, Membership, match="head of the Inspektorat"):
        role_request_decide(request=request, approve=True, acting_user=role_users["upg"])
    role_request_decide(request=request, approve=True, acting_user=superadmin)
    assert holds(role_users["pimpinan"], Role.INSPEKTORAT)


def test_the_escrow_key_is_held_by_an_approved_administrator_once(
    role_users: dict[str, User], pemda_a: Pemda, inspektur: User
) -> None:
    admin = role_users["admin"]
    client = client_for(admin)
    client.cookies["django_language"] = "en"
    url = reverse("reports:escrow", kwargs={"pemda": "alfa"})
    # Alone, the administrator cannot turn an escrow key on.
    with refused(EscrowKey, RoleRequest, match="two people"):
        keys.escrow_enable(pemda=pemda_a, acting_user=admin)
    page = client.get(url).content.decode()
    assert 'value="enable"' not in page and 'value="request"' in page
    # A pegawai cannot be named holder of the key.
    with refused(RoleRequest, match="administrator of the Pemda"):
        role_request_create(
            user=role_users["pegawai"], pemda=pemda_a, role=ESCROW_HOLDER, acting_user=admin
        )
    # The administrator asks; the handlers are told; the head of the Inspektorat approves.
    page = client.post(url, {"action": "request"}).content.decode()
    assert "the head of the Inspektorat or the superadmin decides" in page
    assert "waits for the head of the Inspektorat" in page
    request = RoleRequest.objects.get(role=ESCROW_HOLDER)
    assert (request.user, request.requested_by) == (admin, admin)
    assert Notification.objects.filter(user=inspektur).count() == 1
    with refused(EscrowKey, RoleRequest, match="two people"):
        keys.escrow_enable(pemda=pemda_a, acting_user=admin)  # pending is not approved
    role_request_decide(request=request, approve=True, acting_user=inspektur)
    assert not holds(admin, Role.INSPEKTORAT)  # custody of the key, not a role
    page = client.get(url).content.decode()
    assert 'value="enable"' in page
    page = client.post(url, {"action": "enable"})
    assert page.context["escrow_code"]
    request.refresh_from_db()
    assert request.used_at is not None
    event = AuditEvent.objects.get(action="reports.escrow.enabled")
    assert event.summary == {"role_request_id": request.pk}
    # Told: the request, the approval, the key turned on.
    assert Notification.objects.filter(user=inspektur).count() == 3
    # The approval is used once: after turning the key off, a new key needs a new approval.
    keys.escrow_disable(pemda=pemda_a, acting_user=admin)
    with refused(EscrowKey, RoleRequest, match="two people"):
        keys.escrow_enable(pemda=pemda_a, acting_user=admin)
