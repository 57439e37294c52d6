"""Writing notifications.

A notification is a copy of a message already decided and audited by the service that sends it
(a reminder run records one audit event with counts), so creating one or marking it read records
no audit event of its own.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from pakta.notifications.models import Notification


def notify(*, user: Any, message: str, url: str = "", pemda: Any = None) -> Notification:
    """Put a message in ``user``'s in-app inbox."""
    return Notification.objects.create(
        user=user, pemda=pemda, message=str(message)[:500], url=url[:500]
    )


def notification_mark_read(*, user: Any, pk: int) -> Notification | None:
    """Mark one of the user's own notifications read; another user's is not found (None)."""
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
