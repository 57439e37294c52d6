"""Reads of a user's own notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pakta.core.tenancy import tenant_model
from pakta.notifications.models import Notification


def notification_list_for(*, user: Any) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(user=user)
        .select_related("pemda")
        .order_by("-created_at", "-pk")
    )


def notification_unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def sole_pemda_of(*, user: Any) -> Any | None:
    """The Pemda of a user who is a member of exactly one (else None): pages outside a Pemda's
    address keep that Pemda's menu for them."""
    pemdas = list(tenant_model().objects.filter(memberships__user=user).distinct()[:2])
    return pemdas[0] if len(pemdas) == 1 else None
