"""Reminders to officials whose pact is not signed yet: an e-mail and an in-app notification.

A pact is reminded at most once a day (``Pact.last_reminded_at``), whoever asks and however
often: the button on the event's report page, the report page of a Pemda's year, and the daily
``send_pact_reminders`` command for overdue pacts all go through ``pacts_remind``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.notifications.services import mail_send, notify
from pakta.org.models import Pemda
from pakta.pacts.models import Pact, SigningEvent
from pakta.pacts.rendering import tanggal_id

logger = logging.getLogger(__name__)
# Reminders are written in the language of the documents and of most recipients.
REMINDER_LANGUAGE = "id"


@dataclass
class ReminderRun:
    """What one run did, in counts (the audit event holds the same, ids and counts only)."""

    reminded: int = 0
    emailed: int = 0
    notified: int = 0
    already_today: int = 0
    no_account: int = 0
    email_failed: int = 0
    pact_ids: list[int] = field(default_factory=list)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _pact_url(pact: Pact) -> str:
    """Where the official opens the pact to sign it: their inbox page for this pact."""
    try:
        return reverse("pacts:pact_sign", kwargs={"pemda": pact.pemda.slug, "pk": pact.pk})
    except NoReverseMatch:  # the signing pages are not installed
        return "/"


def _start_of_today() -> dt.datetime:
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


def pending_pacts_for_reminder(
    *,
    event: SigningEvent | None = None,
    pemda: Pemda | None = None,
    year: int | None = None,
    overdue_only: bool = False,
) -> QuerySet[Pact]:
    """Pending pacts in scope that have not been reminded today."""
    qs = Pact.objects.filter(status=Pact.Status.PENDING)
    if event is not None:
        qs = qs.filter(event=event)
    if pemda is not None:
        qs = qs.filter(pemda=pemda)
    if year is not None:
        qs = qs.filter(year=year)
    if overdue_only:
        qs = qs.filter(due_date__lt=timezone.localdate())
    return qs.filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=_start_of_today())
    ).order_by("pemda_id", "pk")


def _message(pact: Pact) -> tuple[str, str, str]:
    """Subject, text body and in-app message for one pact, in the reminder language."""
    overdue = pact.due_date < timezone.localdate()
    context = {
        "pact": pact,
        "official": pact.official,
        "pemda": pact.pemda,
        "event": pact.event,
        "due_text": tanggal_id(pact.due_date),
        "overdue": overdue,
        "url": _absolute(_pact_url(pact)),
    }
    subject = render_to_string("pacts/email/reminder_subject.txt", context).strip()
    body = render_to_string("pacts/email/reminder_body.txt", context)
    return subject, body, subject


def pacts_remind(
    *,
    acting_user: Any,
    event: SigningEvent | None = None,
    pemda: Pemda | None = None,
    year: int | None = None,
    overdue_only: bool = False,
) -> ReminderRun:
    """Remind every official with a pending pact in scope who has an account.

    Scope: one event, or a Pemda (optionally one year), or with ``overdue_only`` across all
    Pemda. A pact already reminded today is skipped; an official without an account is counted,
    not reminded. One audit event per Pemda reached records the counts.
    """
    if event is None and pemda is None and not overdue_only:
        raise DomainError(_("Choose an event or a Pemda to remind."))
    if event is not None:
        pemda = event.pemda
    run = ReminderRun()
    outbox: list[tuple[str, str, str]] = []
    now = timezone.now()
    with transaction.atomic(), translation.override(REMINDER_LANGUAGE):
        pacts = list(
            pending_pacts_for_reminder(
                event=event, pemda=pemda, year=year, overdue_only=overdue_only
            )
            .select_for_update(of=("self",))
            .select_related("official__user", "pemda", "event")
        )
        if event is not None or pemda is not None:
            run.already_today = (
                Pact.objects.filter(
                    status=Pact.Status.PENDING, last_reminded_at__gte=_start_of_today()
                )
                .filter(**({"event": event} if event is not None else {"pemda": pemda}))
                .filter(**({"year": year} if year is not None else {}))
                .count()
            )
        # pemda id -> (pact ids reminded, e-mails queued)
        per_pemda: dict[int | None, tuple[list[int], list[int]]] = {}
        if pemda is not None:
            per_pemda[pemda.pk] = ([], [])
        for pact in pacts:
            user = getattr(pact.official, "user", None)
            if user is None or not user.is_active:
                run.no_account += 1
                continue
            subject, body, message = _message(pact)
            notify(user=user, pemda=pact.pemda, message=message, url=_pact_url(pact))
            run.notified += 1
            reminded, emailed = per_pemda.setdefault(pact.pemda_id, ([], []))
            address = user.email or pact.official.email
            if address:
                outbox.append((subject, body, address))
                emailed.append(pact.pk)
            pact.last_reminded_at = now
            pact.save(update_fields=["last_reminded_at"])
            run.reminded += 1
            run.pact_ids.append(pact.pk)
            reminded.append(pact.pk)
        scope = "event" if event is not None else ("overdue" if overdue_only else "pemda")
        if not per_pemda:  # a run across Pemda that reached nobody is recorded too
            per_pemda[None] = ([], [])
        for pemda_id, (reminded, emailed) in per_pemda.items():
            audit_record(
                actor=acting_user,
                action="pacts.reminders.sent",
                obj=event,
                pemda_id=pemda_id,
                summary={
                    "scope": scope,
                    "event_id": event.pk if event is not None else None,
                    "year": year,
                    "reminded": len(reminded),
                    "emails": len(emailed),
                    "pact_ids": reminded[:1000],
                },
            )
    # Mail goes out after the claim is committed: a slow mail server never holds the locks.
    run.email_failed = len(mail_send(outbox))
    run.emailed = len(outbox) - run.email_failed
    return run
