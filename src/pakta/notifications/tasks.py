"""The summary e-mail of a burst of grouped notifications, sent when its window closes."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task


@task()
def notification_digests_task() -> int:
    from pakta.notifications.services import notification_digests_send

    with transaction.atomic():
        return notification_digests_send()
