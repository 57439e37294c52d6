"""Signing identities (certificates and encrypted keys), signed documents and their signatures."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import models
from django.db.models import Min, prefetch_related_objects
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from pakta.core.models import BaseModel

# Crockford's base32 without I, L, O, U: short codes people can read out and type.
SHORT_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_token() -> str:
    return secrets.token_urlsafe(18)


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(10))


class CertificateAuthority(models.Model):
    """The deployment's own CA, created on first use; its key is encrypted with the master key."""

    certificate_pem = models.TextField()
    key_encrypted = models.BinaryField()
    crl_number = models.PositiveIntegerField(default=0)
    # The current CRL, made when a certificate is revoked and refreshed by ``refresh_crl``:
    # serving it reads this row and never uses the CA key.
    crl = models.BinaryField(default=b"")
    crl_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate authority")
        verbose_name_plural = _("certificate authorities")

    def __str__(self) -> str:
        return f"CA #{self.pk}"


class SigningIdentity(BaseModel):
    """A certificate and its private key (encrypted at rest): an official's, to sign in person,
    or the organisational e-seal of a Pemda's Inspektorat, to seal what the system issues."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Official (personal signature)")
        ORGANISATION = "organisation", _("Organisation (e-seal)")
        # An outside witness of a ceremony (Kejari, DPRD, KPK): a short-lived certificate
        # naming them and their organisation; no official, no account.
        EXTERNAL = "external", _("External witness (short-lived)")

    class Source(models.TextChoices):
        DEPLOYMENT_CA = "ca", _("Issued by this deployment's CA")
        PKCS12 = "p12", _("Imported PKCS#12 (e.g. BSrE)")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    pemda = models.ForeignKey(
        "org.Pemda",
        on_delete=models.PROTECT,
        related_name="signing_identities",
        verbose_name=_("Pemda"),
    )
    official = models.ForeignKey(
        "org.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_identities",
        verbose_name=_("official"),
        help_text=_("Empty for an organisational e-seal: it is issued to no person."),
    )
    source = models.CharField(_("source"), max_length=3, choices=Source.choices)
    serial = models.CharField(_("serial number"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=400)
    issuer = models.CharField(_("issuer"), max_length=400)
    certificate_pem = models.TextField()
    chain_pem = models.TextField(
        blank=True, help_text=_("Intermediate certificates of an imported identity.")
    )
    key_encrypted = models.BinaryField()
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("signing identity")
        verbose_name_plural = _("signing identities")
        ordering = ["-created_at"]
        constraints = [
            # A person's certificate belongs to an official; a seal belongs to no one.
            models.CheckConstraint(
                condition=(
                    models.Q(kind="person", official__isnull=False)
                    | models.Q(kind__in=["organisation", "external"], official__isnull=True)
                ),
                name="signing_identity_kind_holder",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_seal(self) -> bool:
        return self.kind == self.Kind.ORGANISATION


class SignedDocument(BaseModel):
    """A PDF that people sign one after another; each signature adds an incremental revision."""

    class Kind(models.TextChoices):
        PACT = "pact", _("Pakta Integritas")
        AGREEMENT = "agreement", _("Perjanjian Kinerja")
        LETTER = "letter", _("Official letter")
        RECEIPT = "receipt", _("Receipt")
        REPORT = "report", _("Report")
        BOOKLET = "booklet", _("Booklet")
        RECORD = "record", _("Ceremony record")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting signatures")
        PENDING_TIMESTAMP = "pending_ts", _("Signature pending: timestamp authority unavailable")
        COMPLETED = "completed", _("Completed")

    pemda = models.ForeignKey("org.Pemda", on_delete=models.PROTECT, verbose_name=_("Pemda"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    short_code = models.CharField(
        _("verification code"), max_length=10, unique=True, default=new_short_code, editable=False
    )
    pdf = models.ForeignKey(
        "core.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("current PDF"),
    )
    original_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    is_public = models.BooleanField(_("listed publicly"), default=False)
    # Standing beside the signing status: a document replaced by a revision (a new version of a
    # performance agreement, the pact of a new position) or withdrawn (issued by mistake).
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("superseded by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for the withdrawal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_verification_url(self) -> str:
        return reverse("portal:verify", kwargs={"token": self.token})

    @property
    def standing(self) -> str:
        """``current``, ``superseded`` or ``withdrawn`` (a withdrawal outranks a revision)."""
        if self.withdrawn_at is not None:
            return "withdrawn"
        if self.superseded_at is not None:
            return "superseded"
        return "current"

    @cached_property
    def certificate_revoked_at(self) -> dt.datetime | None:
        """When the first certificate that signed this document was revoked (None: none was).
        Set for a whole list at once by ``signing.selectors.documents_with_state``."""
        return (
            SigningIdentity.objects.filter(signatures__document=self, revoked_at__isnull=False)
            .order_by("revoked_at")
            .values_list("revoked_at", flat=True)
            .first()
        )

    @property
    def state(self) -> str:
        """What a reader must know first: ``withdrawn``, ``superseded``, ``revoked`` (a signer's
        certificate was revoked) or ``current``."""
        if self.standing != "current":
            return self.standing
        return "revoked" if self.certificate_revoked_at is not None else "current"

    @property
    def state_at(self) -> dt.datetime | None:
        """Since when the document is in its state (None while current)."""
        return {
            "withdrawn": self.withdrawn_at,
            "superseded": self.superseded_at,
            "revoked": self.certificate_revoked_at,
        }.get(self.state)

    @property
    def short_code_display(self) -> str:
        return f"{self.short_code[:5]}-{self.short_code[5:]}"


class DocumentVersion(models.Model):
    """Every revision of a signed document's PDF, so that any copy handed out can be recognised."""

    document = models.ForeignKey(SignedDocument, on_delete=models.CASCADE, related_name="versions")
    pdf = models.ForeignKey("core.Document", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64, db_index=True)
    signatures = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signatures"]

    def __str__(self) -> str:
        return self.sha256


class Signature(models.Model):
    """One person's signature on a document, in one role, or the organisation's seal (role
    ``seal``, no official: it is made in no person's name). The database allows each once."""

    class Role(models.TextChoices):
        SIGNER = "signer", _("Signer")
        WITNESS = "witness", _("Witness")
        LEADER = "leader", _("Leader")
        SECOND_PARTY = "second_party", _("Second party")
        SEAL = "seal", _("Institution seal")
        EXTERNAL_WITNESS = "ext_witness", _("External witness")

    document = models.ForeignKey(
        SignedDocument, on_delete=models.CASCADE, related_name="signatures"
    )
    identity = models.ForeignKey(
        SigningIdentity, on_delete=models.PROTECT, related_name="signatures"
    )
    official = models.ForeignKey(
        "org.Official", null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    field_name = models.CharField(max_length=80)
    signer_name = models.CharField(_("name"), max_length=200)
    signer_position = models.CharField(_("position"), max_length=250, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    sha256_after = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "official", "role"], name="signing_one_signature_per_role"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(role="seal"),
                name="signing_one_seal_per_document",
            ),
            models.CheckConstraint(
                condition=models.Q(official__isnull=False)
                | models.Q(role__in=["seal", "ext_witness"]),
                name="signing_signature_official_unless_seal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.role})"


class PendingSignature(models.Model):
    """A consented signature not yet applied: queued for the task worker (which renders the
    document when it has no PDF yet, signs it and notifies), waiting for the timestamp authority
    (retried by the same task), or failed (the signer may try again). Deleted in the transaction
    that records the signature, so a task run twice finds nothing left to do."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Being signed")
        TIMESTAMP = "timestamp", _("Waiting for the timestamp authority")
        FAILED = "failed", _("Signing failed")

    document = models.ForeignKey(SignedDocument, on_delete=models.CASCADE, related_name="pending")
    official = models.ForeignKey("org.Official", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Signature.Role.choices)
    signer_position = models.CharField(max_length=250, blank=True)
    consented_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    consented_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # The date printed on the document (a ceremony's), for the stamp of a late signature.
    dated = models.DateField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "official", "role"], name="signing_one_pending_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"pending {self.role} on {self.document_id}"


def documents_with_state(documents: Iterable[SignedDocument | None]) -> None:
    """Ready a list of documents to show their state (``SignedDocument.state``, its date and
    the current version) in two queries, whatever the length of the list: the revocations of
    their signers' certificates, and the versions that replaced them."""
    found = [d for d in documents if d is not None]
    if not found:
        return
    revoked = dict(
        Signature.objects.filter(
            document__in=[d.pk for d in found], identity__revoked_at__isnull=False
        )
        .values("document_id")
        .annotate(first=Min("identity__revoked_at"))
        .values_list("document_id", "first")
    )
    for document in found:
        document.certificate_revoked_at = revoked.get(document.pk)
    prefetch_related_objects([d for d in found if d.superseded_by_id], "superseded_by")
