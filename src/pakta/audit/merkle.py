"""RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, proofs and their verification.

Pure functions, no database: ``pakta.audit.log`` stores the tree and calls these.

* A leaf's hash is ``SHA-256(0x00 || data)``, an interior node's ``SHA-256(0x01 || left || right)``
  (section 2.1.1), so a leaf can never pass for a node and the other way round.
* A tree of ``n`` leaves splits at ``k``, the largest power of two smaller than ``n``. Every range
  of leaves the algorithms below touch therefore starts at a multiple of a power of two at least
  as large as the range, and its hash is the right fold of the perfect subtrees that cover it
  (``range_nodes``). The store keeps the hash of every perfect subtree, so any proof needs only
  a few dozen of them, whatever the size of the tree.
* Inclusion proofs (2.1.3) and consistency proofs (2.1.4) are produced as lists of such ranges
  and verified with the RFC's own algorithms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

# A perfect subtree: (level, index) covers leaves [index * 2**level, (index + 1) * 2**level).
Node = tuple[int, int]
Range = tuple[int, int]


class ProofError(ValueError):
    """A proof was asked for something the tree does not hold (an index or size beyond it)."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


# --- Reference definitions, straight from the RFC (used by tests and by `audit verify`) ---------


def root_of(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes, recursively as the RFC defines it."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = split_point(n)
    return node_hash(root_of(leaves[:k]), root_of(leaves[k:]))


class TreeBuilder:
    """Appends leaf hashes and knows the root at every size: the compact range (frontier).

    The frontier holds the roots of the perfect subtrees that make up the tree, largest first,
    at most 64 hashes. ``append`` returns the perfect subtrees that the new leaf completes.
    """

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = ()) -> None:
        if len(frontier) != size.bit_count():
            raise ValueError("The frontier does not match the size of the tree.")
        self.size = size
        self.frontier = list(frontier)

    def append(self, leaf: bytes) -> list[tuple[Node, bytes]]:
        completed: list[tuple[Node, bytes]] = []
        index = self.size
        self.frontier.append(leaf)
        level = 0
        while (index >> level) & 1:  # the new leaf closes one perfect subtree per trailing 1 bit
            right = self.frontier.pop()
            left = self.frontier.pop()
            level += 1
            parent = node_hash(left, right)
            self.frontier.append(parent)
            completed.append(((level, index >> level), parent))
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self.frontier:
            return EMPTY_ROOT
        result = self.frontier[-1]
        for left in reversed(self.frontier[:-1]):
            result = node_hash(left, result)
        return result


# --- Proofs as ranges of leaves -------------------------------------------------------------


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """PATH(index, D[0:size]) as the leaf ranges whose hashes make up the audit path."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    ranges: list[Range] = []
    lo, hi, m = 0, size, index
    while hi - lo > 1:
        k = split_point(hi - lo)
        if m < k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo, m = lo + k, m - k
    ranges.reverse()  # the RFC lists the path from the leaf up
    return ranges


def consistency_ranges(first: int, second: int) -> list[Range]:
    """PROOF(first, D[0:second]) (SUBPROOF with b = true) as leaf ranges."""
    if not 0 <= first <= second:
        raise ProofError(f"no consistency proof from {first} to {second} leaves")
    if first in (0, second):
        return []
    ranges: list[Range] = []
    lo, hi, m, complete = 0, second, first, True
    while m != hi - lo:
        k = split_point(hi - lo)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        ranges.append((lo, hi))
    ranges.reverse()
    return ranges


def range_nodes(lo: int, hi: int) -> list[Node]:
    """The perfect subtrees covering [lo, hi), largest first (lo aligned as in every proof)."""
    nodes: list[Node] = []
    while lo < hi:
        level = (lo & -lo).bit_length() - 1 if lo else (hi - lo).bit_length()
        while (1 << level) > hi - lo:
            level -= 1
        nodes.append((level, lo >> level))
        lo += 1 << level
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """The hash of a range from the hashes of its perfect subtrees (largest first)."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def hashes_for(
    ranges: Iterable[Range], fetch: Callable[[set[Node]], dict[Node, bytes]]
) -> list[bytes]:
    """Each range's hash, reading all the perfect subtrees needed in one call to ``fetch``."""
    ranges = list(ranges)
    per_range = [range_nodes(lo, hi) for lo, hi in ranges]
    wanted = {node for nodes in per_range for node in nodes}
    found = fetch(wanted) if wanted else {}
    missing = wanted - found.keys()
    if missing:
        raise ProofError(f"the tree store lacks {len(missing)} node(s), e.g. {min(missing)}")
    return [fold([found[node] for node in nodes]) for nodes in per_range]


# --- Verification (RFC 9162 2.1.3.2 and 2.1.4.2) -------------------------------------------


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof  # the empty tree is a prefix of every tree
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is a node of the new tree
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0
