"""The one place Pakta sends e-mail from: ``mail_send`` (one connection, a failure logged
without its address and counted). ``notifications`` composes messages (in-app and e-mail) and
calls it; the audit log's checkpoint mail (``audit`` sits below ``notifications``) calls it too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage, get_connection

logger = logging.getLogger(__name__)


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
