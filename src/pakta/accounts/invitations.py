"""Invitations: an account created by an administrator has no password until its owner chooses
one through a link e-mailed to them, valid for 72 hours (``PASSWORD_RESET_TIMEOUT``) and once.

The link's token is Django's password-reset token with its own salt, so an invitation link cannot
be used as a reset link or the other way round. It stops working when the password is set (the
token covers the password hash) and after the first login.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from pakta.accounts.models import User
from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.notifications.services import mail_send


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "pakta.accounts.invitations.InvitationTokenGenerator"


invitation_token_generator = InvitationTokenGenerator()


def invitation_link(user: User) -> str:
    path = reverse(
        "accounts:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def invitation_send(*, user: User, acting_user: Any) -> None:
    """E-mail ``user`` a link to choose their password (after the transaction commits).

    Raises ``DomainError`` when the account has no e-mail address or already has a password.
    """
    if not user.email:
        raise DomainError(_("The account has no e-mail address to send the invitation to."))
    if user.has_usable_password():
        raise DomainError(
            _("This account already has a password; its owner can use “Forgot your password?”.")
        )
    context = {
        "user": user,
        "link": invitation_link(user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/invitation_email.txt", context)
    audit_record(actor=acting_user, action="accounts.invitation.sent", obj=user)
    transaction.on_commit(lambda: mail_send([(subject, body, user.email)]))
