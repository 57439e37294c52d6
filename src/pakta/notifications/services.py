"""Writing notifications.

A notification is a copy of a message already decided and audited by the service that sends it
(a reminder run records one audit event with counts), so creating one or marking it read records
no audit event of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation

from pakta.notifications.models import Notification

logger = logging.getLogger(__name__)


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


def message_send(
    *,
    users: Iterable[Any],
    render: Render,
    url: str = "",
    pemda: Any = None,
    send_email: bool = True,
) -> int:
    """Send one message to each of ``users``: an in-app notification now and, after the
    transaction commits, an e-mail to those with an address.

    ``render(user)`` returns ``(subject, body)``; it is called with the recipient's language
    active (``settings.LANGUAGE_CODE`` until users choose one), so each reads their own language.
    The caller's service records the audit event of the decision that sent the message.
    Returns the number of recipients.
    """
    rows: list[Notification] = []
    outbox: list[tuple[str, str, str]] = []
    for user in users:
        with translation.override(str(getattr(user, "language", "") or settings.LANGUAGE_CODE)):
            subject, body = render(user)
            subject, body = str(subject), str(body)
        with translation.override("en"):
            subject_en = str(render(user)[0])
        rows.append(
            Notification(
                user=user,
                pemda=pemda,
                message=subject[:500],
                message_en=subject_en[:500],
                url=url[:500],
            )
        )
        address = str(getattr(user, "email", None) or "")
        if send_email and address:
            link = f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url
            outbox.append((subject, f"{body}\n\n{link}".strip(), address))
    Notification.objects.bulk_create(rows)
    if outbox:
        transaction.on_commit(lambda: _mail_all(outbox))
    return len(rows)


def _mail_all(outbox: list[tuple[str, str, str]]) -> None:
    mail_send(outbox)


def mail_send(outbox: Sequence[tuple[str, str, str]]) -> list[int]:
    """Send each ``(subject, body, address)`` over one connection, the one place Pakta sends
    e-mail from. Call it after the transaction commits (a slow mail server never holds locks).
    A refused message is logged (without its address) and never stops the others; returns the
    positions of those that failed, so a caller can count them or undo what they carried."""
    failed: list[int] = []
    if not outbox:
        return failed
    connection = get_connection()
    try:
        connection.open()  # one connection for all (each send would otherwise open its own)
    except Exception as error:
        logger.warning("No mail server: %d e-mails not sent (%s)", len(outbox), type(error))
        return list(range(len(outbox)))
    try:
        for index, (subject, body, to) in enumerate(outbox):
            try:
                EmailMessage(subject, body, to=[to], connection=connection).send()
            except Exception as error:  # one bad address or a server hiccup must not stop others
                # Neither the address nor the body is logged (a survey token, a reporter's case).
                logger.warning("E-mail %d of %d failed: %s", index + 1, len(outbox), type(error))
                failed.append(index)
    finally:
        connection.close()
    return failed


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
) -> int:
    """A task has just appeared: tell whoever it waits for (in-app now, e-mail after commit),
    each in their own language. Returns the number of recipients."""
    recipients = list(users) + list(users_of_officials(official_ids))
    if not recipients:
        return 0
    return message_send(users=recipients, render=render, url=url, pemda=pemda)
