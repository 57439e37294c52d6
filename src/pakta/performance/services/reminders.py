"""Reminders of agreements and realizations that are due."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.org.models import Pemda
from pakta.performance.models import (
    PerformanceAgreement,
)
from pakta.performance.services.base import Status

# --- Reminders ------------------------------------------------------------------------------------


def agreements_remind(*, acting_user: Any = None, pemda: Pemda | None = None) -> int:
    """Remind the first party of every overdue agreement in the app (once a day at most).

    One audit event per Pemda with the count; the reminders are in-app notifications in the
    language of the documents. Returns how many officials were reminded.
    """
    from django.utils import translation

    from pakta.notifications.services import notify

    today = timezone.localdate()
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    qs = (
        PerformanceAgreement.objects.filter(is_current=True, due_date__lt=today)
        .exclude(status__in=[Status.SIGNED, Status.SUPERSEDED])
        .exclude(last_reminded_at__gte=start_of_day)
        .select_related("pemda", "official__user")
    )
    if pemda is not None:
        qs = qs.filter(pemda=pemda)
    total = 0
    # One transaction per Pemda: its reminders, the marks and its audit event commit together.
    for pemda_id, rows in groupby(qs.order_by("pemda_id", "pk"), key=lambda a: a.pemda_id):
        agreements = list(rows)
        with transaction.atomic():
            for agreement in agreements:
                user = getattr(agreement.official, "user", None)
                if user is None:
                    continue
                with translation.override("id"):
                    message = _(
                        "Your Perjanjian Kinerja %(year)s was due on %(date)s and is not signed "
                        "yet."
                    ) % {"year": agreement.year, "date": agreement.due_date.isoformat()}  # type: ignore[union-attr]
                notify(
                    user=user,
                    message=message,
                    url=agreement.get_absolute_url(),
                    pemda=agreement.pemda,
                )
            PerformanceAgreement.objects.filter(pk__in=[a.pk for a in agreements]).update(
                last_reminded_at=timezone.now()
            )
            audit_record(
                actor=acting_user,
                action="performance.reminders.sent",
                pemda_id=pemda_id,
                summary={"agreements": len(agreements)},
            )
        total += len(agreements)
    return total
