"""Objects the permission matrix needs for the account pages (see tests/core/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from pakta.accounts import services
from pakta.accounts.models import RoleRequest
from pakta.core.roles import Role


def make_role_request(world: Any, side: str) -> RoleRequest:
    """A pending request (by the superadmin) for a new user of Pemda ``side``."""
    return services.role_request_create(
        user=world.new_user(side),
        pemda=world.pemda[side],
        role=Role.INSPEKTORAT,
        acting_user=world.superadmin,
    )


FACTORIES = {RoleRequest: make_role_request}
