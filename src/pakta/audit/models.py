"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One state change. ``hash`` covers this row's fields and the previous row's hash."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept as a plain id so that the chain never depends on another table's rows.
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    pemda = models.ForeignKey(
        "org.Pemda",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("Pemda"),
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    summary = models.JSONField(_("summary of the change"), default=dict)
    # A hash of the audited row's state after the change (``pakta.audit.rows``), empty when the
    # event is about no registered row. ``audit verify --rows`` compares it with the row today.
    row_hash = models.CharField(max_length=64, blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    # The RFC 9162 leaf hash of the event, SHA-256(0x00 || canonical form), in hex: this event is
    # leaf number seq - 1 of the Merkle tree (see pakta.audit.log).
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        # Few indexes on purpose: every state change inserts here (bulk imports insert 100,000
        # rows at once), and the audit page reads one Pemda's events newest first.
        indexes = [
            models.Index(fields=["pemda", "-seq"], name="audit_event_pemda_seq"),
            # The leaves that log signed documents, found by document for the /v/ pages.
            models.Index(
                fields=["object_id", "-seq"],
                condition=models.Q(action="signing.document.logged"),
                name="audit_event_document_leaf",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class ChainHead(models.Model):
    """A single row holding the last sequence number and hash: the lock that orders writers."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # The roots of the perfect subtrees that make up the Merkle tree of ``seq`` leaves, largest
    # first, 32 bytes each: enough to append the next leaf and to know the current root.
    frontier = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"head #{self.seq}"


class MerkleNode(models.Model):
    """The hash of one perfect subtree of the Merkle tree of 16 leaves or more (level >= 4).

    ``id`` is ``index << 6 | level``: the node covers leaves [index * 2**level, (index + 1) *
    2**level). Level-0 hashes are the events' own ``hash``; levels 1 to 3 are recomputed from
    at most 16 of them when a proof needs them (``pakta.audit.log``). Rows are only ever inserted; they
    are a cache that makes every proof a handful of primary-key reads, and ``audit verify``
    recomputes them all from the events.
    """

    id = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField()

    class Meta:
        verbose_name = _("Merkle tree node")

    def __str__(self) -> str:
        return f"node {self.id & 63}/{self.id >> 6}"


class Checkpoint(models.Model):
    """A signed tree head in the C2SP checkpoint format (see pakta.audit.note)."""

    size = models.PositiveBigIntegerField(_("tree size"), unique=True)
    root_hash = models.CharField(_("root hash"), max_length=64)
    created_at = models.DateTimeField(_("signed at"))
    note = models.TextField(_("signed checkpoint"))

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["-size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"
