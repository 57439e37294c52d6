"""Reading the Merkle tree of audit events: its size, roots and proofs.

Leaf ``i`` is the event with ``seq = i + 1``; its hash is the event's ``hash``. The perfect
subtrees above the leaves are ``MerkleNode`` rows, so a root or a proof is a few dozen
primary-key reads whatever the size of the tree (see ``pakta.audit.merkle``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from pakta.audit import merkle
from pakta.audit.merkle import Node
from pakta.audit.models import AuditEvent, ChainHead, MerkleNode
from pakta.audit.services import STORED_FROM_LEVEL, node_id


class LogError(ValueError):
    """A request the log cannot answer: a leaf or a size beyond the tree, or a bad number."""


def tree_size() -> int:
    head = ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first()
    return int(head or 0)


def fetch_nodes(wanted: set[Node]) -> dict[Node, bytes]:
    """The hashes of the given perfect subtrees: leaves from the events, the nodes of the lowest
    levels recomputed from their leaves (at most 16), the rest from the stored nodes."""
    found: dict[Node, bytes] = {}
    low = [(level, index) for level, index in wanted if level < STORED_FROM_LEVEL]
    seqs = sorted(
        {leaf + 1 for level, index in low for leaf in range(index << level, (index + 1) << level)}
    )
    inner = {
        node_id(level, index): (level, index)
        for level, index in wanted
        if level >= STORED_FROM_LEVEL
    }
    leaves: dict[int, bytes] = {}
    with connection.cursor() as cursor:
        if seqs:
            table = connection.ops.quote_name(AuditEvent._meta.db_table)
            marks = ", ".join(["%s"] * len(seqs))
            cursor.execute(f"SELECT seq, hash FROM {table} WHERE seq IN ({marks})", seqs)  # noqa: S608
            leaves = {int(seq) - 1: bytes.fromhex(digest) for seq, digest in cursor.fetchall()}
        if inner:
            table = connection.ops.quote_name(MerkleNode._meta.db_table)
            marks = ", ".join(["%s"] * len(inner))
            cursor.execute(f"SELECT id, hash FROM {table} WHERE id IN ({marks})", list(inner))  # noqa: S608
            for key, digest in cursor.fetchall():
                found[inner[int(key)]] = bytes(digest)
    for level, index in low:
        block = [leaves.get(leaf) for leaf in range(index << level, (index + 1) << level)]
        if all(block):
            found[(level, index)] = merkle.root_of(block)  # type: ignore[arg-type]
    return found


def _check_size(size: int, current: int | None = None) -> int:
    current = tree_size() if current is None else current
    if size < 0 or size > current:
        raise LogError(
            _("The log holds %(current)d entries; there is no tree of %(size)d.")
            % {"current": current, "size": size}
        )
    return current


def root_at(size: int) -> bytes:
    """The root hash of the tree of the first ``size`` leaves."""
    _check_size(size)
    if size == 0:
        return merkle.EMPTY_ROOT
    return merkle.hashes_for([(0, size)], fetch_nodes)[0]


@dataclass(frozen=True)
class InclusionProof:
    index: int
    size: int
    leaf_hash: bytes
    path: list[bytes]


def inclusion_proof(index: int, size: int) -> InclusionProof:
    """The audit path of leaf ``index`` in the tree of ``size`` leaves."""
    _check_size(size)
    if not 0 <= index < size:
        raise LogError(
            _("Entry %(index)d is not in the tree of %(size)d entries.")
            % {"index": index, "size": size}
        )
    ranges = [(index, index + 1), *merkle.inclusion_ranges(index, size)]
    leaf, *path = merkle.hashes_for(ranges, fetch_nodes)
    return InclusionProof(index=index, size=size, leaf_hash=leaf, path=path)


def consistency_proof(first: int, second: int) -> list[bytes]:
    """The proof that the tree of ``first`` leaves is a prefix of the tree of ``second``."""
    _check_size(second)
    if not 0 <= first <= second:
        raise LogError(
            _("A consistency proof goes from a smaller tree to a larger one, not %(a)d to %(b)d.")
            % {"a": first, "b": second}
        )
    return merkle.hashes_for(merkle.consistency_ranges(first, second), fetch_nodes)


def document_leaf(document_id: int) -> AuditEvent | None:
    """The latest leaf that logged a signed document (its SHA-256, kind, Pemda, signers)."""
    return (
        AuditEvent.objects.filter(action="signing.document.logged", object_id=str(document_id))
        .order_by("-seq")
        .first()
    )
