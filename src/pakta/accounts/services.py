"""Users and role memberships: every write records an audit event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from pakta.accounts.models import Membership, RoleRequest, User
from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.permissions import roles_of
from pakta.core.roles import (
    ESCROW_HOLDER,
    REPORT_READING_ROLES,
    REQUESTABLE_ROLE_CHOICES,
    Role,
)
from pakta.org.models import Official, Pemda, Unit


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    acting_user: Any,
    email: str = "",
    official: Official | None = None,
    is_superuser: bool = False,
    validate: bool = True,
) -> User:
    """Create a user; the password must pass the password rules unless ``validate`` is off (demo data)."""
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The username %(username)s is already taken.") % {"username": username})
    user = User(
        username=username,
        email=email,
        official=official,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=acting_user,
        action="accounts.user.created",
        obj=user,
        summary={"official_id": official.pk if official else None},
    )
    return user


@transaction.atomic
def membership_grant(
    *,
    user: User,
    pemda: Pemda,
    role: Role,
    acting_user: Any,
    unit: Unit | None = None,
    approved_request: RoleRequest | None = None,
) -> Membership:
    """Grant a role in a Pemda. Kepala OPD needs a unit of the same Pemda.

    A role that reads integrity reports is granted only through an approved
    :class:`RoleRequest` (two people), or by the superadmin or the system (set-up, demo data).
    """
    if (
        role in REPORT_READING_ROLES
        and approved_request is None
        and not (acting_user is None or acting_user.is_superuser)
    ):
        raise DomainError(
            _(
                "A role that reads integrity reports is granted by two people: request it, and "
                "the head of the Inspektorat of the Pemda or the superadmin approves it."
            )
        )
    if role == Role.KEPALA_OPD and unit is None:
        raise DomainError(_("A Kepala OPD role must name the unit it heads."))
    if unit is not None and unit.pemda_id != pemda.pk:
        raise DomainError(_("The unit belongs to another Pemda."))
    membership, created = Membership.objects.get_or_create(
        user=user, pemda=pemda, role=role, unit=unit
    )
    if created:
        audit_record(
            actor=acting_user,
            action="accounts.membership.granted",
            obj=membership,
            pemda_id=pemda.pk,
            summary={"user_id": user.pk, "role": role, "unit_id": unit.pk if unit else None},
        )
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, acting_user: Any) -> None:
    """Revoke a role; the last administrator of a Pemda cannot be removed."""
    if (
        membership.role == Role.ADMIN
        and not Membership.objects.filter(pemda_id=membership.pemda_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise DomainError(_("The last administrator of a Pemda cannot be removed."))
    audit_record(
        actor=acting_user,
        action="accounts.membership.revoked",
        obj=membership,
        pemda_id=membership.pemda_id,
        summary={"user_id": membership.user_id, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def login_record(*, user: User) -> None:
    audit_record(actor=user, action="accounts.user.logged_in", obj=user)


@transaction.atomic
def totp_enrol(*, user: User, key: str, token: str) -> TOTPDevice | None:
    """Enrol an authenticator app from the secret shown to the user (``key``, kept in their
    session until now) and a first code; ``None`` (nothing written) when the code is wrong.
    The new device replaces any earlier one."""
    device = TOTPDevice(user=user, name="authenticator", key=key, confirmed=True)
    if not device.verify_token(token):
        transaction.set_rollback(True)  # verify_token saves its throttle state: keep nothing
        return None
    device.save()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit_record(actor=user, action="accounts.totp.enrolled", obj=user)
    return device


@transaction.atomic
def api_token_create(*, user: User) -> Token:
    """A new API token for machine clients; any earlier token of the user stops working."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(actor=user, action="accounts.token.created", obj=user)
    return token


@transaction.atomic
def user_create_with_role(
    *,
    pemda: Pemda,
    username: str,
    email: str,
    role: Role,
    acting_user: Any,
    official: Official | None = None,
    unit: Unit | None = None,
) -> User:
    """Create an account without a password holding one role; its owner is e-mailed an
    invitation link to choose the password (``invitations.py``)."""
    if official is not None and User.objects.filter(official=official).exists():
        raise DomainError(_("This official already has an account."))
    user = user_create(
        username=username, password=None, acting_user=acting_user, email=email, official=official
    )
    membership_grant(user=user, pemda=pemda, role=role, unit=unit, acting_user=acting_user)
    if email:
        from pakta.accounts.invitations import invitation_send

        invitation_send(user=user, acting_user=acting_user)
    return user


@transaction.atomic
def password_changed_record(*, user: User) -> None:
    audit_record(actor=user, action="accounts.password.changed", obj=user)


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """The user changes their own password (the old one already checked by the form): the new
    hash, the audit event and what other apps keep under the password (a report handler's key,
    through ``accounts.hooks``) change together or not at all."""
    from pakta.accounts.hooks import password_changed

    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="accounts.password.changed", obj=user)
    password_changed(user=user, old_password=old_password, new_password=new_password)


def role_approvers(*, pemda: Pemda) -> list[User]:
    """Who decides a request for a report-reading role in ``pemda`` (besides the superadmin):
    the head of the Inspektorat (the Inspektur, ``org.selectors.inspektorat_head_of``), when
    their account holds the Inspektorat role there. An administrator who places their own
    official at the head of the Inspektorat does not become an approver: the role itself is
    granted only by two people."""
    from pakta.org.selectors import inspektorat_head_of

    head = inspektorat_head_of(pemda)
    if head is None:
        return []
    return list(
        User.objects.filter(
            official=head,
            is_active=True,
            memberships__pemda=pemda,
            memberships__role=Role.INSPEKTORAT,
        ).distinct()
    )


def role_request_can_decide(*, user: Any, pemda: Pemda) -> bool:
    if user.is_superuser:
        return True
    if not getattr(user, "official_id", None):  # the head of the Inspektorat is an official
        return False
    if Role.INSPEKTORAT not in roles_of(user, pemda):  # cached for the request
        return False
    return any(a.pk == user.pk for a in role_approvers(pemda=pemda))


def report_readers_of(*, pemda: Pemda) -> list[User]:
    """The Pemda's existing Inspektorat handlers: told of every request, decision and escrow
    key, so that nobody becomes a reader of reports unseen."""
    return list(
        User.objects.filter(memberships__pemda=pemda, memberships__role__in=REPORT_READING_ROLES)
        .filter(is_active=True)
        .distinct()
    )


def report_readers_notify(*, pemda: Pemda, message: str, url: str, also: Any = None) -> None:
    """Tell the handlers (and ``also``, e.g. the person who asked) of a change of who can read
    reports. In-app and e-mail after the commit (``notifications.services.notify``)."""
    from pakta.notifications.services import notify

    told: set[int] = set()
    for reader in [*report_readers_of(pemda=pemda), *([also] if also is not None else [])]:
        if reader.pk in told:
            continue
        told.add(reader.pk)
        notify(user=reader, message=message, url=url, pemda=pemda)


def _role_label(role: str) -> str:
    return str(dict(REQUESTABLE_ROLE_CHOICES).get(role, role))


def _notify_handlers(*, request: RoleRequest, message: str, also: Any = None) -> None:
    url = reverse("users:role_request_list", kwargs={"pemda": request.pemda.slug})
    report_readers_notify(pemda=request.pemda, message=message, url=url, also=also)


@transaction.atomic
def role_request_create(
    *, user: User, pemda: Pemda, role: str, acting_user: Any, unit: Unit | None = None
) -> RoleRequest:
    """Ask for a report-reading role, or for the custody of the escrow key, for ``user``;
    the existing handlers are told. The escrow key is held by an administrator of the Pemda
    (who may ask for themselves: a second person still decides)."""
    if role != ESCROW_HOLDER and role not in REPORT_READING_ROLES:
        raise DomainError(_("This role is granted directly, without a request."))
    if role == ESCROW_HOLDER:
        if not Membership.objects.filter(user=user, pemda=pemda, role=Role.ADMIN).exists():
            raise DomainError(_("The escrow key is held by an administrator of the Pemda."))
        if RoleRequest.objects.filter(
            user=user,
            pemda=pemda,
            role=ESCROW_HOLDER,
            status=RoleRequest.Status.APPROVED,
            used_at__isnull=True,
        ).exists():
            raise DomainError(_("The user may already turn an escrow key on."))
    elif Membership.objects.filter(user=user, pemda=pemda, role=role).exists():
        raise DomainError(_("The user already holds this role."))
    if RoleRequest.objects.filter(
        user=user, pemda=pemda, role=role, status=RoleRequest.Status.PENDING
    ).exists():
        raise DomainError(_("This role has already been requested for the user."))
    request = RoleRequest.objects.create(
        user=user, pemda=pemda, role=role, unit=unit, requested_by=acting_user
    )
    audit_record(
        actor=acting_user,
        action="accounts.role_request.created",
        obj=request,
        pemda_id=pemda.pk,
        summary={"user_id": user.pk, "role": role},
    )
    _notify_handlers(
        request=request,
        message=_("%(by)s asks to grant %(user)s the role %(role)s: approval needed.")
        % {"by": acting_user, "user": user, "role": _role_label(role)},
    )
    return request


@transaction.atomic
def role_request_decide(*, request: RoleRequest, approve: bool, acting_user: Any) -> RoleRequest:
    """Approve or refuse: by the head of the Inspektorat of the Pemda or the superadmin, never
    by the person who asked nor by the person who would receive the role."""
    request = RoleRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RoleRequest.Status.PENDING:
        raise DomainError(_("This request has already been decided."))
    if acting_user.pk in (request.requested_by_id, request.user_id):
        raise PermissionDeniedError(
            _("A request is decided by a second person, not by who asked or who would receive it.")
        )
    if not role_request_can_decide(user=acting_user, pemda=request.pemda):
        raise PermissionDeniedError(
            _(
                "Only the head of the Inspektorat of the Pemda or the superadmin decides this request."
            )
        )
    request.status = RoleRequest.Status.APPROVED if approve else RoleRequest.Status.REFUSED
    request.decided_by = acting_user
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if approve and request.role != ESCROW_HOLDER:
        membership_grant(
            user=request.user,
            pemda=request.pemda,
            role=Role(request.role),
            unit=request.unit,
            acting_user=acting_user,
            approved_request=request,
        )
    audit_record(
        actor=acting_user,
        action="accounts.role_request.approved" if approve else "accounts.role_request.refused",
        obj=request,
        pemda_id=request.pemda_id,
        summary={"user_id": request.user_id, "role": request.role},
    )
    _notify_handlers(
        request=request,
        message=(
            _("%(by)s approved the role %(role)s for %(user)s.")
            if approve
            else _("%(by)s refused the role %(role)s for %(user)s.")
        )
        % {"by": acting_user, "user": request.user, "role": _role_label(request.role)},
        also=request.requested_by,
    )
    return request


def escrow_approval_use(*, user: Any, pemda: Pemda) -> RoleRequest:
    """Use up ``user``'s approved request to hold the escrow key, inside the caller's
    transaction (the escrow key being turned on); ``DomainError`` when there is none."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("escrow_approval_use runs inside the escrow key's transaction")
    approved = (
        RoleRequest.objects.select_for_update()
        .filter(
            user=user,
            pemda=pemda,
            role=ESCROW_HOLDER,
            status=RoleRequest.Status.APPROVED,
            used_at__isnull=True,
        )
        .order_by("decided_at")
        .first()
    )
    if approved is None:
        raise PermissionDeniedError(
            _(
                "The escrow key is held by two people's decision: ask to hold it, and turn it "
                "on once the head of the Inspektorat or the superadmin has approved."
            )
        )
    approved.used_at = timezone.now()
    approved.save(update_fields=["used_at", "updated_at"])
    return approved
