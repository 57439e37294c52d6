"""The audit events as a Merkle tree in the database: roots and proofs served from the stored
perfect subtrees agree with a recomputation from the events, and every signed document is a leaf."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import transaction

from pakta.accounts.models import User
from pakta.audit import log, merkle
from pakta.audit.models import AuditEvent, ChainHead, MerkleNode
from pakta.audit.services import BULK_THRESHOLD, PendingEvent, audit_record_many, compute_hash
from pakta.org.models import Official, Pemda
from pakta.signing.models import SignedDocument
from tests.signing.conftest import sign_as_signer

pytestmark = pytest.mark.django_db


def _events(pemda: Pemda, count: int) -> list[PendingEvent]:
    return [
        PendingEvent(
            action="org.official.created",
            object_type="org.official",
            object_id=str(i),
            pemda_id=pemda.pk,
            summary={"n": i},
        )
        for i in range(count)
    ]


def _leaves() -> list[bytes]:
    return [
        bytes.fromhex(h) for h in AuditEvent.objects.order_by("seq").values_list("hash", flat=True)
    ]


def test_every_event_is_a_leaf_and_every_root_and_proof_agrees(
    superadmin: User, pemda_a: Pemda
) -> None:
    # Small batches (model instances) and one large batch (plain rows) in the same tree.
    for size in (1, 2, 5):
        with transaction.atomic():
            audit_record_many(actor=superadmin, events=_events(pemda_a, size))
    with transaction.atomic():
        audit_record_many(actor=superadmin, events=_events(pemda_a, BULK_THRESHOLD + 7))
    leaves = _leaves()
    n = len(leaves)
    assert log.tree_size() == n
    for event in AuditEvent.objects.order_by("seq")[:20]:
        assert event.hash == compute_hash(event)
        assert bytes.fromhex(event.hash) == hashlib.sha256(b"\x00" + _canonical(event)).digest()
    # Perfect subtrees of 16 leaves and more are stored; the lower ones are recomputed.
    assert MerkleNode.objects.count() == sum(n >> level for level in range(4, n.bit_length()))
    head = ChainHead.objects.get(pk=1)
    assert merkle.TreeBuilder(n, _split(bytes(head.frontier))).root() == merkle.root_of(leaves)

    for size in (1, 2, 3, 7, 8, 9, 100, n - 1, n):
        root = merkle.root_of(leaves[:size])
        assert log.root_at(size) == root
        for index in {0, size // 2, size - 1}:
            proof = log.inclusion_proof(index, size)
            assert proof.leaf_hash == leaves[index]
            assert merkle.verify_inclusion(proof.leaf_hash, index, size, proof.path, root)
        for first in {1, size // 3, size - 1}:
            if first:
                consistency = log.consistency_proof(first, size)
                assert merkle.verify_consistency(
                    first, size, merkle.root_of(leaves[:first]), root, consistency
                )


def _split(packed: bytes) -> list[bytes]:
    return [packed[i : i + 32] for i in range(0, len(packed), 32)]


def _canonical(event: AuditEvent) -> bytes:
    from pakta.audit.services import _canonical

    return _canonical(event)


def test_requests_beyond_the_tree_are_refused(superadmin: User, pemda_a: Pemda) -> None:
    with transaction.atomic():
        audit_record_many(actor=superadmin, events=_events(pemda_a, 3))
    n = log.tree_size()
    with pytest.raises(log.LogError, match=f"holds {n} entries"):
        log.root_at(n + 1)
    with pytest.raises(log.LogError, match=f"Entry {n} is not in the tree"):
        log.inclusion_proof(n, n)
    with pytest.raises(log.LogError):
        log.consistency_proof(n, n - 1)
    with pytest.raises(log.LogError):
        log.inclusion_proof(0, n + 5)


def test_a_signed_document_is_a_leaf_with_its_hash_kind_pemda_and_signers(
    document_a: SignedDocument, official_a: Official
) -> None:
    sign_as_signer(document_a, official_a)
    document_a.refresh_from_db()
    leaf = log.document_leaf(document_a.pk)
    assert leaf is not None
    assert leaf.actor_id is None and leaf.actor_label == ""
    assert leaf.summary["sha256"] == document_a.pdf.sha256
    assert leaf.summary["kind"] == document_a.kind
    assert leaf.summary["pemda"] == document_a.pemda_id
    assert [s["name"] for s in leaf.summary["signers"]] == [official_a.full_name]
    assert json.dumps(leaf.summary["signers"][0]["role"]) == '"signer"'
    size = log.tree_size()
    proof = log.inclusion_proof(leaf.seq - 1, size)
    assert merkle.verify_inclusion(
        bytes.fromhex(leaf.hash), leaf.seq - 1, size, proof.path, log.root_at(size)
    )
