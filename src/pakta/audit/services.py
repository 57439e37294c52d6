"""Writing audit events. Call ``audit_record`` inside the transaction of the change it records."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from pakta.audit.models import AuditEvent, ChainHead
from pakta.audit.registry import ACTIONS

GENESIS = "0" * 64


@dataclass
class PendingEvent:
    action: str
    obj: models.Model | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    pemda_id: int | None = None


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "seq": event.seq,
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "pemda_id": event.pemda_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _pemda_id_of(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    if obj._meta.label == "org.Pemda":
        return obj.pk
    return getattr(obj, "pemda_id", None)


def _json_safe(summary: dict[str, Any]) -> dict[str, Any]:
    # Round-trip through JSON so the stored value hashes the same when read back.
    result: dict[str, Any] = json.loads(json.dumps(summary, default=str))
    return result


def audit_record_many(*, actor: Any, events: Sequence[PendingEvent]) -> list[AuditEvent]:
    """Append events to the chain in one statement; the caller's transaction must be open."""
    if not events:
        return []
    for pending in events:
        if pending.action not in ACTIONS:
            raise ValueError(
                f"Unregistered audit action {pending.action!r}: add it to audit/registry.py."
            )
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records.")
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    now = timezone.now()
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_label = actor.get_username() if actor_id else ""
    rows: list[AuditEvent] = []
    seq, prev = head.seq, head.hash
    for pending in events:
        seq += 1
        obj = pending.obj
        event = AuditEvent(
            seq=seq,
            created_at=now,
            actor_id=actor_id,
            actor_label=actor_label,
            pemda_id=pending.pemda_id if pending.pemda_id is not None else _pemda_id_of(obj),
            action=pending.action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            summary=_json_safe(pending.summary),
            prev_hash=prev,
        )
        event.hash = compute_hash(event)
        prev = event.hash
        rows.append(event)
    AuditEvent.objects.bulk_create(rows, batch_size=2000)
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
    return rows


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    summary: dict[str, Any] | None = None,
    pemda_id: int | None = None,
) -> AuditEvent:
    """Append one event. The summary holds ids and changed field names, never secrets."""
    return audit_record_many(
        actor=actor,
        events=[PendingEvent(action=action, obj=obj, summary=summary or {}, pemda_id=pemda_id)],
    )[0]


def changes(
    instance: models.Model, fields: Iterable[str], before: dict[str, Any]
) -> dict[str, Any]:
    """A summary of which fields changed, from ``before`` (a dict of old values) to the instance."""
    diff = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            diff[name] = [old, new]
    return diff
