"""Receipt codes: 16 random digits, shown once, stored only as an index, a hash and a key wrap.

- ``receipt_index``: HMAC-SHA256 of the code under a server pepper. It finds the report with one
  indexed lookup instead of trying the argon2 hash of every report. Without the pepper (which
  is not in the database) the index cannot be tested against guessed codes.
- ``receipt_hash``: argon2id (argon2-cffi) of the code, verified after the lookup. A database
  dump plus the pepper still leaves 10^16 codes to try at argon2 speed.
- ``receipt_wrapped_key``: the report key encrypted under a second argon2id derivation of the
  code (another salt), so that the reporter's browser session can read the replies.

Wrong codes are rate-limited without storing who sent them (no IP address): one bucket for the
whole deployment and one per 4-digit prefix of the code typed. See docs/reports.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

import argon2
from django.conf import settings
from django.core.cache import cache

from pakta.reports import crypto

RECEIPT_DIGITS = 16
_NON_DIGITS = re.compile(r"\D")

# Failures allowed per window, before answers are refused for the rest of the window.
GLOBAL_FAILURES = 200
PREFIX_FAILURES = 10
WINDOW_SECONDS = 15 * 60


def new_receipt() -> str:
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def format_receipt(code: str) -> str:
    """``1234 5678 9012 3456``: shaped like a phone number, easy to note down or hide."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_receipt(text: str) -> str:
    """The digits of what was typed (spaces and dashes dropped); '' when not 16 digits."""
    digits = _NON_DIGITS.sub("", text or "")
    return digits if len(digits) == RECEIPT_DIGITS else ""


def pepper() -> bytes:
    """The server pepper: ``PAKTA_REPORT_PEPPER``, or derived from the secret key.

    Set it explicitly in production: if it changes, receipts can no longer be looked up.
    """
    configured = getattr(settings, "PAKTA_REPORT_PEPPER", "")
    if configured:
        return str(configured).encode()
    return crypto.server_key("pakta.reports.receipt-pepper")


def receipt_index(code: str) -> str:
    return hmac.new(pepper(), code.encode(), hashlib.sha256).hexdigest()


def _hasher() -> argon2.PasswordHasher:
    if settings.TESTING:
        return argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return argon2.PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=1)


def receipt_hash(code: str) -> str:
    return _hasher().hash(code)


def receipt_verify(stored_hash: str, code: str) -> bool:
    try:
        return bool(_hasher().verify(stored_hash, code))
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


@dataclass(frozen=True)
class PreparedReceipt:
    """A new receipt code with its stored forms; the slow (argon2) part of an intake."""

    code: str
    index: str
    hash: str
    salt: bytes
    cost: crypto.KdfCost
    wrap_key: bytes

    def wrap(self, report_key: bytes) -> bytes:
        return crypto.encrypt(self.wrap_key, report_key)


def receipt_prepare(code: str | None = None) -> PreparedReceipt:
    code = code or new_receipt()
    salt = crypto.new_salt()
    cost = crypto.kdf_cost()
    return PreparedReceipt(
        code=code,
        index=receipt_index(code),
        hash=receipt_hash(code),
        salt=salt,
        cost=cost,
        wrap_key=crypto.derive_key(code, salt, cost),
    )


# --- Rate limiting of wrong receipts ------------------------------------------------------------


def _buckets(code: str) -> list[tuple[str, int]]:
    prefix = (code or "")[:4] or "none"
    return [
        ("pakta:reports:receipt-failures:all", GLOBAL_FAILURES),
        (f"pakta:reports:receipt-failures:{prefix}", PREFIX_FAILURES),
    ]


def receipt_attempts_blocked(code: str) -> bool:
    """Whether answers for ``code`` are refused for now (too many recent failures)."""
    return any((cache.get(key) or 0) >= limit for key, limit in _buckets(code))


def receipt_failure_record(code: str) -> None:
    for key, _limit in _buckets(code):
        # add() starts a window only once; incr() keeps its expiry.
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=WINDOW_SECONDS)
