"""The permission registry: each app declares which roles hold which permission.

Views name the permission they need (``permission = "org.manage"``); the registry answers
whether a user's memberships in a Pemda grant it. The permission-matrix test reads the same
registry, so a permission is declared in exactly one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import LazyObject, empty

from pakta.core.roles import Role

if TYPE_CHECKING:
    from pakta.org.models import Pemda, Unit

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Permission:
    code: str
    roles: frozenset[Role]
    label: Any
    # Kepala OPD see only their unit and its sub-units for permissions marked unit-scoped.
    unit_scoped: bool = False


_REGISTRY: dict[str, Permission] = {}


def register(
    code: str, roles: Iterable[Role], label: Any, *, unit_scoped: bool = False
) -> Permission:
    permission = Permission(code=code, roles=frozenset(roles), label=label, unit_scoped=unit_scoped)
    _REGISTRY[code] = permission
    return permission


def get_permission(code: str) -> Permission:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(
            f"Unknown permission {code!r}: declare it in the app's permissions.py."
        ) from None


def all_permissions() -> dict[str, Permission]:
    return dict(_REGISTRY)


def _instance(user: Any) -> Any:
    """The user object itself behind ``request.user``'s lazy wrappers (where the roles are kept,
    whichever wrapper asks)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def roles_of(user: Any, pemda: Pemda) -> set[Role]:
    """The roles ``user`` holds in ``pemda`` (cached on the user object for the request)."""
    if not user.is_authenticated:
        return set()
    state = _instance(user).__dict__
    cache: dict[int, set[Role]] = state.setdefault("_pakta_roles", {})
    if pemda.pk not in cache:
        if state.get("_pakta_roles_all"):
            return set()
        cache[pemda.pk] = {
            Role(r) for r in user.memberships.filter(pemda=pemda).values_list("role", flat=True)
        }
    return cache[pemda.pk]


def roles_everywhere(user: Any) -> set[Role]:
    """Every role ``user`` holds in any Pemda (one query; ``roles_of`` then asks no more)."""
    if not user.is_authenticated:
        return set()
    state = _instance(user).__dict__
    if not state.get("_pakta_roles_all"):
        cache: dict[int, set[Role]] = {}
        for pemda_id, role in user.memberships.values_list("pemda_id", "role"):
            cache.setdefault(pemda_id, set()).add(Role(role))
        state["_pakta_roles"] = cache
        state["_pakta_roles_all"] = True
    return set().union(*state["_pakta_roles"].values())


def is_member(user: Any, pemda: Pemda) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or roles_of(user, pemda)))


def has_permission(user: Any, pemda: Pemda, code: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user, pemda) & get_permission(code).roles)


def unit_scope(user: Any, pemda: Pemda, code: str) -> list[Unit] | None:
    """The units a user is limited to for ``code``, or None when the whole Pemda is visible.

    A user whose only granting role is Kepala OPD sees the units of their memberships and below.
    """
    permission = get_permission(code)
    if user.is_superuser or not permission.unit_scoped:
        return None
    roles = roles_of(user, pemda) & permission.roles
    if roles - {Role.KEPALA_OPD}:
        return None
    return [
        m.unit
        for m in user.memberships.filter(pemda=pemda, role=Role.KEPALA_OPD).select_related("unit")
        if m.unit
    ]
