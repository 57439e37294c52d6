"""Bulk screening: many declared people and companies against many procurement parties.

Blocking first, then matching (``matching.match``) on the candidate pairs only:

* identifiers (NIK, NIB, NPWP, NIP) are looked up exactly — they decide;
* people's names are blocked on pairs of their uncommon tokens (order-free, titles stripped,
  spelling variants unified), a key of the tokens' first three letters (a typo after the third
  letter still blocks) and a single uncommon name, each scoped by birth year when it is known;
* companies on their whole normalised name and on its words' first three letters (in order).

Used by ``bench/coi_screening.py``; the per-declaration screening in ``services/screening.py``
compares a declaration with the few tenderers of the decisions it concerns and needs no blocking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from pakta.conflicts import matching


@dataclass
class Hit:
    left: int
    right: int
    match: matching.Match


def _identifier_keys(party: matching.Party) -> list[str]:
    keys = []
    for scheme, value in party.identifiers.items():
        digits = matching.digits(value)
        if scheme == "npwp" and len(digits) == 15:
            digits = "0" + digits
        if digits:
            keys.append(f"{scheme}:{digits}")
    return keys


def _base_keys(party: matching.Party, tokens: list[str]) -> set[str]:
    if party.kind == "company":
        # Companies: the whole name, and its words' first three letters (a typo further on).
        return (
            {"c:" + " ".join(tokens), "c3:" + "|".join(t[:3] for t in tokens)} if tokens else set()
        )
    uncommon = sorted(matching.blocking_keys(tokens))
    keys = {f"p2:{a}|{b}" for a, b in combinations(uncommon, 2)}
    if tokens:
        keys.add("p3:" + "|".join(sorted(t[:3] for t in tokens)))
    if len(uncommon) == 1:
        keys.add(f"p1:{uncommon[0]}")
    return keys


def index_keys(party: matching.Party, tokens: list[str]) -> set[str]:
    """Keys a party is indexed under: a person with a birth date under keys with the year (``y``)
    and under keys for any year (``a``); without one, under ``n`` and ``a``."""
    base = _base_keys(party, tokens)
    if party.kind == "company":
        return base
    year = party.birth_date.year if party.birth_date else None
    scoped = {f"y{year}:{k}" for k in base} if year else {f"n:{k}" for k in base}
    return scoped | {f"a:{k}" for k in base}


def query_keys(party: matching.Party, tokens: list[str]) -> set[str]:
    """Keys a declared party looks up: with a birth date, the parties born that year and those
    without a birth date (a known, different year rules a pair out); without one, every party."""
    base = _base_keys(party, tokens)
    if party.kind == "company":
        return base
    if party.birth_date:
        year = party.birth_date.year
        return {f"y{year}:{k}" for k in base} | {f"n:{k}" for k in base}
    return {f"a:{k}" for k in base}


class Index:
    """The right-hand side (procurement parties), indexed once."""

    def __init__(self, parties: Sequence[matching.Party]) -> None:
        self.parties = parties
        self.tokens = [p.tokens() for p in parties]
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for index, (party, tokens) in enumerate(zip(parties, self.tokens, strict=True)):
            for key in _identifier_keys(party):
                self.by_key[key].append(index)
            for key in index_keys(party, tokens):
                self.by_key[key].append(index)

    def candidates(self, party: matching.Party, tokens: list[str]) -> set[int]:
        found: set[int] = set()
        for key in _identifier_keys(party):
            found.update(self.by_key.get(key, ()))
        for key in query_keys(party, tokens):
            block = self.by_key.get(key, ())
            if len(block) <= 500:  # a block this large carries no information
                found.update(block)
        return found


def screen(
    declared: Sequence[matching.Party], index: Index, stats: dict[str, int] | None = None
) -> Iterator[Hit]:
    """Every (declared, party) pair that matches, with its score and evidence."""
    compared = 0
    for left_index, party in enumerate(declared):
        tokens = party.tokens()
        born = party.birth_date
        for right_index in index.candidates(party, tokens):
            other = index.parties[right_index]
            # Two known birth years that differ already rule the pair out (score < threshold).
            if born and other.birth_date and born.year != other.birth_date.year:
                continue
            compared += 1
            result = matching.match(party, other, tokens, index.tokens[right_index])
            if result.is_match:
                yield Hit(left_index, right_index, result)
    if stats is not None:
        stats["compared"] = compared
