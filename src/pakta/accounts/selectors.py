from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pakta.accounts.models import Membership, User
from pakta.org.models import Pemda


def pemda_list_for(*, user: Any) -> QuerySet[Pemda]:
    """The Pemda a user works in: all of them for a superadmin."""
    if user.is_superuser:
        return Pemda.objects.all()
    return Pemda.objects.filter(memberships__user=user).distinct()


def user_list_for(*, pemda: Pemda) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__pemda=pemda)
        .distinct()
        .select_related("official")
        .order_by("username")
    )


def membership_list_for(*, pemda: Pemda) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(pemda=pemda)
        .select_related("user", "unit")
        .order_by("user__username", "role")
    )
