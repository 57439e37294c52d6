"""The ceremony record (Berita Acara Penandatanganan) of a signing event, and its witnesses.

Closing an event makes the record: date, place, leader, who signed, who was excused and why, who
was absent, and the witnesses. It is a signed document like a pact (``signing``): the leader and
every internal witness sign it from "Tugas saya" after re-authenticating; an external witness
(Kejari, DPRD, a KPK coordinator) has no account and signs through a one-time link e-mailed to
them, confirmed by a one-time code sent on request, with a short-lived certificate the
deployment CA issues naming them and their organisation. A wrong code counts toward the same
lockout as every other secret (``accounts.credentials``).
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
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from pakta.accounts.credentials import Reauthentication, one_time_secret_check, reauthenticate
from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.core.templatetags.pakta import waktu
from pakta.notifications.services import mail_send
from pakta.org.models import Official
from pakta.org.selectors import current_position
from pakta.pacts.models import EventWitness, Pact, SigningEvent, WitnessLink
from pakta.pacts.rendering import (
    logo_data_uri,
    qr_svg_data_uri,
    render_pdf,
    tanggal_id,
    verification_url,
)
from pakta.signing import services as signing
from pakta.signing.models import Signature, SignedDocument

# An external witness's link is valid this many days; the code sent on it, this many minutes.
LINK_DAYS = 7
CODE_MINUTES = 15


# --- Who signs the record -----------------------------------------------------------------------


@dataclass
class RecordSigner:
    """One signature the record expects: the leader, an internal or an external witness."""

    name: str
    title: str
    role: str  # Signature.Role value
    official: Official | None = None
    witness: EventWitness | None = None
    signature: Signature | None = None

    @property
    def field_key(self) -> str:
        return f"w{self.witness.pk}" if self.witness is not None else ""

    @property
    def field_name(self) -> str:
        """The signature field in the record's PDF (its block is ``sigfield-<field name>``)."""
        if self.role == Signature.Role.EXTERNAL_WITNESS:
            return f"{self.role}-{self.field_key}"
        return f"{self.role}-{self.official.nip}" if self.official else self.role


def record_signers(event: SigningEvent) -> list[RecordSigner]:
    """The leader, then every witness (internal first), each with their signature if made."""
    signatures = list(event.record.signatures.all()) if event.record_id and event.record else []
    signers: list[RecordSigner] = []
    if event.leader is not None:
        signers.append(
            RecordSigner(
                name=event.leader.full_name,
                title=event.leader_title or _position_title(event.leader),
                role=Signature.Role.LEADER,
                official=event.leader,
            )
        )
    for witness in event.witnesses.select_related("official").order_by("is_external", "pk"):
        if witness.official_id and witness.official_id == event.leader_id:
            continue  # the leader signs once, as leader
        if witness.is_external:
            signers.append(
                RecordSigner(
                    name=witness.name,
                    title=witness.organisation,
                    role=Signature.Role.EXTERNAL_WITNESS,
                    witness=witness,
                )
            )
        else:
            signers.append(
                RecordSigner(
                    name=witness.name,
                    title=witness.organisation or _position_title(witness.official),
                    role=Signature.Role.WITNESS,
                    official=witness.official,
                    witness=witness,
                )
            )
    for signer in signers:
        for signature in signatures:
            if signer.role == Signature.Role.EXTERNAL_WITNESS:
                if signature.field_name == f"{signer.role}-{signer.field_key}":
                    signer.signature = signature
            elif signature.role == signer.role and signature.official_id == (
                signer.official.pk if signer.official else None
            ):
                signer.signature = signature
    return signers


def _position_title(official: Official | None) -> str:
    position = current_position(official) if official is not None else None
    return position.title if position else ""


# --- Making the record --------------------------------------------------------------------------


def _render_record(event: SigningEvent, document: SignedDocument) -> bytes:
    pacts = list(
        Pact.objects.filter(event=event)
        .select_related("official", "position", "unit")
        .order_by("unit__name", "official__name", "pk")
    )
    url = verification_url(document.token)
    with translation.override("id"):  # the document's language, whatever the reader's
        return _render_record_pdf(event, document, pacts, url)


def _render_record_pdf(
    event: SigningEvent, document: SignedDocument, pacts: list[Pact], url: str
) -> bytes:
    pemda = event.pemda
    day = formats.date_format(event.date, "l")
    return render_pdf(
        "pacts/documents/ceremony_record.html",
        {
            "title": document.title,
            "event": event,
            "pemda": pemda,
            "logo": logo_data_uri(pemda),
            "day": day,
            "date_text": tanggal_id(event.date),
            "signed": [
                (p, waktu(p.signed_at, pemda)) for p in pacts if p.status == Pact.Status.SIGNED
            ],
            "excused": [p for p in pacts if p.status == Pact.Status.EXCUSED],
            "absent": [p for p in pacts if p.status == Pact.Status.PENDING],
            "witnesses": list(event.witnesses.order_by("is_external", "pk")),
            "signers": record_signers(event),
            "closed_text": waktu(timezone.now(), pemda),
            "qr": qr_svg_data_uri(url),
            "verify_url": url,
            "short_code": document.short_code_display,
        },
    )


def record_create(*, event: SigningEvent, acting_user: Any) -> SignedDocument:
    """Make the ceremony record of a closed event (once), tell the leader and the internal
    witnesses it waits for them, and e-mail each external witness with an address their link."""
    if event.record_id:
        return event.record  # type: ignore[return-value]
    with transaction.atomic():
        locked = SigningEvent.objects.select_for_update().select_related("pemda").get(pk=event.pk)
        if locked.record_id:
            return locked.record  # type: ignore[return-value]
        document = signing.signed_document_create(
            pemda=locked.pemda,
            kind=SignedDocument.Kind.RECORD,
            title=f"Berita Acara Penandatanganan — {locked.title}",
            acting_user=acting_user,
            render=lambda doc: _render_record(locked, doc),
        )
        locked.record = document
        locked.save(update_fields=["record", "updated_at"])
        event.record = document
        audit_record(
            actor=acting_user,
            action="pacts.record.created",
            obj=locked,
            summary={"document_id": document.pk},
        )
        from pakta.pacts.todo import announce_record_to_sign

        announce_record_to_sign(locked)
        for witness in locked.witnesses.filter(is_external=True).exclude(email=""):
            _link_send(witness, locked, acting_user)
        return document


# --- Internal signers ---------------------------------------------------------------------------


def _signer_for(event: SigningEvent, user: Any) -> RecordSigner | None:
    official_id = getattr(user, "official_id", None)
    if not official_id:
        return None
    for signer in record_signers(event):
        if signer.official is not None and signer.official.pk == official_id:
            return signer
    return None


def record_part_of(*, event: SigningEvent, user: Any) -> RecordSigner | None:
    """The signature the record expects of ``user`` (as leader or internal witness), if any."""
    return _signer_for(event, user) if event.record_id else None


def record_sign(
    *, event: SigningEvent, acting_user: Any, credential: str | Reauthentication
) -> Signature:
    """The leader or an internal witness signs the record after re-authenticating."""
    if not event.record_id or event.record is None:
        raise DomainError(_("The ceremony record is made when the event is closed."))
    signer = _signer_for(event, acting_user)
    if signer is None or signer.official is None:
        raise DomainError(_("Only the leader and the witnesses of the event sign its record."))
    consent = reauthenticate(user=acting_user, credential=credential)
    result = signing.signature_apply(
        document=event.record,
        official=signer.official,
        role=signer.role,
        acting_user=acting_user,
        credential=consent,
        position=signer.title,
    )
    if not isinstance(result, Signature):
        raise DomainError(
            _("The signature cannot be applied right now: the timestamp authority is unavailable.")
        )
    _complete_if_signed(event, acting_user)
    return result


def _complete_if_signed(event: SigningEvent, acting_user: Any) -> None:
    document = SignedDocument.objects.filter(pk=event.record_id or 0).first()
    if (
        document is None
        or document.status == SignedDocument.Status.COMPLETED
        or document.pending.exists()
    ):
        return
    event.record = document
    if all(s.signature is not None for s in record_signers(event)):
        signing.signed_document_complete(document=document, acting_user=acting_user)


# --- External witnesses -------------------------------------------------------------------------


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _code_hash(link: WitnessLink, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{link.token_hash}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def witness_link_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("witness:sign", kwargs={"token": token})


def _link_send(witness: EventWitness, event: SigningEvent, acting_user: Any) -> str:
    token = secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(days=LINK_DAYS)
    link = WitnessLink.objects.create(witness=witness, token_hash=_hash(token), expires_at=expires)
    url = witness_link_url(token)
    subject = f"Permohonan tanda tangan saksi: Berita Acara — {event.title}"
    body = (
        f"Yth. {witness.name},\n\n"
        f"Anda tercatat sebagai saksi pada {event.title} ({tanggal_id(event.date)}, "
        f"{event.place}). Silakan baca dan tandatangani Berita Acara Penandatanganan "
        f"melalui tautan berikut. Tautan hanya dapat digunakan sekali dan berlaku sampai "
        f"{waktu(expires, event.pemda)}.\n\n{url}\n\n"
        "Untuk menandatangani, Anda akan menerima kode sekali pakai di alamat e-mail ini.\n"
    )
    address = witness.email
    audit_record(
        actor=acting_user,
        action="pacts.record.link_sent",
        obj=event,
        summary={"witness_id": witness.pk, "link_id": link.pk},
    )
    transaction.on_commit(lambda: mail_send([(subject, body, address)]))
    return token


@transaction.atomic
def witness_link_send(*, witness: EventWitness, acting_user: Any, email: str = "") -> str:
    """(Re)send an external witness their one-time link, at ``email`` if given (it is kept).

    Earlier links of the witness stop working. Returns the link's token (for the caller's tests;
    the page shows only that it was sent)."""
    event = SigningEvent.objects.select_related("pemda").get(pk=witness.event_id)
    if not witness.is_external:
        raise DomainError(_("An internal witness signs the record in their own inbox."))
    if not event.record_id:
        raise DomainError(_("The ceremony record is made when the event is closed."))
    email = (email or "").strip()
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except Exception:
            raise DomainError(
                _("Enter a valid e-mail address, such as nama@kejari.go.id.")
            ) from None
    if not email and not witness.email:
        raise DomainError(_("Give the witness's e-mail address to send the link to."))
    event.record = SignedDocument.objects.get(pk=event.record_id)
    if any(
        s.witness is not None and s.witness.pk == witness.pk and s.signature is not None
        for s in record_signers(event)
    ):
        raise DomainError(_("This witness has already signed the record."))
    if email and email != witness.email:
        witness.email = email
        witness.save(update_fields=["email"])
    WitnessLink.objects.filter(witness=witness, used_at__isnull=True).update(
        expires_at=timezone.now()
    )
    return _link_send(witness, event, acting_user)


def witness_link_get(token: str) -> WitnessLink:
    """The link of ``token``; refused when unknown, used or expired (each says which)."""
    link = (
        WitnessLink.objects.select_related("witness__event__pemda", "witness__event__record")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if link is None:
        raise DomainError(_("This link is not valid. Check that you copied it whole."))
    if link.used_at is not None:
        raise DomainError(_("This link has already been used: your signature is on the record."))
    if link.expires_at <= timezone.now():
        raise DomainError(
            _("This link expired on %(time)s. Ask the organiser of the event for a new one.")
            % {"time": waktu(link.expires_at, link.witness.event.pemda)}
        )
    return link


@transaction.atomic
def witness_code_send(*, token: str) -> WitnessLink:
    """E-mail a one-time code (6 digits, ``CODE_MINUTES`` minutes) to the link's witness."""
    link = witness_link_get(token)
    link = WitnessLink.objects.select_for_update().get(pk=link.pk)
    code = f"{secrets.randbelow(10**6):06d}"
    link.code_hash = _code_hash(link, code)
    link.code_expires_at = timezone.now() + dt.timedelta(minutes=CODE_MINUTES)
    link.save(update_fields=["code_hash", "code_expires_at"])
    witness = link.witness
    event = witness.event
    audit_record(
        actor=None,
        action="pacts.record.code_sent",
        obj=event,
        summary={"witness_id": witness.pk, "link_id": link.pk},
    )
    subject = f"Kode sekali pakai: {code}"
    body = (
        f"Yth. {witness.name},\n\nKode untuk menandatangani Berita Acara {event.title}: {code}\n"
        f"Kode berlaku {CODE_MINUTES} menit dan hanya sekali. Jangan berikan kode ini kepada "
        "siapa pun.\n"
    )
    address = witness.email
    transaction.on_commit(lambda: mail_send([(subject, body, address)]))
    return link


def witness_external_sign(*, token: str, code: str) -> Signature:
    """The external witness confirms with the code; the CA issues their short-lived certificate
    and they sign the record. A wrong code signs nothing and counts toward the lockout."""
    link = witness_link_get(token)
    code = "".join((code or "").split())
    if not code.isdigit() or len(code) != 6:
        raise DomainError(_("Enter the 6-digit code from the e-mail."))
    if not link.code_hash or link.code_expires_at is None:
        raise DomainError(_("Ask for a code first: it is sent to your e-mail address."))
    if link.code_expires_at <= timezone.now():
        raise DomainError(_("The code has expired. Ask for a new one."))
    witness = link.witness
    ok = one_time_secret_check(
        key=f"saksi:{witness.pk}",
        verify=lambda: hmac.compare_digest(link.code_hash, _code_hash(link, code)),
        purpose="witness-code",
    )
    if not ok:
        raise DomainError(_("The code is wrong: nothing was signed."))
    event = witness.event
    with transaction.atomic():
        locked = WitnessLink.objects.select_for_update().get(pk=link.pk)
        if locked.used_at is not None:
            raise DomainError(
                _("This link has already been used: your signature is on the record.")
            )
        if event.record is None:
            raise DomainError(_("The ceremony record is made when the event is closed."))
        identity = signing.external_identity_issue(
            pemda=event.pemda,
            name=witness.name,
            organisation=witness.organisation,
            email=witness.email,
        )
        signature = signing.external_signature_apply(
            document=event.record,
            identity=identity,
            field_key=f"w{witness.pk}",
            signer_name=witness.name,
            position=witness.organisation,
        )
        locked.used_at = timezone.now()
        locked.code_hash = ""
        locked.save(update_fields=["used_at", "code_hash"])
        audit_record(
            actor=None,
            action="pacts.record.witness_signed",
            obj=event,
            summary={"witness_id": witness.pk, "signature_id": signature.pk},
        )
        _complete_if_signed(event, None)
    return signature
