"""Signing identities and signatures. Every write records an audit event holding ids only."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from pakta.accounts.credentials import Reauthentication, reauthenticate
from pakta.audit.services import audit_record
from pakta.core.documents import document_read, document_store
from pakta.core.errors import DomainError
from pakta.core.templatetags.pakta import format_waktu
from pakta.core.zone import pemda_zone
from pakta.org.models import Official, Pemda
from pakta.signing import keystore, pdf, pki
from pakta.signing.hooks import hook_for
from pakta.signing.models import (
    CertificateAuthority,
    DocumentVersion,
    PendingSignature,
    Signature,
    SignedDocument,
    SigningIdentity,
)

PDF = "application/pdf"


# --- Certificate authority ----------------------------------------------------------------------


def _ca_context(ca: CertificateAuthority) -> bytes:
    return f"ca:{ca.pk}".encode()


def ca_get_or_create() -> CertificateAuthority:
    """The deployment CA, created on first use with its key sealed under the master key."""
    ca = CertificateAuthority.objects.order_by("pk").first()
    if ca is not None:
        return ca
    with transaction.atomic():
        ca = CertificateAuthority.objects.select_for_update().order_by("pk").first()
        if ca is not None:
            return ca
        pair = pki.create_ca(now=timezone.now())
        ca = CertificateAuthority.objects.create(
            certificate_pem=pki.cert_to_pem(pair.certificate), key_encrypted=b""
        )
        ca.key_encrypted = keystore.seal(pki.key_to_der(pair.key), context=_ca_context(ca))
        # Its first CRL at once: serving the CRL never has to sign one.
        ca.crl_number = 1
        ca.crl = pki.build_crl(ca=pair, revoked=[], number=1, now=timezone.now())
        ca.crl_updated_at = timezone.now()
        ca.save(update_fields=["key_encrypted", "crl_number", "crl", "crl_updated_at"])
        audit_record(actor=None, action="signing.ca.created", obj=ca)
    return ca


def _ca_pair(ca: CertificateAuthority) -> pki.KeyPair:
    key = pki.key_from_der(keystore.unseal(ca.key_encrypted, context=_ca_context(ca)))
    return pki.KeyPair(key=key, certificate=pki.cert_from_pem(ca.certificate_pem))  # type: ignore[arg-type]


def trust_roots() -> list[x509.Certificate]:
    """The roots signatures are checked against: our CA and any configured national roots."""
    roots = [pki.cert_from_pem(ca_get_or_create().certificate_pem)]
    for path in settings.PAKTA_TRUST_ROOTS:
        roots.extend(pki.certs_from_pem(Path(path).read_text()))
    return roots


def crl_refresh() -> bytes:
    """Make and store a new CRL of the deployment CA (the only place that signs one).

    Called when the CA is created, when a certificate is revoked, and by the daily
    ``refresh_crl`` command (the CRL says the next one comes within ``pki.CRL_DAYS``).
    """
    with transaction.atomic():
        ca = CertificateAuthority.objects.select_for_update().get(pk=ca_get_or_create().pk)
        revoked = [
            (int(serial, 16), when)
            for serial, when in SigningIdentity.objects.filter(
                source=SigningIdentity.Source.DEPLOYMENT_CA, revoked_at__isnull=False
            ).values_list("serial", "revoked_at")
            if when is not None
        ]
        ca.crl_number += 1
        ca.crl = pki.build_crl(
            ca=_ca_pair(ca), revoked=revoked, number=ca.crl_number, now=timezone.now()
        )
        ca.crl_updated_at = timezone.now()
        ca.save(update_fields=["crl_number", "crl", "crl_updated_at"])
        return bytes(ca.crl)


def crl_der() -> bytes:
    """The current CRL as stored: one read, never a write or a use of the CA key (anyone may
    ask for it, as often as they like; HTTP caches keep it for minutes). Only a CA that has
    never made one (created before CRLs were stored) gets its first here."""
    stored = CertificateAuthority.objects.order_by("pk").values_list("crl", flat=True).first()
    if not stored:
        return crl_refresh()
    return bytes(stored)


def ca_certificate() -> x509.Certificate:
    """The deployment CA's certificate: the trust anchor an outside verifier installs."""
    return pki.cert_from_pem(ca_get_or_create().certificate_pem)


# --- Identities -------------------------------------------------------------------------------


def _identity_context(serial: str) -> bytes:
    return f"identity:{serial}".encode()


def _save_identity(
    *,
    pemda: Pemda,
    official: Official | None,
    source: str,
    key: Any,
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
) -> SigningIdentity:
    serial = format(certificate.serial_number, "x")
    return SigningIdentity.objects.create(
        kind=SigningIdentity.Kind.PERSON if official else SigningIdentity.Kind.ORGANISATION,
        pemda=pemda,
        official=official,
        source=source,
        serial=serial,
        subject=certificate.subject.rfc4514_string()[:400],
        issuer=certificate.issuer.rfc4514_string()[:400],
        certificate_pem=pki.cert_to_pem(certificate),
        chain_pem="".join(pki.cert_to_pem(c) for c in chain),
        key_encrypted=keystore.seal(pki.key_to_der(key), context=_identity_context(serial)),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
    )


@transaction.atomic
def identity_issue(*, official: Official, acting_user: Any) -> SigningIdentity:
    """Issue a certificate from the deployment CA to an official (name and NIP in the subject)."""
    ca = ca_get_or_create()
    pair = pki.issue_certificate(
        ca=_ca_pair(ca),
        common_name=official.full_name,
        nip=official.nip,
        organisation=official.pemda.name,
        email=official.email,
        now=timezone.now(),
    )
    return _record_ca_issue(
        ca=ca,
        pair=pair,
        pemda=official.pemda,
        official=official,
        acting_user=acting_user,
        action="signing.identity.issued",
        summary={"official_id": official.pk},
    )


def _record_ca_issue(
    *,
    ca: CertificateAuthority,
    pair: pki.KeyPair,
    pemda: Pemda,
    official: Official | None,
    acting_user: Any,
    action: str,
    summary: dict[str, Any],
) -> SigningIdentity:
    """Store a certificate the deployment CA just issued (a person's or a seal) and audit it."""
    identity = _save_identity(
        pemda=pemda,
        official=official,
        source=SigningIdentity.Source.DEPLOYMENT_CA,
        key=pair.key,
        certificate=pair.certificate,
        chain=[pki.cert_from_pem(ca.certificate_pem)],
    )
    audit_record(
        actor=acting_user,
        action=action,
        obj=identity,
        pemda_id=pemda.pk,
        summary={**summary, "serial": identity.serial},
    )
    return identity


@transaction.atomic
def identity_import_pkcs12(
    *, official: Official, data: bytes, password: str, acting_user: Any
) -> SigningIdentity:
    """Import a PKCS#12 file from a national CA (e.g. BSrE); its subject must carry the NIP."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password.encode() or None)
    except ValueError:
        raise DomainError(
            _("The PKCS#12 file cannot be opened: the file or its password is wrong.")
        ) from None
    if key is None or certificate is None:
        raise DomainError(_("The PKCS#12 file must contain a certificate and its private key."))
    if official.nip not in certificate.subject.rfc4514_string() and official.nip not in str(
        certificate.extensions
    ):
        raise DomainError(
            _("The certificate does not carry the NIP %(nip)s of this official.")
            % {"nip": official.nip}
        )
    if certificate.not_valid_after_utc < timezone.now():
        raise DomainError(_("The certificate has expired."))
    if SigningIdentity.objects.filter(serial=format(certificate.serial_number, "x")).exists():
        raise DomainError(_("This certificate has already been imported."))
    identity = _save_identity(
        pemda=official.pemda,
        official=official,
        source=SigningIdentity.Source.PKCS12,
        key=key,
        certificate=certificate,
        chain=list(chain or []),
    )
    audit_record(
        actor=acting_user,
        action="signing.identity.imported",
        obj=identity,
        pemda_id=official.pemda_id,
        summary={"official_id": official.pk, "serial": identity.serial},
    )
    return identity


@transaction.atomic
def identity_revoke(*, identity: SigningIdentity, reason: str, acting_user: Any) -> SigningIdentity:
    if identity.revoked_at is not None:
        raise DomainError(_("This certificate has already been revoked."))
    identity.revoked_at = timezone.now()
    identity.revocation_reason = reason[:200]
    identity.save(update_fields=["revoked_at", "revocation_reason", "updated_at"])
    if identity.source == SigningIdentity.Source.DEPLOYMENT_CA:
        crl_refresh()  # relying parties learn of the revocation at their next fetch
    audit_record(
        actor=acting_user,
        action="signing.identity.revoked",
        obj=identity,
        pemda_id=identity.pemda_id,
        summary={"serial": identity.serial},
    )
    return identity


def identity_active_for(official: Official) -> SigningIdentity | None:
    now = timezone.now()
    return (
        SigningIdentity.objects.filter(
            official=official, revoked_at__isnull=True, not_before__lte=now, not_after__gt=now
        )
        .order_by("-created_at")
        .first()
    )


def _identity_or_issue(official: Official, acting_user: Any) -> SigningIdentity:
    return identity_active_for(official) or identity_issue(
        official=official, acting_user=acting_user
    )


# --- The organisational e-seal ------------------------------------------------------------------

SEAL_UNIT = "Inspektorat"


def seal_name(pemda: Pemda) -> str:
    """The name the seal is made in: the Pemda's Inspektorat, an organisation, not a person."""
    return f"{SEAL_UNIT} {pemda.name}"


def seal_organisation_identifier(pemda: Pemda) -> str:
    """organizationIdentifier in the syntax of ETSI EN 319 412-1 (5.1.4 e): a national scheme
    named by two letters and a colon, the country, a hyphen and the identifier. ``KD`` is the
    Kemendagri region code, which names every Pemda uniquely."""
    return f"KD:ID-{pemda.kemendagri_code}"


def seal_active_for(pemda: Pemda) -> SigningIdentity | None:
    now = timezone.now()
    return (
        SigningIdentity.objects.filter(
            pemda=pemda,
            kind=SigningIdentity.Kind.ORGANISATION,
            revoked_at__isnull=True,
            not_before__lte=now,
            not_after__gt=now,
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def seal_issue(*, pemda: Pemda, acting_user: Any) -> SigningIdentity:
    """Issue the organisational e-seal of the Pemda's Inspektorat from the deployment CA.

    The certificate is issued to the organisation (ETSI EN 319 412-3 legal-person style): its
    subject names the Pemda and its Inspektorat and carries no person's name or NIP.
    """
    ca = ca_get_or_create()
    pair = pki.issue_seal_certificate(
        ca=_ca_pair(ca),
        organisation=pemda.name,
        unit=SEAL_UNIT,
        identifier=seal_organisation_identifier(pemda),
        now=timezone.now(),
    )
    return _record_ca_issue(
        ca=ca,
        pair=pair,
        pemda=pemda,
        official=None,
        acting_user=acting_user,
        action="signing.seal.issued",
        summary={},
    )


def _seal_or_issue(pemda: Pemda, acting_user: Any) -> SigningIdentity:
    """The Pemda's valid seal, issued on first need.

    Only when there is none, the Pemda row is locked (FOR NO KEY UPDATE: rows that refer to the
    Pemda can still be written) and the look-up repeated, so that concurrent first requests end
    with one seal.
    """
    seal = seal_active_for(pemda)
    if seal is not None:
        return seal
    with transaction.atomic():
        Pemda.objects.select_for_update(no_key=True).filter(pk=pemda.pk).first()
        return seal_active_for(pemda) or seal_issue(pemda=pemda, acting_user=acting_user)


# --- Documents and signatures -------------------------------------------------------------------


def report_sign_as_user(
    *,
    pemda: Pemda,
    acting_user: Any,
    credential: str | Reauthentication,
    title: str,
    render: Callable[[Any, Any], bytes],
    on_signed: Callable[[SignedDocument], None],
) -> SignedDocument:
    """Render a report and sign it (PAdES) as the acting user's own official.

    The confirmation comes first, outside the transaction: a wrong one still counts toward the
    lockout and leaves no document. ``render(document, signer)`` returns the PDF;
    ``on_signed(document)`` links it to its record and writes the caller's audit event, in the
    same transaction. The caller checks its own permission before calling.
    """
    from pakta.org.selectors import current_position

    official = getattr(acting_user, "official", None)
    if official is None or official.pemda_id != pemda.pk:
        raise DomainError(
            _("Your account is not linked to an official of this Pemda, so it cannot sign.")
        )
    position = current_position(official)
    consent = reauthenticate(user=acting_user, credential=credential)
    with transaction.atomic():
        document = signed_document_create(
            pemda=pemda,
            kind=SignedDocument.Kind.REPORT,
            title=title,
            render=lambda doc: render(doc, official),
            acting_user=acting_user,
        )
        signature_apply(
            document=document,
            official=official,
            role=Signature.Role.SIGNER,
            acting_user=acting_user,
            credential=consent,
            position=position.title if position else "",
        )
        on_signed(document)
    document.refresh_from_db()
    return document


@transaction.atomic
def signed_document_create(
    *,
    pemda: Pemda,
    kind: str,
    title: str,
    render: Callable[[SignedDocument], bytes],
    acting_user: Any,
    is_public: bool = False,
) -> SignedDocument:
    """Create a document to be signed; ``render`` receives it (for its QR token) and returns the PDF."""
    document = signed_document_reserve(pemda=pemda, kind=kind, title=title, is_public=is_public)
    return signed_document_render(document=document, render=render, acting_user=acting_user)


def signed_document_reserve(
    *, pemda: Pemda, kind: str, title: str, is_public: bool = False
) -> SignedDocument:
    """A document row (its token and short code) without its PDF yet: the signing task renders
    it (``signed_document_render`` with the render hook its kind registered)."""
    return SignedDocument.objects.create(
        pemda=pemda, kind=kind, title=title[:300], is_public=is_public
    )


def signed_document_render(
    *, document: SignedDocument, render: Callable[[SignedDocument], bytes], acting_user: Any
) -> SignedDocument:
    """Give a reserved document its PDF (version 0), once: a document that has one is returned
    as it is. The document row is locked while rendering, so two renders never race."""
    if document.pdf_id:
        return document
    with transaction.atomic():
        locked = _document_locked(document)
        if locked.pdf_id:
            return locked
        content = render(locked)
        stored = document_store(
            content=content, content_type=PDF, original_name=f"{locked.short_code}.pdf"
        )
        locked.pdf = stored
        locked.original_sha256 = stored.sha256
        locked.save(update_fields=["pdf", "original_sha256", "updated_at"])
        DocumentVersion.objects.create(
            document=locked, pdf=stored, sha256=stored.sha256, signatures=0
        )
        audit_record(
            actor=acting_user,
            action="signing.document.created",
            obj=locked,
            pemda_id=locked.pemda_id,
            summary={"kind": locked.kind, "sha256": stored.sha256},
        )
        return locked


def _timestamper() -> Any:
    return pdf.make_timestamper(settings.PAKTA_TSA_URL) if settings.PAKTA_TSA_URL else None


def _field_name(role: str, official: Official | None) -> str:
    # No dots: pyHanko reads a dot as a level of the form field hierarchy.
    return f"{role}-{official.nip}" if official is not None else f"{role}-inspektorat"


# The role as the stamp names it, in the document's language (Indonesian, whatever the reader's).
STAMP_ROLES: dict[str, str] = {
    Signature.Role.SIGNER: "Penanda tangan",
    Signature.Role.WITNESS: "Saksi",
    Signature.Role.LEADER: "Pimpinan",
    Signature.Role.SECOND_PARTY: "Pihak kedua",
    Signature.Role.SEAL: "Segel elektronik instansi",
    Signature.Role.EXTERNAL_WITNESS: "Saksi",
}


def stamp_text(
    *,
    document: SignedDocument,
    name: str,
    role: str,
    when: dt.datetime,
    dated: dt.date | None = None,
) -> str:
    """The visible stamp of a signature: who, in which role, when (in the Pemda's zone), that it
    is electronic, and the short code. A signature made after the date printed on the document
    (``dated``, e.g. the ceremony's) says so, with that date beside its own."""
    zone = pemda_zone(document.pemda)
    with translation.override("id"):
        lines = [
            "Ditandatangani secara elektronik",
            name,
            STAMP_ROLES.get(role, role),
            format_waktu(when, zone.key),
        ]
        if dated is not None and timezone.localtime(when, zone).date() > dated:
            lines.append(f"Terlambat: tanggal dokumen {formats.date_format(dated, 'j F Y')}")
    lines.append(f"Kode verifikasi: {document.short_code_display}")
    return "\n".join(lines)


def _sign_bytes(
    document: SignedDocument,
    official: Official | None,
    role: str,
    identity: SigningIdentity,
    dated: dt.date | None = None,
    field_name: str = "",
    signer_name: str = "",
) -> bytes:
    # PKCS#8 DER as sealed; pyHanko loads (and validates) it when it signs.
    key = keystore.unseal(identity.key_encrypted, context=_identity_context(identity.serial))
    chain = pki.certs_from_pem(identity.chain_pem)
    signer = pdf.make_signer(key, pki.cert_from_pem(identity.certificate_pem), chain)
    return pdf.sign(
        document_read(document.pdf),  # type: ignore[arg-type]
        signer=signer,
        field_name=field_name or _field_name(role, official),
        reason=f"{Signature.Role(role).label}: {document.title}",
        location=document.pemda.seat or document.pemda.name,
        timestamper=_timestamper(),
        long_term=_long_term_info(identity),
        stamp=stamp_text(
            document=document,
            name=official.full_name if official else (signer_name or seal_name(document.pemda)),
            role=role,
            when=timezone.now(),
            dated=dated,
        ),
    )


def _long_term_info(identity: SigningIdentity) -> pdf.LongTermInfo | None:
    """The CA and a fresh CRL for a certificate of our own CA (PAdES B-LT); an imported
    certificate's CA publishes its own revocation data, which we cannot fetch here."""
    if identity.source != SigningIdentity.Source.DEPLOYMENT_CA:
        return None
    ca = CertificateAuthority.objects.order_by("pk").first()
    if ca is None:
        return None
    fresh = ca.crl_updated_at is not None and timezone.now() - ca.crl_updated_at < dt.timedelta(
        days=pki.CRL_DAYS - 1
    )
    crl = bytes(ca.crl) if fresh and ca.crl else crl_refresh()
    return pdf.LongTermInfo(ca=pki.cert_from_pem(ca.certificate_pem), crl=crl)


def _record_signature(
    document: SignedDocument,
    official: Official | None,
    role: str,
    identity: SigningIdentity,
    signed: bytes,
    position: str,
    actor: Any,
    *,
    field_name: str = "",
    signer_name: str = "",
) -> Signature:
    """Store the signed PDF and record the signature (a seal when ``official`` is None, unless
    ``signer_name`` names an external witness)."""
    stored = document_store(
        content=signed, content_type=PDF, original_name=f"{document.short_code}.pdf"
    )
    count = document.signatures.count() + 1
    signature = Signature.objects.create(
        document=document,
        identity=identity,
        official=official,
        role=role,
        field_name=field_name or _field_name(role, official),
        signer_name=signer_name or (official.full_name if official else seal_name(document.pemda)),
        signer_position=position[:250],
        signed_at=timezone.now(),
        sha256_after=stored.sha256,
    )
    DocumentVersion.objects.create(
        document=document, pdf=stored, sha256=stored.sha256, signatures=count
    )
    document.pdf = stored
    if (
        document.status == SignedDocument.Status.PENDING_TIMESTAMP
        and not document.pending.exclude(official=official, role=role).exists()
    ):
        document.status = SignedDocument.Status.OPEN
    document.save(update_fields=["pdf", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="signing.signature.applied",
        obj=signature,
        pemda_id=document.pemda_id,
        summary={
            "document_id": document.pk,
            "official_id": official.pk if official else None,
            "identity_id": identity.pk,
            "role": role,
            "sha256": stored.sha256,
        },
    )
    _document_log(document)
    on_signed = hook_for(document.kind).signed
    if on_signed is not None:
        on_signed(signature, actor)
    return signature


def _document_log(document: SignedDocument) -> None:
    """Enter the document as it now stands (SHA-256, kind, Pemda, signers, time) as a leaf of the
    transparency log, so the set of every document ever signed is itself in the log. Recorded
    without an actor: the leaf is shown on the public verification page."""
    signers = [
        {"name": name, "role": role, "signed_at": signed_at.isoformat()}
        for name, role, signed_at in document.signatures.order_by("signed_at", "pk").values_list(
            "signer_name", "role", "signed_at"
        )
    ]
    audit_record(
        actor=None,
        action="signing.document.logged",
        obj=document,
        pemda_id=document.pemda_id,
        summary={
            "sha256": document.pdf.sha256 if document.pdf else "",
            "kind": document.kind,
            "pemda": document.pemda_id,
            "signers": signers,
            "time": timezone.now().isoformat(),
        },
    )


def signature_apply(
    *,
    document: SignedDocument,
    official: Official,
    role: str,
    acting_user: Any,
    credential: str | Reauthentication,
    position: str = "",
    dated: dt.date | None = None,
) -> Signature | PendingSignature:
    """Sign ``document`` as ``official`` in ``role`` after the signer re-authenticates.

    Idempotent: a second request (another tab, a double click, a retry) returns the existing
    signature without signing again. The document row is locked while signing, so concurrent
    requests queue and find the first one's signature. When a timestamp authority is configured
    and fails, nothing is signed: the consent is kept as a pending signature and retried.
    ``dated`` is the date printed on the document (a ceremony's): a signature made on a later
    day says so in its visible stamp.
    """
    if getattr(acting_user, "official_id", None) != official.pk:
        raise DomainError(_("Only %(name)s can sign as themselves.") % {"name": official.full_name})
    if role not in Signature.Role.values:
        raise DomainError(_("Unknown signing role."))
    reauthenticate(user=acting_user, credential=credential)
    return _signature_apply_consented(
        document=document,
        official=official,
        role=role,
        acting_user=acting_user,
        position=position,
        dated=dated,
    )


def signature_apply_by_one_time_secret(
    *,
    document: SignedDocument,
    official: Official,
    role: str,
    position: str = "",
    dated: dt.date | None = None,
) -> Signature:
    """Sign as ``official``, who has no account and whom the caller has just confirmed with a
    one-time secret counted toward the lockout (the ceremony kiosk's PIN, ``pacts.kiosk``).

    Like :func:`signature_apply`, idempotent; but there is no account to keep a pending
    consent, so a failing timestamp authority refuses (``DomainError``) and signs nothing."""
    if role not in Signature.Role.values:
        raise DomainError(_("Unknown signing role."))
    result = _signature_apply_consented(
        document=document,
        official=official,
        role=role,
        acting_user=None,
        position=position,
        pending_ok=False,
        dated=dated,
    )
    assert isinstance(result, Signature)
    return result


def _document_locked(document: SignedDocument) -> SignedDocument:
    """The document again, its row locked until the transaction ends (concurrent signers queue).
    Only the document row: PostgreSQL refuses FOR UPDATE on an outer join's nullable side, and
    ``pdf`` is nullable."""
    return (
        SignedDocument.objects.select_for_update(of=("self",))
        .select_related("pemda", "pdf")
        .get(pk=document.pk)
    )


def _signature_apply_consented(
    *,
    document: SignedDocument,
    official: Official,
    role: str,
    acting_user: Any,
    position: str,
    pending_ok: bool = True,
    dated: dt.date | None = None,
) -> Signature | PendingSignature:
    with transaction.atomic():
        locked = _document_locked(document)
        existing = Signature.objects.filter(document=locked, official=official, role=role).first()
        if existing is not None:
            return existing
        if locked.status == SignedDocument.Status.COMPLETED:
            raise DomainError(_("This document is already complete."))
        identity = _identity_or_issue(official, acting_user)
        try:
            signed = _sign_bytes(locked, official, role, identity, dated)
        except pdf.TimestampUnavailable as error:
            if not pending_ok:
                raise DomainError(
                    _("The signature cannot be applied right now. Try again later.")
                ) from None
            return _pending(locked, official, role, position, acting_user, str(error), dated)
        try:
            with transaction.atomic():
                return _record_signature(
                    locked, official, role, identity, signed, position, acting_user
                )
        except IntegrityError:
            return Signature.objects.get(document=locked, official=official, role=role)


def _pending(
    document: SignedDocument,
    official: Official,
    role: str,
    position: str,
    user: Any,
    error: str,
    dated: dt.date | None,
) -> PendingSignature:
    pending, created = PendingSignature.objects.get_or_create(
        document=document,
        official=official,
        role=role,
        defaults={
            "state": PendingSignature.State.TIMESTAMP,
            "dated": dated,
            "consented_by": user,
            "consented_at": timezone.now(),
            "signer_position": position[:250],
            "last_error": error[:300],
        },
    )
    document.status = SignedDocument.Status.PENDING_TIMESTAMP
    document.save(update_fields=["status", "updated_at"])
    if created:
        _pending_audit(pending, "signing.signature.pending", user)
    from pakta.signing.tasks import signature_pending_retry_task

    transaction.on_commit(lambda: _enqueue_retry(signature_pending_retry_task, pending.pk))
    return pending


def _enqueue_retry(task: Any, pending_id: int) -> None:
    backend = task.get_backend()
    if getattr(backend, "supports_defer", False):
        task.using(
            run_after=timezone.now() + dt.timedelta(seconds=settings.PAKTA_TSA_RETRY_SECONDS)
        ).enqueue(pending_id)


def signature_request(
    *,
    document: SignedDocument,
    official: Official,
    role: str,
    acting_user: Any,
    credential: str | Reauthentication,
    position: str = "",
    dated: dt.date | None = None,
    at_once: bool = False,
) -> Signature | PendingSignature:
    """Record the consent of ``official`` (the acting user, after re-authenticating) to sign
    ``document`` in ``role``, and have the task worker apply it: the worker renders the document
    when it has no PDF yet (the render hook of its kind), signs it and calls its kind's
    ``signed`` hook. Returns the pending signature (state ``queued``; the page shows "being
    signed" until it is gone), or the signature when one exists already.

    With a task backend that runs tasks in the caller (``ImmediateBackend``: tests,
    ``PAKTA_TASKS_IMMEDIATE``) the signature is applied here, inside this transaction, and
    returned, exactly as :func:`signature_apply` does; so it is with ``at_once`` (the demo data,
    made before any worker runs). Idempotent like it: a second request returns the signature,
    or the consent already waiting."""
    if getattr(acting_user, "official_id", None) != official.pk:
        raise DomainError(_("Only %(name)s can sign as themselves.") % {"name": official.full_name})
    if role not in Signature.Role.values:
        raise DomainError(_("Unknown signing role."))
    reauthenticate(user=acting_user, credential=credential)
    with transaction.atomic():
        locked = _document_locked(document)
        existing = Signature.objects.filter(document=locked, official=official, role=role).first()
        if existing is not None:
            return existing
        if locked.status == SignedDocument.Status.COMPLETED:
            raise DomainError(_("This document is already complete."))
        pending, created = PendingSignature.objects.get_or_create(
            document=locked,
            official=official,
            role=role,
            defaults={
                "state": PendingSignature.State.QUEUED,
                "consented_by": acting_user,
                "consented_at": timezone.now(),
                "signer_position": position[:250],
                "dated": dated,
            },
        )
        if not created and pending.state != PendingSignature.State.FAILED:
            return pending  # already on its way (another tab, a double click)
        return _pending_dispatch(pending, acting_user, again=not created, at_once=at_once)


def signature_pending_requeue(
    *, pending: PendingSignature, acting_user: Any
) -> Signature | PendingSignature:
    """Try a failed signature again, at the request of the one who consented to it (their
    consent stands; they are not asked again)."""
    if pending.consented_by_id != getattr(acting_user, "pk", None):
        raise DomainError(
            _("Only %(name)s can sign as themselves.") % {"name": pending.official.full_name}
        )
    with transaction.atomic():
        _document_locked(pending.document)
        locked = PendingSignature.objects.select_for_update().filter(pk=pending.pk).first()
        if locked is None:
            return Signature.objects.get(
                document_id=pending.document_id, official_id=pending.official_id, role=pending.role
            )
        if locked.state != PendingSignature.State.FAILED:
            return locked
        return _pending_dispatch(locked, acting_user, again=True)


def _pending_audit(pending: PendingSignature, action: str, actor: Any, **extra: Any) -> None:
    """The audit event of a step of a pending signature (requested, waiting for the timestamp
    authority, failed): whose signature, in which role, on which document."""
    audit_record(
        actor=actor,
        action=action,
        obj=pending,
        pemda_id=pending.document.pemda_id,
        summary={
            "document_id": pending.document_id,
            "official_id": pending.official_id,
            "role": pending.role,
            **extra,
        },
    )


def _pending_dispatch(
    pending: PendingSignature, actor: Any, *, again: bool, at_once: bool = False
) -> Signature | PendingSignature:
    """Audit the request and hand the pending signature to the worker (on commit), or apply it
    at once when tasks run in the caller."""
    if again:
        pending.state = PendingSignature.State.QUEUED
        pending.save(update_fields=["state"])
    _pending_audit(pending, "signing.signature.requested", actor, again=again)
    from django_tasks.backends.immediate import ImmediateBackend

    from pakta.signing.tasks import signature_pending_retry_task

    if at_once or isinstance(signature_pending_retry_task.get_backend(), ImmediateBackend):
        signature = signature_pending_retry(pending_id=pending.pk)
        if signature is not None:
            return signature
        pending.refresh_from_db()
        return pending
    pending_id = pending.pk
    transaction.on_commit(lambda: signature_pending_retry_task.enqueue(pending_id))
    return pending


def signature_pending_retry(*, pending_id: int) -> Signature | None:
    """Apply a pending signature (the task's work): render the document if it has no PDF yet,
    sign it, record the signature and delete the pending row, all in one transaction. A run
    that dies midway leaves nothing behind, and a run after a finished one finds no row and
    does nothing; the document row is locked first, so two runs queue. When the timestamp
    authority fails, the consent waits (state ``timestamp``) and the task is scheduled again."""
    document_id = (
        PendingSignature.objects.filter(pk=pending_id).values_list("document_id", flat=True).first()
    )
    if document_id is None:
        return None
    with transaction.atomic():
        document = _document_locked(SignedDocument(pk=document_id))
        pending = (
            PendingSignature.objects.select_for_update(of=("self",))
            .select_related("official", "consented_by")
            .filter(pk=pending_id)
            .first()
        )
        if pending is None:
            return None
        official, role, position, user = (
            pending.official,
            pending.role,
            pending.signer_position,
            pending.consented_by,
        )
        existing = Signature.objects.filter(document=document, official=official, role=role).first()
        if existing is not None:
            pending.delete()
            return existing
        if document.status == SignedDocument.Status.COMPLETED:
            raise DomainError(_("This document is already complete."))
        if document.pdf_id is None:
            render = hook_for(document.kind).render
            if render is None:
                raise DomainError(_("The document has no PDF to sign."))
            document = signed_document_render(document=document, render=render, acting_user=user)
        identity = _identity_or_issue(official, user)
        try:
            signed = _sign_bytes(document, official, role, identity, pending.dated)
        except pdf.TimestampUnavailable as error:
            _pending_waits_for_timestamp(document, pending, str(error))
            return None
        pending.delete()
        return _record_signature(document, official, role, identity, signed, position, user)


def _pending_waits_for_timestamp(
    document: SignedDocument, pending: PendingSignature, error: str
) -> None:
    if pending.state == PendingSignature.State.TIMESTAMP:
        pending.attempts += 1
    else:  # the first try, by the worker: as when the request itself found the TSA down
        pending.state = PendingSignature.State.TIMESTAMP
        document.status = SignedDocument.Status.PENDING_TIMESTAMP
        document.save(update_fields=["status", "updated_at"])
        _pending_audit(pending, "signing.signature.pending", pending.consented_by)
    pending.last_error = error[:300]
    pending.save(update_fields=["state", "attempts", "last_error"])
    from pakta.signing.tasks import signature_pending_retry_task

    pending_id = pending.pk
    transaction.on_commit(lambda: _enqueue_retry(signature_pending_retry_task, pending_id))


def signature_pending_fail(*, pending_id: int, error: str) -> None:
    """The task failed (an error, not a timestamp authority that is down): the signer's page
    shows it, with a button to try again. Nothing of the failed run was kept."""
    with transaction.atomic():
        pending = (
            PendingSignature.objects.select_for_update()
            .select_related("document")
            .filter(pk=pending_id)
            .first()
        )
        if pending is None:
            return
        pending.state = PendingSignature.State.FAILED
        pending.attempts += 1
        pending.last_error = error[:300]
        pending.save(update_fields=["state", "attempts", "last_error"])
        _pending_audit(pending, "signing.signature.failed", None)


def institution_seal_apply(*, document: SignedDocument, acting_user: Any) -> Signature:
    """Seal a system-issued receipt with the organisational e-seal of the Pemda's Inspektorat.

    Unlike ``signature_apply`` nobody signs in person: the seal attests that the system issued
    the document, so no consent is asked and ``acting_user`` may be None (a public route, e.g.
    a whistleblower's acknowledgement). The seal's certificate is issued to the organisation,
    never to a person, so no anonymous request produces a signature in an official's name; it
    is issued by the deployment CA on first need. Only receipts may be sealed this way.
    Idempotent; fails closed (``DomainError``) when a configured timestamp authority fails.
    """
    if document.kind != SignedDocument.Kind.RECEIPT:
        raise DomainError(_("Only receipts can carry the institution seal."))
    role = Signature.Role.SEAL
    with transaction.atomic():
        locked = _document_locked(document)
        existing = Signature.objects.filter(document=locked, role=role).first()
        if existing is not None:
            return existing
        identity = _seal_or_issue(locked.pemda, acting_user)
        try:
            signed = _sign_bytes(locked, None, role, identity)
        except pdf.TimestampUnavailable:
            raise DomainError(_("The seal cannot be applied right now. Try again later.")) from None
        return _record_signature(locked, None, role, identity, signed, "", acting_user)


# --- External witnesses --------------------------------------------------------------------------


@transaction.atomic
def external_identity_issue(
    *, pemda: Pemda, name: str, organisation: str, email: str, acting_user: Any = None
) -> SigningIdentity:
    """A short-lived certificate (``pki.EXTERNAL_DAYS``) for an outside witness, naming them and
    their organisation; the caller has confirmed them by a one-time link and code."""
    ca = ca_get_or_create()
    pair = pki.issue_external_certificate(
        ca=_ca_pair(ca),
        common_name=name,
        organisation=organisation or pemda.name,
        email=email,
        now=timezone.now(),
    )
    identity = _save_identity(
        pemda=pemda,
        official=None,
        source=SigningIdentity.Source.DEPLOYMENT_CA,
        key=pair.key,
        certificate=pair.certificate,
        chain=[pki.cert_from_pem(ca.certificate_pem)],
    )
    identity.kind = SigningIdentity.Kind.EXTERNAL
    identity.save(update_fields=["kind"])
    audit_record(
        actor=acting_user,
        action="signing.identity.external_issued",
        obj=identity,
        pemda_id=pemda.pk,
        summary={"serial": identity.serial},
    )
    return identity


def external_signature_apply(
    *,
    document: SignedDocument,
    identity: SigningIdentity,
    field_key: str,
    signer_name: str,
    position: str,
    acting_user: Any = None,
) -> Signature:
    """Sign ``document`` as an outside witness with their short-lived ``identity``.

    ``field_key`` names the witness (one signature field each): a second request returns the
    signature already made. Fails closed like the seal: when a configured timestamp authority
    fails, ``DomainError`` and nothing is signed.
    """
    if identity.kind != SigningIdentity.Kind.EXTERNAL:
        raise DomainError(_("Unknown signing role."))
    role = Signature.Role.EXTERNAL_WITNESS
    field_name = f"{role}-{field_key}"
    with transaction.atomic():
        locked = _document_locked(document)
        existing = Signature.objects.filter(document=locked, field_name=field_name).first()
        if existing is not None:
            return existing
        if locked.status == SignedDocument.Status.COMPLETED:
            raise DomainError(_("This document is already complete."))
        try:
            signed = _sign_bytes(
                locked, None, role, identity, field_name=field_name, signer_name=signer_name
            )
        except pdf.TimestampUnavailable:
            raise DomainError(
                _("The signature cannot be applied right now. Try again later.")
            ) from None
        return _record_signature(
            locked,
            None,
            role,
            identity,
            signed,
            position,
            acting_user,
            field_name=field_name,
            signer_name=signer_name,
        )


@transaction.atomic
def signed_document_complete(*, document: SignedDocument, acting_user: Any) -> SignedDocument:
    if document.pending.exists():
        raise DomainError(_("A signature is still waiting for the timestamp authority."))
    document.status = SignedDocument.Status.COMPLETED
    document.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=acting_user,
        action="signing.document.completed",
        obj=document,
        pemda_id=document.pemda_id,
    )
    return document


@transaction.atomic
def signed_document_supersede(
    *, document: SignedDocument, by: SignedDocument, acting_user: Any
) -> SignedDocument:
    """Mark ``document`` as replaced by ``by`` (its revision); idempotent."""
    locked = SignedDocument.objects.select_for_update().get(pk=document.pk)
    if locked.superseded_at is not None or locked.pk == by.pk:
        return locked
    locked.superseded_by, locked.superseded_at = by, timezone.now()
    locked.save(update_fields=["superseded_by", "superseded_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action="signing.document.superseded",
        obj=locked,
        pemda_id=locked.pemda_id,
        summary={"superseded_by": by.pk},
    )
    return locked


@transaction.atomic
def signed_document_withdraw(
    *, document: SignedDocument, reason: str, acting_user: Any
) -> SignedDocument:
    """Withdraw a document issued by mistake: it stays on record, and every check says so."""
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise DomainError(_("Give the reason for the withdrawal."))
    locked = SignedDocument.objects.select_for_update().get(pk=document.pk)
    if locked.withdrawn_at is not None:
        raise DomainError(_("This document has already been withdrawn."))
    locked.withdrawn_at, locked.withdrawal_reason = timezone.now(), reason
    locked.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
    audit_record(
        actor=acting_user,
        action="signing.document.withdrawn",
        obj=locked,
        pemda_id=locked.pemda_id,
        summary={"reason": reason},
    )
    return locked


def document_pdf_for_reader(document: SignedDocument) -> bytes:
    """The PDF to hand to a reader: as stored once signed; with the "DRAF" mark over every
    page while nobody has signed it (``pakta.signing.draft``)."""
    content = document_read(document.pdf)  # type: ignore[arg-type]
    if document.signatures.exists():
        return content
    from pakta.signing.draft import with_draft_mark

    return with_draft_mark(content)


# --- Verification -----------------------------------------------------------------------------


@dataclass
class Verification:
    sha256: str
    document: SignedDocument | None
    version: DocumentVersion | None
    checks: list[pdf.SignatureCheck]
    readable: bool = True

    @property
    def authentic(self) -> bool:
        """The file is a version we issued and every signature in it is valid."""
        return (
            self.version is not None
            and bool(self.checks)
            and all(c.status == "valid" for c in self.checks)
        )


def revoked_serials() -> set[int]:
    return {
        int(s, 16)
        for s in SigningIdentity.objects.filter(revoked_at__isnull=False).values_list(
            "serial", flat=True
        )
    }


def document_verify(*, content: bytes) -> Verification:
    """Check an uploaded PDF: is it a version we issued, and are its signatures valid?"""
    digest = hashlib.sha256(content).hexdigest()
    version = (
        DocumentVersion.objects.select_related("document__pemda").filter(sha256=digest).first()
    )
    try:
        checks = pdf.validate(content, trust_roots=trust_roots(), revoked_serials=revoked_serials())
    except ValueError:
        return Verification(digest, None, None, [], readable=False)
    return Verification(digest, version.document if version else None, version, checks)


def document_checks(document: SignedDocument) -> list[pdf.SignatureCheck]:
    """Validate the current PDF of a document (for its public verification page)."""
    if document.pdf is None:
        return []
    return pdf.validate(
        document_read(document.pdf), trust_roots=trust_roots(), revoked_serials=revoked_serials()
    )
