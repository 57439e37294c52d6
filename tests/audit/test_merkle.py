"""The RFC 9162 Merkle tree: proofs built from stored perfect subtrees agree with a naive
recomputation of the RFC's recursive definitions, verify, and fail when anything is changed."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakta.audit import merkle
from pakta.audit.merkle import Node, ProofError

# --- Naive reference: the RFC's recursive definitions over the list of leaves -------------------


def mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*subproof(m, leaves[:k], b), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


def leaves_of(n: int) -> list[bytes]:
    return [hashlib.sha256(b"\x00" + f"event {i}".encode()).digest() for i in range(n)]


def store_of(leaves: list[bytes]) -> dict[Node, bytes]:
    """Every perfect subtree, as the database keeps them, built by appending."""
    builder = merkle.TreeBuilder()
    nodes: dict[Node, bytes] = {}
    for i, leaf in enumerate(leaves):
        nodes[(0, i)] = leaf
        nodes.update(builder.append(leaf))
    return nodes


def fetch_from(nodes: dict[Node, bytes]):  # type: ignore[no-untyped-def]
    return lambda wanted: {node: nodes[node] for node in wanted if node in nodes}


# --- Properties ---------------------------------------------------------------------------------


def test_leaf_and_node_hashes_use_distinct_prefixes() -> None:
    assert merkle.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert (
        merkle.node_hash(b"a" * 32, b"b" * 32)
        == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )
    assert merkle.root_of([]) == hashlib.sha256(b"").digest()


def test_known_answer_from_a_small_tree() -> None:
    # Three leaves: root = H(1 || H(1 || l0 || l1) || l2)
    l0, l1, l2 = (merkle.leaf_hash(bytes([i])) for i in range(3))
    expected = merkle.node_hash(merkle.node_hash(l0, l1), l2)
    assert merkle.root_of([l0, l1, l2]) == expected
    builder = merkle.TreeBuilder()
    for leaf in (l0, l1, l2):
        builder.append(leaf)
    assert builder.root() == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.data())
def test_inclusion_proofs_match_the_rfc_and_verify(size: int, data: st.DataObject) -> None:
    leaves = leaves_of(size)
    nodes = store_of(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    root = mth(leaves)

    proof = merkle.hashes_for(merkle.inclusion_ranges(index, size), fetch_from(nodes))

    assert proof == path(index, leaves)
    assert merkle.verify_inclusion(leaves[index], index, size, proof, root)
    # A wrong leaf, index, size, root or path does not verify.
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), index, size, proof, root)
    if size > 1:
        other = (index + 1) % size
        assert not merkle.verify_inclusion(leaves[index], other, size, proof, root)
        bad = list(proof)
        bad[0] = merkle.leaf_hash(b"x")
        assert not merkle.verify_inclusion(leaves[index], index, size, bad, root)
        assert not merkle.verify_inclusion(leaves[index], index, size, proof[:-1], root)


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.data())
def test_consistency_proofs_match_the_rfc_and_verify(second: int, data: st.DataObject) -> None:
    leaves = leaves_of(second)
    nodes = store_of(leaves)
    first = data.draw(st.integers(min_value=1, max_value=second))
    first_root, second_root = mth(leaves[:first]), mth(leaves)

    proof = merkle.hashes_for(merkle.consistency_ranges(first, second), fetch_from(nodes))

    assert proof == ([] if first == second else subproof(first, leaves, True))
    assert merkle.verify_consistency(first, second, first_root, second_root, proof)
    # A rewritten history (any old leaf changed) is not consistent with the new tree.
    changed = list(leaves)
    changed[data.draw(st.integers(min_value=0, max_value=first - 1))] = merkle.leaf_hash(b"edit")
    assert not merkle.verify_consistency(first, second, mth(changed[:first]), second_root, proof)
    if first < second:
        assert not merkle.verify_consistency(first, second, first_root, mth(changed), proof)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=200))
def test_the_frontier_gives_the_root_at_every_size(size: int) -> None:
    leaves = leaves_of(size)
    builder = merkle.TreeBuilder()
    for leaf in leaves:
        builder.append(leaf)
    assert builder.root() == mth(leaves) == merkle.root_of(leaves)
    restarted = merkle.TreeBuilder(builder.size, builder.frontier)
    restarted.append(merkle.leaf_hash(b"next"))
    assert restarted.root() == mth([*leaves, merkle.leaf_hash(b"next")])


def test_proofs_beyond_the_tree_are_refused() -> None:
    with pytest.raises(ProofError):
        merkle.inclusion_ranges(5, 5)
    with pytest.raises(ProofError):
        merkle.consistency_ranges(6, 5)
    assert not merkle.verify_inclusion(b"x" * 32, 5, 5, [], b"x" * 32)
    assert not merkle.verify_consistency(6, 5, b"", b"", [])


# The RFC 6962 / RFC 9162 reference test data used by Certificate Transparency implementations
# (certificate-transparency-go, transparency-dev/merkle): eight leaves and the root at each size.
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    bytes(range(0x50, 0x58)),
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_the_certificate_transparency_reference_roots() -> None:
    leaves = [merkle.leaf_hash(data) for data in CT_LEAVES]
    builder = merkle.TreeBuilder()
    for size, leaf in enumerate(leaves, start=1):
        builder.append(leaf)
        assert builder.root().hex() == CT_ROOTS[size - 1]
        assert merkle.root_of(leaves[:size]).hex() == CT_ROOTS[size - 1]
