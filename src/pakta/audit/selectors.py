"""Reading and verifying the audit chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pakta.audit.models import AuditEvent, ChainHead
from pakta.audit.services import GENESIS, compute_hash


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def audit_chain_verify(*, chunk_size: int = 5000) -> ChainReport:
    """Recompute the chain; name the first event that was edited, deleted, reordered or added."""
    expected_seq, prev = 1, GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return ChainReport(
                False,
                checked,
                expected_seq,
                _("Event #%(seq)d is missing (deleted or renumbered).") % {"seq": expected_seq},
            )
        if event.prev_hash != prev:
            return ChainReport(
                False,
                checked,
                event.seq,
                _("Event #%(seq)d does not follow the event before it (reordered or inserted).")
                % {"seq": event.seq},
            )
        if compute_hash(event) != event.hash:
            return ChainReport(
                False,
                checked,
                event.seq,
                _("Event #%(seq)d was modified after it was written.") % {"seq": event.seq},
            )
        prev = event.hash
        expected_seq += 1
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq < checked:
        return ChainReport(
            False,
            checked,
            head_seq + 1,
            _("Event #%(seq)d was added without passing through the chain's head.")
            % {"seq": head_seq + 1},
        )
    if head_seq == checked and head_hash != prev:
        # The last event was rewritten with a recomputed hash: only the head still knows it.
        return ChainReport(
            False,
            checked - 1,
            checked,
            _("Event #%(seq)d was modified after it was written.") % {"seq": checked},
        )
    if head_seq != checked:
        return ChainReport(
            False,
            checked,
            checked + 1 if head_seq > checked else checked,
            _(
                "The chain ends at event #%(last)d but its head records #%(head)d: events were removed from the end."
            )
            % {"last": checked, "head": head_seq},
        )
    return ChainReport(True, checked)


def audit_event_list_for(
    *, pemda: Any | None, filters: dict[str, Any] | None = None
) -> QuerySet[AuditEvent]:
    """Events of one Pemda (or all, for a superadmin passing ``pemda=None``), newest first."""
    qs = AuditEvent.objects.all()
    if pemda is not None:
        qs = qs.filter(pemda=pemda)
    filters = filters or {}
    if action := filters.get("action"):
        qs = qs.filter(action__startswith=action)
    if actor := filters.get("actor"):
        qs = qs.filter(actor_label__icontains=actor)
    if since := filters.get("since"):
        qs = qs.filter(created_at__date__gte=since)
    if until := filters.get("until"):
        qs = qs.filter(created_at__date__lte=until)
    if object_id := filters.get("object_id"):
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-seq")


def audit_head_seq() -> int:
    """The sequence number of the last event committed (0 before the first)."""
    return ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0


def audit_changed_since(seq: int, object_types: list[str]) -> bool:
    """Whether an event about a row of these models (``label_lower``) was recorded after ``seq``:
    every change to an audited row goes through a service that records one."""
    return AuditEvent.objects.filter(seq__gt=seq, object_type__in=object_types).exists()
