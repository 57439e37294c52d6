"""Reads of a user's own notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

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
