"""Handler keys: enrolment, unwrapping at login, re-wrapping, recovery, and the Pemda escrow key.

A handler's X25519 private key is stored wrapped twice: under a key derived from their password
(argon2id) and under a random recovery key shown once. At login the password unwraps it; for
the session it is kept encrypted in the server-side session under a random key that only the
handler's browser holds, in a separate HttpOnly, SameSite=Strict cookie. A dump of the session
table alone therefore reveals nothing, and logging out (which flushes the session) forgets it.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.accounts.credentials import password_check, secret_check
from pakta.accounts.services import escrow_approval_use, report_readers_notify
from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.core.roles import Role
from pakta.reports import crypto
from pakta.reports.models import EscrowKey, HandlerKey, Report, ReportKeyGrant

SESSION_KEY = "pakta_reports_handler_key"
LOCKED_SESSION_KEY = "pakta_reports_handler_key_locked"
COOKIE_NAME = "pakta_hk"
RECOVERY_CONTEXT = b"pakta-recovery"


def _code_of(secret: bytes) -> str:
    text = base64.b32encode(secret).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _secret_of(code: str) -> bytes:
    text = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:
        return b""


def is_handler(user: Any) -> bool:
    return bool(user.is_authenticated and user.memberships.filter(role=Role.INSPEKTORAT).exists())


def handler_key_of(user: Any) -> HandlerKey | None:
    return HandlerKey.objects.filter(user=user).first() if user.is_authenticated else None


def _wrap_with_password(private_key: bytes, password: str) -> dict[str, Any]:
    salt = crypto.new_salt()
    cost = crypto.kdf_cost()
    return {
        "wrapped_private": crypto.encrypt(crypto.derive_key(password, salt, cost), private_key),
        "salt": salt,
        "opslimit": cost.opslimit,
        "memlimit": cost.memlimit,
    }


def _wrap_with_recovery(private_key: bytes) -> tuple[bytes, str]:
    secret = secrets.token_bytes(20)
    key = crypto.key_from_random_secret(secret, context=RECOVERY_CONTEXT)
    return crypto.encrypt(key, private_key), _code_of(secret)


def handler_key_unwrap(*, key: HandlerKey, password: str) -> bytes | None:
    """The private key, or None when ``password`` does not open it (e.g. after a reset)."""
    cost = crypto.KdfCost(key.opslimit, key.memlimit)
    try:
        return crypto.decrypt(
            crypto.derive_key(password, bytes(key.salt), cost), bytes(key.wrapped_private)
        )
    except crypto.DecryptionError:
        return None


def handler_key_enrol(*, user: Any, password: str) -> tuple[HandlerKey, str, bytes]:
    """Create the handler's key pair; returns the key, the recovery code (shown once) and the
    private key (for the current session only).

    Raises ``DomainError`` when the user is no Inspektorat handler, is already enrolled, or the
    password is wrong (checked first, outside the transaction, and counted toward the lockout).
    """
    if not is_handler(user):
        raise DomainError(_("Only Inspektorat handlers can enrol a report key."))
    if not password_check(user=user, password=password, purpose="report-key"):
        raise DomainError(_("The password is wrong."))
    return _handler_key_create(user=user, password=password)


@transaction.atomic
def _handler_key_create(*, user: Any, password: str) -> tuple[HandlerKey, str, bytes]:
    if HandlerKey.objects.select_for_update().filter(user=user).exists():
        raise DomainError(_("You already have a report key."))
    public, private = crypto.new_keypair()
    recovery_wrapped, code = _wrap_with_recovery(private)
    key = HandlerKey.objects.create(
        user=user,
        public_key=public,
        recovery_wrapped_private=recovery_wrapped,
        fingerprint=crypto.fingerprint(public),
        **_wrap_with_password(private, password),
    )
    audit_record(actor=user, action="reports.handler_key.enrolled", obj=key)
    return key, code, private


@transaction.atomic
def handler_key_rewrap(*, user: Any, old_password: str, new_password: str) -> bool:
    """Wrap the private key under the new password (called when the password is changed).

    Returns False when there is no key or the old password does not open it (the key then
    stays as it was and the handler uses the recovery key).
    """
    key = HandlerKey.objects.select_for_update().filter(user=user).first()
    if key is None:
        return False
    private = handler_key_unwrap(key=key, password=old_password)
    if private is None:
        return False
    for name, value in _wrap_with_password(private, new_password).items():
        setattr(key, name, value)
    key.save(update_fields=["wrapped_private", "salt", "opslimit", "memlimit", "updated_at"])
    audit_record(actor=user, action="reports.handler_key.rewrapped", obj=key)
    return True


def handler_key_recover(*, user: Any, recovery_code: str, password: str) -> tuple[str, bytes]:
    """Open the private key with the recovery code and wrap it under the current password.

    A new recovery code replaces the used one; returns it (shown once) and the private key.
    The password and the recovery code are checked before the transaction, each counted toward
    the account's lockout when wrong.
    """
    if handler_key_of(user) is None:
        raise DomainError(_("You have no report key yet: enrol one first."))
    if not password_check(user=user, password=password, purpose="report-key"):
        raise DomainError(_("The password is wrong."))
    opened: list[bytes] = []

    def verify() -> bool:
        key = handler_key_of(user)
        try:
            opened.append(
                crypto.decrypt(
                    crypto.key_from_random_secret(
                        _secret_of(recovery_code), context=RECOVERY_CONTEXT
                    ),
                    bytes(key.recovery_wrapped_private),  # type: ignore[union-attr]
                )
            )
        except crypto.DecryptionError:
            return False
        return True

    if not secret_check(user=user, verify=verify, purpose="report-key-recovery"):
        raise DomainError(_("The recovery key is wrong."))
    return _handler_key_rewrap_recovered(user=user, private=opened[0], password=password)


@transaction.atomic
def _handler_key_rewrap_recovered(*, user: Any, private: bytes, password: str) -> tuple[str, bytes]:
    key = HandlerKey.objects.select_for_update().get(user=user)
    for name, value in _wrap_with_password(private, password).items():
        setattr(key, name, value)
    key.recovery_wrapped_private, code = _wrap_with_recovery(private)
    key.save(
        update_fields=[
            "wrapped_private",
            "salt",
            "opslimit",
            "memlimit",
            "recovery_wrapped_private",
            "updated_at",
        ]
    )
    audit_record(actor=user, action="reports.handler_key.recovered", obj=key)
    return code, private


# --- The unwrapped key in the handler's session -------------------------------------------------


def handler_session_store(
    request: HttpRequest, response: HttpResponseBase, private_key: bytes
) -> None:
    """Keep ``private_key`` for this session: encrypted in the session, its key in a cookie."""
    cookie_key = crypto.new_key()
    request.session[SESSION_KEY] = {
        "user": request.user.pk,
        "sealed": crypto.b64(crypto.encrypt(cookie_key, private_key)),
    }
    request.session.pop(LOCKED_SESSION_KEY, None)
    response.set_cookie(
        COOKIE_NAME,
        crypto.b64(cookie_key),
        max_age=None,  # gone when the browser closes
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def handler_session_unlock(
    *, request: HttpRequest, response: HttpResponseBase, user: Any, password: str
) -> bool:
    """At login: unwrap the handler's private key with the password just typed.

    Does nothing for users without a key. When the password no longer opens the key (it was
    reset), the session is marked so that the handler is asked for the recovery key.
    """
    key = handler_key_of(user)
    if key is None:
        return False
    private = handler_key_unwrap(key=key, password=password)
    if private is None:
        request.session[LOCKED_SESSION_KEY] = True
        return False
    handler_session_store(request, response, private)
    return True


def handler_private_key(request: HttpRequest) -> bytes | None:
    """The handler's private key for this request, or None when the session holds none."""
    stored = request.session.get(SESSION_KEY)
    cookie = request.COOKIES.get(COOKIE_NAME)
    if not stored or not cookie or stored.get("user") != request.user.pk:
        return None
    try:
        return crypto.decrypt(crypto.unb64(cookie), crypto.unb64(stored["sealed"]))
    except (crypto.DecryptionError, ValueError):
        return None


def handler_session_needs_recovery(request: HttpRequest) -> bool:
    return bool(request.session.get(LOCKED_SESSION_KEY))


# --- Escrow ---------------------------------------------------------------------------------


def escrow_active(pemda: Any) -> EscrowKey | None:
    return EscrowKey.objects.filter(pemda=pemda, is_active=True).first()


@transaction.atomic
def escrow_enable(*, pemda: Any, acting_user: Any) -> tuple[EscrowKey, str]:
    """Create the Pemda's escrow key; returns it and its private key as a code, shown once.

    From now on new reports are also sealed to it. Raises ``DomainError`` if one is active.
    """
    if EscrowKey.objects.select_for_update().filter(pemda=pemda, is_active=True).exists():
        raise DomainError(_("An escrow key is already active for this Pemda."))
    # Whoever sees the private half can open every report sealed to it: two people decide
    # (docs/permissions.md). The superadmin holds it alone, as it grants report roles alone.
    approval = (
        None if acting_user.is_superuser else escrow_approval_use(user=acting_user, pemda=pemda)
    )
    public, private = crypto.new_keypair()
    escrow = EscrowKey.objects.create(
        pemda=pemda,
        public_key=public,
        fingerprint=crypto.fingerprint(public),
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="reports.escrow.enabled",
        obj=escrow,
        summary={"role_request_id": approval.pk if approval else None},
    )
    report_readers_notify(
        pemda=pemda,
        message=_("%(by)s turned on an escrow key: new reports are also sealed to it.")
        % {"by": acting_user},
        url=reverse("users:role_request_list", kwargs={"pemda": pemda.slug}),
    )
    return escrow, _code_of(private)


@transaction.atomic
def escrow_disable(*, pemda: Any, acting_user: Any) -> EscrowKey:
    """Stop sealing new reports to the escrow key (reports already sealed to it stay so)."""
    escrow = EscrowKey.objects.select_for_update().filter(pemda=pemda, is_active=True).first()
    if escrow is None:
        raise DomainError(_("No escrow key is active for this Pemda."))
    escrow.is_active = False
    escrow.retired_at = timezone.now()
    escrow.save(update_fields=["is_active", "retired_at", "updated_at"])
    audit_record(actor=acting_user, action="reports.escrow.disabled", obj=escrow)
    return escrow


@transaction.atomic
def escrow_recover(*, pemda: Any, escrow_code: str, to_user: Any, acting_user: Any) -> int:
    """Seal every report the escrow key opens to ``to_user`` (a handler who lost access).

    Reports from which ``to_user`` is excluded are skipped. Returns how many were shared.
    """
    from pakta.reports.services import eligible_handler_keys

    private = _secret_of(escrow_code)
    if len(private) != crypto.KEY_SIZE:
        raise DomainError(_("The escrow key is wrong."))
    public = crypto.public_of(private)
    escrows = [e for e in EscrowKey.objects.filter(pemda=pemda) if bytes(e.public_key) == public]
    if not escrows:
        raise DomainError(_("The escrow key is wrong."))
    count = 0
    grants = ReportKeyGrant.objects.filter(escrow__in=escrows, report__pemda=pemda).select_related(
        "report"
    )
    for grant in grants:
        report: Report = grant.report
        target = eligible_handler_keys(report).filter(user=to_user).first()
        if target is None or report.grants.filter(user=to_user).exists():
            continue
        report_key = crypto.unseal(private, bytes(grant.sealed_key))
        ReportKeyGrant.objects.create(
            report=report,
            user=to_user,
            sealed_key=crypto.seal_to(bytes(target.public_key), report_key),
            reason=ReportKeyGrant.Reason.ESCROW_RECOVERY,
            granted_by=acting_user,
        )
        count += 1
    audit_record(
        actor=acting_user,
        action="reports.escrow.used",
        obj=escrows[0],
        summary={"to_user_id": to_user.pk, "reports": count},
    )
    return count
