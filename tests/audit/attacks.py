"""What an insider with write access to the database can do: edit events and recompute every
hash, the chain, the head, the stored tree, exactly as the app would have written them."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from pakta.audit.merkle import TreeBuilder
from pakta.audit.models import AuditEvent, ChainHead, MerkleNode
from pakta.audit.services import GENESIS, STORED_FROM_LEVEL, compute_hash, node_id


def rewrite_history(change: Callable[[list[AuditEvent]], None]) -> None:
    """Apply ``change`` to the list of events (edit, delete, reorder, insert), then renumber and
    recompute everything the database holds about the log."""
    with transaction.atomic():
        events = list(AuditEvent.objects.order_by("seq"))
        change(events)
        AuditEvent.objects.all().delete()
        MerkleNode.objects.all().delete()
        tree, prev, nodes = TreeBuilder(), GENESIS, []
        for seq, event in enumerate(events, start=1):
            event.pk = None
            event.seq, event.prev_hash = seq, prev
            event.hash = compute_hash(event)
            nodes += [
                MerkleNode(id=node_id(level, index), hash=digest)
                for (level, index), digest in tree.append(bytes.fromhex(event.hash))
                if level >= STORED_FROM_LEVEL
            ]
            prev = event.hash
        AuditEvent.objects.bulk_create(events)
        MerkleNode.objects.bulk_create(nodes)
        ChainHead.objects.update_or_create(
            pk=1, defaults={"seq": len(events), "hash": prev, "frontier": b"".join(tree.frontier)}
        )
