"""Objects the permission matrix needs for the conflicts pages (tests/core/test_permission_matrix.py).
Declarations belong to a fresh official with their own account (no subject's); decisions of
Pemda A live in the Kepala OPD's unit."""

from __future__ import annotations

from typing import Any

from pakta.accounts.services import membership_grant, user_create
from pakta.conflicts import services
from pakta.conflicts.models import Decision, Finding, StandingDeclaration
from pakta.core.roles import Role


def make_declaration(world: Any, side: str) -> StandingDeclaration:
    official = world.new_official(side)
    user = user_create(
        username=f"coi-{next(world.serial)}",
        password="a-long-unused-password-123",
        acting_user=world.superadmin,
        official=official,
    )
    membership_grant(
        user=user, pemda=world.pemda[side], role=Role.PEGAWAI, acting_user=world.superadmin
    )
    return services.declaration_start(official=official, year=2026, acting_user=user)


def make_decision(world: Any, side: str) -> Decision:
    return services.decision_create(
        pemda=world.pemda[side],
        acting_user=world.superadmin,
        kind="jpt",
        title=f"Seleksi JPT {next(world.serial)}",
        unit=world.unit[side],
        year=2026,
    )


def make_finding(world: Any, side: str) -> Finding:
    decision = make_decision(world, side)
    member = services.decision_member_add(
        decision=decision,
        acting_user=world.superadmin,
        official=world.new_official(side),
        role="panel",
    )
    services.screen_decision(decision=decision, acting_user=world.superadmin)
    return Finding.objects.get(decision=decision, official=member.official)


FACTORIES = {StandingDeclaration: make_declaration, Decision: make_decision, Finding: make_finding}
