"""Integrity reports (whistleblowing): encrypted reports, the keys that open them, the case file.

What is stored in clear, and why (docs/reports.md has the full list): the Pemda, the category
and the stage (for routing, deadlines and statistics), the reported unit and the ids of the
handlers excluded from the report (for recusal), times, and sizes of encrypted blobs. Everything
a reporter typed or attached, and every message and note, is ciphertext under the report's key.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.models import BaseModel, TenantModel

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A random case reference (``K7P2-QX9M``): unlike a serial number it reveals no volume."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


class HandlerKey(BaseModel):
    """A handler's X25519 key pair; the private key is stored only wrapped.

    ``wrapped_private`` opens with a key derived from the handler's password (argon2id with
    ``salt`` and the stored cost); ``recovery_wrapped_private`` with the recovery key shown once
    at enrolment. The server never stores the private key in clear.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="handler_key",
        verbose_name=_("user"),
    )
    public_key = models.BinaryField(_("public key"))
    wrapped_private = models.BinaryField()
    salt = models.BinaryField()
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    recovery_wrapped_private = models.BinaryField()
    fingerprint = models.CharField(_("fingerprint"), max_length=40)

    class Meta:
        verbose_name = _("handler key")
        verbose_name_plural = _("handler keys")

    def __str__(self) -> str:
        return f"{self.user} ({self.fingerprint})"


class EscrowKey(TenantModel):
    """The Pemda's optional escrow key: new reports are also sealed to it while it is active.

    Only the public half is stored; the private half is shown once to the administrator who
    creates it and is kept offline. Off by default; turning it on or off is audited.
    """

    public_key = models.BinaryField(_("public key"))
    fingerprint = models.CharField(_("fingerprint"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("escrow key")
        verbose_name_plural = _("escrow keys")
        constraints = [
            models.UniqueConstraint(
                fields=["pemda"],
                condition=models.Q(is_active=True),
                name="reports_one_active_escrow_per_pemda",
            )
        ]

    def __str__(self) -> str:
        return self.fingerprint


class Report(TenantModel):
    """One report and its case file."""

    class Category(models.TextChoices):
        BRIBERY = "bribery", _("Bribery")
        GRATIFICATION = "gratification", _("Gratification")
        CONFLICT_OF_INTEREST = "conflict", _("Conflict of interest")
        PROCUREMENT = "procurement", _("Procurement")
        POSITION_TRADING = "position_trading", _("Trading in positions")
        ABUSE_OF_AUTHORITY = "abuse", _("Abuse of authority")
        OTHER = "other", _("Other")

    class Stage(models.TextChoices):
        RECEIVED = "received", _("Received")
        VERIFICATION = "verification", _("Verification")
        CLARIFICATION = "clarification", _("Clarification")
        INVESTIGATION = "investigation", _("Investigation (pemeriksaan)")
        SUBSTANTIATED = "substantiated", _("Substantiated")
        NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
        FOLLOW_UP = "follow_up", _("Follow-up")
        CLOSED = "closed", _("Closed")

    class IdentityMode(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous")
        CONFIDENTIAL = "confidential", _("Confidential (identity given, kept secret)")

    reference = models.CharField(
        _("reference"), max_length=9, unique=True, default=new_reference, editable=False
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED
    )
    stage_changed_at = models.DateTimeField(_("stage changed at"))
    due_at = models.DateTimeField(_("deadline of the stage"), null=True, blank=True)
    alerted_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        blank=True,
        choices=[
            (Stage.SUBSTANTIATED.value, Stage.SUBSTANTIATED.label),
            (Stage.NOT_SUBSTANTIATED.value, Stage.NOT_SUBSTANTIATED.label),
        ],
    )
    reported_unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported unit"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handler"),
        db_index=False,  # reports_assignee_stage (assignee, stage) serves look-ups by assignee
    )
    identity_mode = models.CharField(_("identity"), max_length=12, choices=IdentityMode.choices)
    identity_disclosed_at = models.DateTimeField(_("identity disclosed at"), null=True, blank=True)
    # The receipt code: an HMAC under the server pepper to find the row (no scan), an argon2id
    # hash to verify it, and the report key wrapped under a second argon2id derivation of it.
    receipt_index = models.CharField(max_length=64, unique=True, editable=False)
    receipt_hash = models.CharField(max_length=200, editable=False)
    receipt_salt = models.BinaryField(editable=False)
    receipt_opslimit = models.PositiveIntegerField(editable=False)
    receipt_memlimit = models.PositiveBigIntegerField(editable=False)
    receipt_wrapped_key = models.BinaryField(editable=False)
    # Ciphertexts under the report key.
    content = models.BinaryField(editable=False)
    identity = models.BinaryField(null=True, editable=False)
    content_fingerprint = models.CharField(max_length=64, editable=False)
    # Set by handlers.
    official = models.ForeignKey(
        "org.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("official concerned"),
    )
    breached_template = models.ForeignKey(
        "pacts.PactTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pact template version"),
    )
    breached_clause = models.PositiveSmallIntegerField(
        _("pact clause broken"), null=True, blank=True
    )
    receipt_document = models.ForeignKey(
        "signing.SignedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed acknowledgement"),
    )

    class Meta:
        verbose_name = _("integrity report")
        verbose_name_plural = _("integrity reports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["pemda", "stage"], name="reports_pemda_stage"),
            models.Index(fields=["due_at"], name="reports_due"),
            # Each handler's open cases, counted at every intake to pick the least loaded one:
            # the count reads this index only, however many reports there are.
            models.Index(fields=["assignee", "stage"], name="reports_assignee_stage"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.stage != self.Stage.CLOSED


class ReportExclusion(models.Model):
    """A handler who must not see a report: named in it, from the reported unit, or recused.

    Stored in clear (it is needed before anyone can decrypt the report); it reveals only that a
    handler is excluded, never why. See docs/reports.md.
    """

    class Reason(models.TextChoices):
        AUTOMATIC = "automatic", _("Named in the report or from the reported unit")
        RECUSED = "recused", _("Recused")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="exclusions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="reports_exclusion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.user_id}"


class ReportKeyGrant(models.Model):
    """The report key sealed to one handler's public key (or to the Pemda's escrow key)."""

    class Reason(models.TextChoices):
        INTAKE = "intake", _("At intake")
        SHARED = "shared", _("Shared by a handler")
        ESCROW = "escrow", _("Escrow")
        ESCROW_RECOVERY = "escrow_recovery", _("Recovered through the escrow key")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    escrow = models.ForeignKey(EscrowKey, null=True, on_delete=models.CASCADE, related_name="+")
    sealed_key = models.BinaryField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"],
                condition=models.Q(user__isnull=False),
                name="reports_grant_unique_user",
            ),
            models.UniqueConstraint(
                fields=["report", "escrow"],
                condition=models.Q(escrow__isnull=False),
                name="reports_grant_unique_escrow",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(escrow__isnull=False),
                name="reports_grant_has_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.user_id or self.escrow_id}"


class ReportMessage(BaseModel):
    """A message in a case: from the reporter, to the reporter, or a handler-only note."""

    class Kind(models.TextChoices):
        FROM_REPORTER = "from_reporter", _("From the reporter")
        TO_REPORTER = "to_reporter", _("To the reporter")
        NOTE = "note", _("Handler note (hidden from the reporter)")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.BinaryField()

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def visible_to_reporter(self) -> bool:
        return self.kind != self.Kind.NOTE


class ReportAttachment(BaseModel):
    """A file of a case, in the document store only as ciphertext under the report key.

    ``meta`` (encrypted) holds the file name, type and whether metadata were stripped; when
    they were, ``original`` is the untouched file, kept (encrypted) as evidence.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        ReportMessage, null=True, on_delete=models.CASCADE, related_name="attachments"
    )
    handler_only = models.BooleanField(default=False)
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    document = models.ForeignKey("core.Document", on_delete=models.PROTECT, related_name="+")
    original = models.ForeignKey(
        "core.Document", null=True, on_delete=models.PROTECT, related_name="+"
    )
    meta = models.BinaryField()

    class Meta:
        ordering = ["created_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse(
            "reports:attachment", kwargs={"pemda": self.report.pemda.slug, "pk": self.pk}
        )
