"""Kiosk mode for the ceremony hall, one-time PINs and accounts for an event's participants.

An admin opens kiosk mode on a tablet: the admin's session there ends and the browser keeps only
a kiosk session (the token, hashed in ``Kiosk``) that reaches nothing but ``/kiosk/``
(``KioskLockMiddleware``). Each participant types their NIP and confirms: with their password
or authenticator code when they have an account, or with the one-time PIN the admin issued for
this event's pact when they have none. Every wrong secret counts toward the lockout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.accounts.credentials import one_time_secret_check, reauthenticate
from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, LockedOutError
from pakta.org.models import Official
from pakta.org.selectors import official_get_by_nip
from pakta.pacts.models import Kiosk, KioskPin, Pact, SigningEvent
from pakta.signing.models import Signature

SESSION_KEY = "pakta_kiosk"
# A kiosk session ends by itself after this many hours (a ceremony lasts a day at most).
KIOSK_HOURS = 12
PIN_DIGITS = 6
# Paths a kiosk session may reach: the kiosk itself, static files, the language switch.
KIOSK_PREFIXES = ("/kiosk/", "/static/", "/i18n/", "/jsi18n/", "/favicon")


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _pin_hash(pact_id: int, pin: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"kiosk-pin:{pact_id}:{pin}".encode(), hashlib.sha256
    ).hexdigest()


# --- Opening and closing kiosk mode ----------------------------------------------------------


@transaction.atomic
def kiosk_open(*, event: SigningEvent, acting_user: Any) -> str:
    """Open kiosk mode for an open event; returns the token the kiosk's session keeps."""
    if event.status != SigningEvent.Status.OPEN:
        raise DomainError(_("The signing event is not open: the kiosk cannot take signatures."))
    token = secrets.token_urlsafe(32)
    kiosk = Kiosk.objects.create(event=event, token_hash=_hash(token), opened_by=acting_user)
    audit_record(
        actor=acting_user, action="pacts.kiosk.opened", obj=event, summary={"kiosk_id": kiosk.pk}
    )
    return token


def kiosk_get(token: str | None) -> Kiosk | None:
    """The open kiosk of ``token``, or None (closed, too old, or its event no longer open)."""
    if not token:
        return None
    kiosk = (
        Kiosk.objects.select_related("event__pemda", "event__template")
        .filter(token_hash=_hash(token), closed_at__isnull=True)
        .first()
    )
    if kiosk is None:
        return None
    too_old = timezone.now() - kiosk.opened_at > dt.timedelta(hours=KIOSK_HOURS)
    if too_old or kiosk.event.status != SigningEvent.Status.OPEN:
        return None
    return kiosk


def kiosk_close(*, kiosk: Kiosk, login: str, password: str) -> None:
    """End kiosk mode: an admin of the Pemda confirms with their user name (or NIP) and password
    (counted toward their lockout)."""
    from pakta.accounts.credentials import reauthenticate_by_login
    from pakta.core.permissions import has_permission

    confirmed = reauthenticate_by_login(login=login, password=password, purpose="kiosk-close")
    if confirmed is None or not has_permission(confirmed[0], kiosk.event.pemda, "pacts.manage"):
        raise DomainError(_("Only an admin of this Pemda can end kiosk mode."))
    with transaction.atomic():
        Kiosk.objects.filter(pk=kiosk.pk).update(closed_at=timezone.now())
        audit_record(
            actor=confirmed[0],
            action="pacts.kiosk.closed",
            obj=kiosk.event,
            summary={"kiosk_id": kiosk.pk},
        )


class KioskLockMiddleware:
    """A browser in kiosk mode reaches only the kiosk: every other address leads back to it."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(SESSION_KEY)
            and not request.path.startswith(KIOSK_PREFIXES)
        ):
            return HttpResponseRedirect(reverse("kiosk:home"))
        response: HttpResponse = self.get_response(request)
        return response


# --- One-time PINs ------------------------------------------------------------------------------


@dataclass
class IssuedPin:
    pact: Pact
    pin: str


def participants_without_account(event: SigningEvent) -> list[Pact]:
    """The event's unsigned pacts whose official has no active account."""
    return list(
        Pact.objects.filter(event=event, status=Pact.Status.PENDING)
        .exclude(official__user__is_active=True)
        .select_related("official", "position", "unit")
        .order_by("unit__name", "official__name", "pk")
    )


@transaction.atomic
def kiosk_pins_issue(
    *, event: SigningEvent, acting_user: Any, send_email: bool = False
) -> list[IssuedPin]:
    """A new one-time PIN for each participant without an account (earlier PINs stop working).

    The PINs are returned once, for the printable invitation list; only their hashes are kept.
    With ``send_email`` each official with an e-mail address also receives theirs."""
    if event.status == SigningEvent.Status.CLOSED:
        raise DomainError(_("The event is closed."))
    pacts = participants_without_account(event)
    if not pacts:
        raise DomainError(_("Every participant who has not signed yet has an account."))
    issued: list[IssuedPin] = []
    for pact in pacts:
        pin = "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))
        KioskPin.objects.update_or_create(
            pact=pact,
            defaults={
                "pin_hash": _pin_hash(pact.pk, pin),
                "issued_by": acting_user,
                "issued_at": timezone.now(),
                "used_at": None,
            },
        )
        issued.append(IssuedPin(pact=pact, pin=pin))
    audit_record(
        actor=acting_user,
        action="pacts.kiosk.pins_issued",
        obj=event,
        summary={"pacts": [p.pact.pk for p in issued], "emailed": send_email},
    )
    if send_email:
        outbox = [(p.pact.official.email, p.pin) for p in issued if p.pact.official.email]
        title, date, place = event.title, event.date, event.place
        transaction.on_commit(lambda: _mail_pins(outbox, title, date, place))
    return issued


def _mail_pins(outbox: list[tuple[str, str]], title: str, date: Any, place: str) -> None:
    from django.core.mail import get_connection, send_mass_mail

    from pakta.pacts.rendering import tanggal_id

    messages = [
        (
            f"PIN penandatanganan Pakta Integritas: {title}",
            f"PIN sekali pakai Anda untuk menandatangani Pakta Integritas di kios acara "
            f"{title} ({tanggal_id(date)}, {place}): {pin}\n"
            "Ketik NIP Anda dan PIN ini di kios. PIN hanya berlaku untuk pakta Anda pada acara "
            "ini dan hanya sekali. Jangan berikan PIN ini kepada siapa pun.\n",
            None,
            [address],
        )
        for address, pin in outbox
    ]
    send_mass_mail(messages, connection=get_connection())


# --- Signing at the kiosk -----------------------------------------------------------------------


def _participant(kiosk: Kiosk, nip: str) -> tuple[Official, Pact]:
    event = kiosk.event
    try:
        official = official_get_by_nip(pemda=event.pemda, nip=nip)
    except DomainError:
        raise DomainError(_("The NIP or the confirmation is wrong.")) from None
    pact = Pact.objects.filter(event=event, official=official).select_related("official").first()
    if pact is None:
        raise DomainError(_("You are not among the participants of this event."))
    return official, pact


def kiosk_sign(*, kiosk: Kiosk, nip: str, secret: str) -> Signature | Any:
    """Sign a participant's pact at the kiosk: an account holder with their password or
    authenticator code, anyone else with their PIN for this event's pact."""
    from pakta.pacts.services import pact_sign, pact_sign_confirmed

    official, pact = _participant(kiosk, nip)
    if pact.status != Pact.Status.PENDING:
        if pact.status == Pact.Status.SIGNED:
            raise DomainError(_("You have already signed your pact."))
        raise DomainError(_("This pact is excused and cannot be signed."))
    secret = (secret or "").strip()
    if not secret:
        raise DomainError(_("Enter your password, your authenticator code or your PIN."))
    from pakta.accounts.models import User

    user = User.objects.filter(official=official, is_active=True).first()
    if user is not None:
        try:
            consent = reauthenticate(user=user, credential=secret)
        except LockedOutError:
            raise
        except DomainError:
            raise DomainError(_("The NIP or the confirmation is wrong.")) from None
        return pact_sign(pact=pact, acting_user=user, credential=consent)
    pin = KioskPin.objects.filter(pact=pact, used_at__isnull=True).first()
    ok = one_time_secret_check(
        key=f"pin:{pact.pk}",
        verify=lambda: (
            pin is not None and hmac.compare_digest(pin.pin_hash, _pin_hash(pact.pk, secret))
        ),
        purpose="kiosk-pin",
    )
    if not ok or pin is None:
        raise DomainError(_("The NIP or the confirmation is wrong."))
    with transaction.atomic():
        used = KioskPin.objects.filter(pk=pin.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not used:
            raise DomainError(_("The NIP or the confirmation is wrong."))
        return pact_sign_confirmed(pact=pact)


# --- Accounts for the participants ---------------------------------------------------------------


@dataclass
class Provisioned:
    created: list[Any]
    skipped: int


def event_accounts_provision(*, event: SigningEvent, acting_user: Any) -> Provisioned:
    """An account (role pegawai, no password) for each participant with an e-mail address and no
    account; each is e-mailed an invitation to choose their password (``accounts.invitations``)."""
    from pakta.accounts.models import User
    from pakta.accounts.services import user_create_with_role
    from pakta.core.roles import Role

    pacts = list(
        Pact.objects.filter(event=event)
        .exclude(official__user__isnull=False)
        .select_related("official")
    )
    with_email = [p for p in pacts if p.official.email]
    if not with_email:
        raise DomainError(
            _("No participant without an account has an e-mail address: nothing to send.")
        )
    created = []
    with transaction.atomic():
        for pact in with_email:
            official = pact.official
            username = official.nip
            if User.objects.filter(username__iexact=username).exists():
                continue
            created.append(
                user_create_with_role(
                    pemda=event.pemda,
                    username=username,
                    email=official.email,
                    role=Role.PEGAWAI,
                    acting_user=acting_user,
                    official=official,
                )
            )
    return Provisioned(created=created, skipped=len(pacts) - len(created))
