"""Existing events become leaves of the Merkle tree: each event's hash is recomputed as its
RFC 9162 leaf hash (the chain re-linked in order), the perfect subtrees stored, the head's
frontier set. Run once, before any checkpoint exists."""

from django.db import migrations


def rehash(apps, schema_editor):
    from pakta.audit.merkle import TreeBuilder
    from pakta.audit.services import GENESIS, STORED_FROM_LEVEL, compute_hash, node_id

    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    MerkleNode = apps.get_model("audit", "MerkleNode")
    tree = TreeBuilder()
    prev = GENESIS
    nodes = []
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        event.prev_hash = prev
        event.hash = compute_hash(event)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
        for (level, index), digest in tree.append(bytes.fromhex(event.hash)):
            if level >= STORED_FROM_LEVEL:
                nodes.append(MerkleNode(id=node_id(level, index), hash=digest))
        prev = event.hash
        if len(nodes) >= 2000:
            MerkleNode.objects.bulk_create(nodes)
            nodes = []
    MerkleNode.objects.bulk_create(nodes)
    if tree.size:
        ChainHead.objects.update_or_create(
            pk=1, defaults={"seq": tree.size, "hash": prev, "frontier": b"".join(tree.frontier)}
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_transparency_log")]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop)]
