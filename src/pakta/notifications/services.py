"""Writing notifications.

A notification is a copy of a message already decided and audited by the service that sends it
(a reminder run records one audit event with counts), so creating one or marking it read records
no audit event of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pakta.core.mail import mail_send
from pakta.notifications.models import Notification

__all__ = ["mail_send"]  # callers may keep asking notifications; it lives in core.mail


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


# --- Sending: the one place that sends (in-app and e-mail) -------------------------------------

Render = Callable[[Any], tuple[str, str]]
# ``group(user, count)``: the subject and body of one notification standing for ``count`` items.
GroupRender = Callable[[Any, int], tuple[str, str]]


def burst_window() -> dt.timedelta:
    """Messages of one kind to one user within this time of the first are one burst."""
    return dt.timedelta(minutes=int(getattr(settings, "PAKTA_NOTIFICATION_BURST_MINUTES", 30)))


def _language(user: Any) -> str:
    return str(getattr(user, "language", "") or settings.LANGUAGE_CODE)


def _link(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def message_send(
    *,
    users: Iterable[Any],
    render: Render,
    url: str = "",
    pemda: Any = None,
    send_email: bool = True,
    kind: str = "",
    group: GroupRender | None = None,
    group_url: str = "",
) -> int:
    """Send one message to each of ``users``: an in-app notification now and, after the
    transaction commits, an e-mail to those with an address.

    ``render(user)`` returns ``(subject, body)``; it is called with the recipient's language
    active (``settings.LANGUAGE_CODE`` until users choose one), so each reads their own language.
    The caller's service records the audit event of the decision that sent the message.

    With ``kind`` and ``group``, messages of that kind to one user are grouped per burst: a user
    named several times in ``users`` gets one notification ``group(user, count)`` linking to
    ``group_url`` (the list) instead of one per item, and a message arriving while an unread
    notification of the kind from the last ``burst_window()`` exists is added to it (its count
    and text updated, no new row). E-mail follows: the first message of a burst is mailed at
    once; what is added later is mailed as one summary when the burst window closes
    (``notification_digests_send``, run by the worker at that time and by the daily run).
    Returns the number of recipients.
    """
    recipients: dict[Any, list[Any]] = {}
    for user in users:
        recipients.setdefault(user.pk, []).append(user)
    grouped = bool(kind and group)
    existing: dict[int, Notification] = {}
    if grouped and recipients:
        since = timezone.now() - burst_window()
        ids = list(recipients)
        for start in range(0, len(ids), 5000):
            for notification in Notification.objects.filter(
                user_id__in=ids[start : start + 5000],
                kind=kind,
                pemda=pemda,
                read_at__isnull=True,
                created_at__gte=since,
            ).order_by("pk"):
                existing[notification.user_id] = notification
    rows: list[Notification] = []
    updated: list[Notification] = []
    outbox: list[tuple[str, str, str]] = []
    digest_due: list[dt.datetime] = []
    for pk, named in recipients.items():
        user, count = named[0], len(named)
        previous = existing.get(pk)
        total = count + (previous.count if previous else 0)
        as_group = grouped and total > 1
        assert group is not None or not as_group

        def texts(
            user: Any = user, total: int = total, as_group: bool = as_group
        ) -> tuple[str, str]:
            return group(user, total) if as_group else render(user)  # type: ignore[misc]

        with translation.override(_language(user)):
            subject, body = (str(part) for part in texts())
        with translation.override("en"):
            subject_en = str(texts()[0])
        link = (group_url or url) if as_group else url
        address = str(getattr(user, "email", None) or "")
        mail_now = send_email and bool(address) and previous is None
        if previous is not None:
            if previous.mailed_count == previous.count and send_email and address:
                digest_due.append(previous.created_at + burst_window())
            previous.count = total
            previous.message, previous.message_en = subject[:500], subject_en[:500]
            previous.url = link[:500]
            if not (send_email and address):
                previous.mailed_count = total
            updated.append(previous)
            continue
        rows.append(
            Notification(
                user=user,
                pemda=pemda,
                message=subject[:500],
                message_en=subject_en[:500],
                url=link[:500],
                kind=kind if grouped else "",
                count=total,
                mailed_count=total,
            )
        )
        if mail_now:
            outbox.append((subject, f"{body}\n\n{_link(link)}".strip(), address))
    Notification.objects.bulk_create(rows)
    if updated:
        Notification.objects.bulk_update(
            updated, ["count", "message", "message_en", "url", "mailed_count"]
        )
    if outbox:
        transaction.on_commit(lambda: _mail_all(outbox))
    if digest_due:
        when = max(digest_due)
        transaction.on_commit(lambda: _schedule_digest(when))
    return len(recipients)


def _schedule_digest(when: dt.datetime) -> None:
    """Have the worker send the burst's summary e-mail when the window closes (a backend that
    cannot defer leaves it to the daily run)."""
    from django_tasks import default_task_backend

    from pakta.notifications.tasks import notification_digests_task

    if default_task_backend.supports_defer:
        notification_digests_task.using(run_after=when).enqueue()


def notification_digests_send(*, now: dt.datetime | None = None) -> int:
    """One e-mail per grouped notification whose burst has closed and that stands for items not
    yet mailed: its current text ("40 pakta menunggu tanda tangan Anda") and the list's link.
    Safe to run any number of times. Returns the number of e-mails sent."""
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            mailed_count__lt=F("count"), created_at__lte=now - burst_window()
        )
        .exclude(kind="")
        .select_related("user")
    )
    outbox: list[tuple[str, str, str]] = []
    for notification in pending:
        address = str(getattr(notification.user, "email", None) or "")
        if address and notification.read_at is None:
            with translation.override(_language(notification.user)):
                body = str(_("Open Pakta to see them all."))
            outbox.append((notification.message, f"{body}\n\n{_link(notification.url)}", address))
        notification.mailed_count = notification.count
    if pending:
        Notification.objects.bulk_update(pending, ["mailed_count"])
    if outbox:
        transaction.on_commit(lambda: _mail_all(outbox))
    return len(outbox)


def _mail_all(outbox: list[tuple[str, str, str]]) -> None:
    mail_send(outbox)


# --- Tasks that have just appeared ("Tugas saya") ---------------------------------------------


def users_of_officials(official_ids: Iterable[int | None]) -> Any:
    """The active accounts linked to these officials (one query), for telling them of a task."""
    User = get_user_model()
    ids = {pk for pk in official_ids if pk}
    if not ids:
        return User.objects.none()
    return User.objects.filter(official_id__in=ids, is_active=True)


def todo_announce(
    *,
    official_ids: Iterable[int | None] = (),
    users: Iterable[Any] = (),
    render: Callable[[Any], tuple[str, str]],
    url: str,
    pemda: Any,
    kind: str = "",
    group: GroupRender | None = None,
    group_url: str = "",
) -> int:
    """A task has just appeared: tell whoever it waits for (in-app now, e-mail after commit),
    each in their own language; with ``kind`` and ``group``, tasks of one kind for one user are
    grouped per burst (see ``message_send``). Returns the number of recipients."""
    official_ids = list(official_ids)
    accounts = {u.official_id: u for u in users_of_officials(official_ids)}
    # One entry per task: an official named for three tasks is named three times.
    recipients = list(users) + [accounts[pk] for pk in official_ids if pk in accounts]
    if not recipients:
        return 0
    return message_send(
        users=recipients,
        render=render,
        url=url,
        pemda=pemda,
        kind=kind,
        group=group,
        group_url=group_url,
    )
