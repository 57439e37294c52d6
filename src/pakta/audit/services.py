"""Writing audit events. Call ``audit_record`` inside the transaction of the change it records."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from pakta.audit.merkle import LEAF_PREFIX, NODE_PREFIX, Node, TreeBuilder
from pakta.audit.models import AuditEvent, ChainHead, MerkleNode
from pakta.audit.registry import ACTIONS
from pakta.audit.rows import plain_json, row_state_hash
from pakta.core.todo import todo_pemda_changed

GENESIS = "0" * 64


@dataclass
class PendingEvent:
    """An event to append. Give ``obj``, or (for rows written in bulk, without a model
    instance) ``object_type`` (a model's ``label_lower``), ``object_id`` and ``pemda_id``."""

    action: str
    obj: models.Model | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    pemda_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    # For rows written in bulk without an instance: the hash of the row's state
    # (pakta.audit.rows), when the caller has it. With ``obj`` it is computed here.
    row_hash: str = ""


def _canonical_payload(
    *,
    seq: int,
    created_at: str,
    actor_id: int | None,
    actor_label: str,
    pemda_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    summary: Any,
    prev_hash: str,
    row_hash: str = "",
) -> bytes:
    payload = {
        "seq": seq,
        "created_at": created_at,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "pemda_id": pemda_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": summary,
        "prev_hash": prev_hash,
        "row_hash": row_hash,
    }
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def _canonical(event: AuditEvent) -> bytes:
    return _canonical_payload(
        seq=event.seq,
        created_at=event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        pemda_id=event.pemda_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        summary=event.summary,
        prev_hash=event.prev_hash,
        row_hash=event.row_hash,
    )


def compute_hash(event: AuditEvent) -> str:
    """The event's RFC 9162 leaf hash: SHA-256(0x00 || canonical form), in hex."""
    return hashlib.sha256(LEAF_PREFIX + _canonical(event)).hexdigest()


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


# Above this many events, ``audit_record_many`` writes plain rows (pakta.core.bulk) instead of
# model instances: an import of 100,000 officials appends over 100,000 events.
BULK_THRESHOLD = 500
_EVENT_COLUMNS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "pemda_id",
    "action",
    "object_type",
    "object_id",
    "summary",
    "row_hash",
    "prev_hash",
    "hash",
)


def audit_record_many(*, actor: Any, events: Sequence[PendingEvent]) -> list[AuditEvent]:
    """Append events to the chain; the caller's transaction must be open.

    Returns the events as model instances, except for batches larger than ``BULK_THRESHOLD``,
    which are written as plain rows and return an empty list (read them back if needed).
    """
    if not events:
        return []
    for pending in events:
        if pending.action not in ACTIONS:
            raise ValueError(
                f"Unregistered audit action {pending.action!r}: add it to audit/registry.py."
            )
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records.")
    # What waits for the users of these Pemda may have changed: their kept lists are read again.
    todo_pemda_changed(
        p.pemda_id if p.pemda_id is not None else _pemda_id_of(p.obj) for p in events
    )
    head_seq, head_hash, frontier = _head_lock()
    tree = TreeBuilder(head_seq, frontier)
    now = timezone.now()
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_label = actor.get_username() if actor_id else ""
    if len(events) > BULK_THRESHOLD:
        seq, prev, bulk_nodes = _append_rows(
            head_seq, head_hash, tree, now, actor_id, actor_label, events
        )
        _node_rows_insert(bulk_nodes)
        _head_move(seq, prev, tree.frontier)
        return []
    rows: list[AuditEvent] = []
    nodes: list[tuple[Node, bytes]] = []
    seq, prev = head_seq, head_hash
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
            object_type=obj._meta.label_lower if obj is not None else pending.object_type,
            object_id=str(obj.pk) if obj is not None else pending.object_id,
            summary=_json_safe(pending.summary),
            row_hash=row_state_hash(obj) if obj is not None else pending.row_hash,
            prev_hash=prev,
        )
        event.hash = compute_hash(event)
        nodes.extend(tree.append(bytes.fromhex(event.hash)))
        prev = event.hash
        rows.append(event)
    _events_insert(rows)
    _nodes_insert(nodes)
    _head_move(seq, prev, tree.frontier)
    return rows


def _events_insert(events: Sequence[AuditEvent]) -> None:
    """Insert a few events with one plain ``INSERT ... RETURNING id`` (the ORM's ``bulk_create``
    cost twice the database's work for a single event) and mark the instances as saved."""
    from pakta.core.bulk import db_datetime

    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in _EVENT_COLUMNS)
    marks = "(" + ", ".join(["%s"] * len(_EVENT_COLUMNS)) + ")"
    params: list[Any] = []
    for event in events:
        params += [
            event.seq,
            db_datetime(event.created_at),
            event.actor_id,
            event.actor_label,
            event.pemda_id,
            event.action,
            event.object_type,
            event.object_id,
            json.dumps(event.summary),
            event.row_hash,
            event.prev_hash,
            event.hash,
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES {', '.join([marks] * len(events))} "  # noqa: S608
            "RETURNING id",
            params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    # Both databases assign the ids in the order of the VALUES rows; sorted to be sure.
    for event, pk in zip(events, sorted(ids), strict=True):
        event.pk = pk
        event._state.adding = False
        event._state.db = connection.alias


# The chain head is read and moved with two plain statements: every audited change passes here,
# and the ORM's get_or_create and save cost several times what the database does.


def _head_lock() -> tuple[int, str, list[bytes]]:
    """The head's sequence number, hash and Merkle frontier, its row locked until the transaction
    ends (FOR UPDATE on PostgreSQL; on SQLite the transaction already holds the write lock)."""
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash, frontier FROM {table} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:  # the first event ever: create the head (concurrent creators are serialised)
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        row = (head.seq, head.hash, head.frontier)
    packed = bytes(row[2] or b"")
    frontier = [packed[i : i + 32] for i in range(0, len(packed), 32)]
    return int(row[0]), str(row[1]), frontier


def _head_move(seq: int, digest: str, frontier: Sequence[bytes]) -> None:
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET seq = %s, hash = %s, frontier = %s WHERE id = 1",  # noqa: S608
            [seq, digest, b"".join(frontier)],
        )


# Nodes below this level are not stored: they are recomputed from at most 16 leaves when a proof
# needs them, which costs one small range read and saves inserting 15 of every 16 nodes.
STORED_FROM_LEVEL = 4


def node_id(level: int, index: int) -> int:
    """The primary key of a Merkle tree node (see ``MerkleNode``)."""
    return index << 6 | level


def _nodes_insert(nodes: Sequence[tuple[Node, bytes]]) -> None:
    rows = [
        (node_id(level, index), digest)
        for (level, index), digest in nodes
        if level >= STORED_FROM_LEVEL
    ]
    _node_rows_insert(rows)


def _node_rows_insert(rows: Sequence[tuple[int, bytes]]) -> None:
    if not rows:
        return
    if len(rows) > 100:
        from pakta.core.bulk import bulk_insert

        bulk_insert(MerkleNode, ("id", "hash"), rows)
        return
    # One statement for a few rows (executemany would be one round trip per row on PostgreSQL).
    table = connection.ops.quote_name(MerkleNode._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, hash) VALUES {values}",  # noqa: S608
            [value for row in rows for value in row],
        )


# Object ids that JSON writes as they are, between quotes.
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_.:-]*")


def _append_rows(
    head_seq: int,
    head_hash: str,
    tree: TreeBuilder,
    now: Any,
    actor_id: int | None,
    actor_label: str,
    events: Sequence[PendingEvent],
) -> tuple[int, str, list[tuple[int, bytes]]]:
    """The bulk path of ``audit_record_many``: the same fields and hashes, written as tuples;
    returns the new head and the Merkle nodes completed, as (node id, hash) rows."""
    from pakta.core.bulk import bulk_insert, db_datetime

    created_at = now.astimezone(UTC).isoformat(timespec="microseconds")
    stored_at = db_datetime(now)
    rows: list[tuple[Any, ...]] = []
    nodes: list[tuple[int, bytes]] = []
    frontier, size = tree.frontier, tree.size
    plain_id = _PLAIN_TEXT.fullmatch
    seq, prev = head_seq, head_hash
    sha256, dumps, loads = hashlib.sha256, json.dumps, json.loads
    # The canonical form (see _canonical_payload: keys sorted, compact, not ASCII-escaped) is
    # assembled from pieces, the constant ones once: the same bytes as json.dumps of the dict.
    constant = (
        f',"actor_id":{dumps(actor_id)},"actor_label":{dumps(actor_label, ensure_ascii=False)}'
        f',"created_at":{dumps(created_at)},"object_id":'
    )
    quoted: dict[str, str] = {}

    def quote(text: str) -> str:
        if text not in quoted:
            quoted[text] = dumps(text, ensure_ascii=False)
        return quoted[text]

    for pending in events:
        seq += 1
        obj = pending.obj
        if obj is not None:
            object_type, object_id = obj._meta.label_lower, str(obj.pk)
            pemda_id = pending.pemda_id if pending.pemda_id is not None else _pemda_id_of(obj)
            row_hash = row_state_hash(obj)
        else:
            object_type, object_id = pending.object_type, pending.object_id
            pemda_id = pending.pemda_id
            row_hash = pending.row_hash
        summary = pending.summary
        plain = plain_json(summary)
        if plain is not None:
            # Reads back from the database as it is: no round trip needed.
            text = plain
            if plain_id(object_id):
                quoted_id = f'"{object_id}"'
            else:
                quoted_id = dumps(object_id, ensure_ascii=False)
            canonical = (
                f'{{"action":{quote(pending.action)}{constant}{quoted_id}'
                f',"object_type":{quote(object_type)}'
                f',"pemda_id":{"null" if pemda_id is None else int(pemda_id)}'
                f',"prev_hash":"{prev}","row_hash":"{row_hash}","seq":{seq},"summary":{text}}}'
            ).encode()
        else:
            # As in _json_safe: the hash covers the summary as it reads back from the database.
            text = dumps(summary, default=str)
            canonical = _canonical_payload(
                seq=seq,
                created_at=created_at,
                actor_id=actor_id,
                actor_label=actor_label,
                pemda_id=pemda_id,
                action=pending.action,
                object_type=object_type,
                object_id=object_id,
                summary=loads(text),
                prev_hash=prev,
                row_hash=row_hash,
            )
        leaf = sha256(LEAF_PREFIX + canonical).digest()
        # TreeBuilder.append, inlined (this loop runs for every event of an import).
        frontier.append(leaf)
        index, level = size, 0
        while index & 1:
            right = frontier.pop()
            parent = sha256(NODE_PREFIX + frontier.pop() + right).digest()
            frontier.append(parent)
            index >>= 1
            level += 1
            if level >= STORED_FROM_LEVEL:
                nodes.append((index << 6 | level, parent))
        size += 1
        digest = leaf.hex()
        rows.append(
            (
                seq,
                stored_at,
                actor_id,
                actor_label,
                pemda_id,
                pending.action,
                object_type,
                object_id,
                text,
                row_hash,
                prev,
                digest,
            )
        )
        prev = digest
    tree.size = size
    bulk_insert(AuditEvent, _EVENT_COLUMNS, rows)
    return seq, prev, nodes


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
