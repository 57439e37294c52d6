"""The one place where a user's secret is checked after login: password, TOTP code, recovery code.

Login itself goes through Django's ``authenticate`` and django-axes. Every other check of a secret
(re-authentication before signing, the second factor at login, the old password when changing it,
the kiosk at a signing ceremony, the report key's password and recovery code) calls
:func:`secret_check`, which

1. refuses at once, without looking at the secret, while the account is locked out;
2. checks the secret;
3. counts a wrong secret toward the same django-axes lockout as a failed login (one counter per
   account, ``AXES_FAILURE_LIMIT`` failures within ``AXES_COOLOFF_TIME``).

A failure must be recorded even though the caller then refuses its operation, so a check must not
run inside a transaction that the refusal would roll back (the counter would be rolled back with
it): :func:`secret_check` raises ``RuntimeError`` when a secret is wrong inside one. Callers that sign inside a
transaction re-authenticate first and pass the resulting :class:`Reauthentication` on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pakta.core.errors import DomainError, LockedOutError

# A re-authentication is good for one operation started right away, not for later.
REAUTHENTICATION_TTL_SECONDS = 120


def lockout_minutes() -> int:
    return round(float(settings.AXES_COOLOFF_TIME) * 60)


def locked_out_message() -> str:
    return _(
        "Too many wrong attempts: this account is locked for %(minutes)d minutes. "
        "Try again later or reset your password."
    ) % {"minutes": lockout_minutes()}


def _probe(user: Any, request: HttpRequest | None, purpose: str) -> HttpRequest:
    """A request object for django-axes' bookkeeping, never the live one.

    Axes marks the request it is given as locked out and its middleware then replaces the whole
    response with the login lockout page: for a signing form or the API the caller answers
    itself. The client's address and user agent are copied when the request is known.
    """
    probe = HttpRequest()
    probe.method = "POST"
    probe.path = probe.path_info = f"/{purpose}/"
    if request is not None:
        for key in ("REMOTE_ADDR", "HTTP_USER_AGENT"):
            if key in request.META:
                probe.META[key] = request.META[key]
    probe.META.setdefault("HTTP_USER_AGENT", f"pakta:{purpose}")
    return probe


def _credentials(user: Any) -> dict[str, str]:
    return {"username": user.get_username()}


def _inside_transaction() -> bool:
    """True inside an atomic block, except the ones a test case wraps around each test."""
    connection = transaction.get_connection()
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def is_locked_out(user: Any, *, request: HttpRequest | None = None) -> bool:
    return bool(AxesProxyHandler.is_locked(_probe(user, request, "check"), _credentials(user)))


def secret_check(
    *,
    user: Any,
    verify: Callable[[], bool],
    purpose: str,
    request: HttpRequest | None = None,
) -> bool:
    """Check one of ``user``'s secrets with ``verify``; count a failure toward the lockout.

    Returns whether the secret was right. Raises ``LockedOutError`` (a ``DomainError``) while the
    account is locked out, without calling ``verify``.
    """
    probe = _probe(user, request, purpose)
    credentials = _credentials(user)
    if AxesProxyHandler.is_locked(probe, credentials):
        raise LockedOutError(locked_out_message())
    if verify():
        return True
    if _inside_transaction():
        # A programming error: the caller's refusal would roll the count back. (A right secret
        # inside a transaction is harmless: the demo data signs that way.)
        raise RuntimeError("secret_check failed inside a transaction: the count would be lost.")
    user_login_failed.send(sender=__name__, credentials=credentials, request=probe)
    return False


def password_check(*, user: Any, password: str, purpose: str, request: Any = None) -> bool:
    """The user's password, counted toward the lockout (see :func:`secret_check`)."""
    return secret_check(
        user=user,
        verify=lambda: bool(password) and user.check_password(password),
        purpose=purpose,
        request=request,
    )


def totp_check(*, user: Any, token: str, purpose: str, request: Any = None) -> Any:
    """A code of the user's authenticator; returns the matching device or None."""
    from django_otp import match_token

    matched: list[Any] = []

    def verify() -> bool:
        device = match_token(user, token)
        if device is not None:
            matched.append(device)
        return device is not None

    secret_check(user=user, verify=verify, purpose=purpose, request=request)
    return matched[0] if matched else None


@dataclass(frozen=True)
class Reauthentication:
    """Proof that ``user_id`` has just confirmed with a secret; made only by :func:`reauthenticate`."""

    user_id: int
    at: float = field(default_factory=time.monotonic)

    def valid_for(self, user: Any) -> bool:
        return (
            self.user_id == getattr(user, "pk", None)
            and time.monotonic() - self.at < REAUTHENTICATION_TTL_SECONDS
        )


def reauthenticate(
    *, user: Any, credential: str | Reauthentication, request: Any = None
) -> Reauthentication:
    """Explicit consent before signing: the user's password, or a current TOTP code when enrolled.

    Given a :class:`Reauthentication` already made for this user (a moment ago), returns it.
    Raises ``DomainError`` when the credential is wrong, ``LockedOutError`` while locked out.
    """
    from pakta.accounts.selectors import has_confirmed_device

    if isinstance(credential, Reauthentication):
        if not credential.valid_for(user):
            raise DomainError(_("The confirmation is wrong: nothing was signed."))
        return credential
    credential = (credential or "").strip()
    if not credential:
        raise DomainError(_("Enter your password (or your authenticator code) to confirm."))
    if credential.isdigit() and len(credential) == 6 and has_confirmed_device(user):
        ok = totp_check(user=user, token=credential, purpose="reauthenticate", request=request)
    else:
        ok = password_check(
            user=user, password=credential, purpose="reauthenticate", request=request
        )
    if not ok:
        raise DomainError(_("The confirmation is wrong: nothing was signed."))
    return Reauthentication(user_id=user.pk)


def reauthenticate_by_login(
    *, login: str, password: str, purpose: str, request: Any = None
) -> tuple[Any, Reauthentication] | None:
    """Another person confirms on a shared device (the ceremony kiosk) with NIP or username.

    Returns the user and their re-authentication, or None when either is wrong (the same work
    either way, so timing does not tell). Raises ``LockedOutError`` while locked out.
    """
    from pakta.accounts.backends import user_for_login
    from pakta.accounts.models import User

    user = user_for_login(login)
    if user is None or not user.is_active:
        User().set_password(password)
        return None
    if not password_check(user=user, password=password, purpose=purpose, request=request):
        return None
    return user, Reauthentication(user_id=user.pk)


@dataclass(frozen=True)
class SecretHolder:
    """Someone without an account who proves themselves with a one-time secret (an external
    witness's code, a kiosk PIN). ``key`` names them to the lockout counter and contains a colon,
    which no username can, so it never shares a count with an account: ``saksi:12``, ``pin:34``."""

    key: str
    pk: None = None

    def get_username(self) -> str:
        return self.key


def one_time_secret_check(*, key: str, verify: Callable[[], bool], purpose: str) -> bool:
    """A one-time code or PIN of a :class:`SecretHolder`, counted toward the same lockout as
    every other secret (see :func:`secret_check`)."""
    return secret_check(user=SecretHolder(key=key), verify=verify, purpose=purpose)
