"""Signed checkpoints in the C2SP formats (c2sp.org/signed-note and c2sp.org/tlog-checkpoint),
so that existing transparency-log tooling (Go's golang.org/x/mod/sumdb/note, witnesses) reads them.

A checkpoint note::

    <origin>
    <tree size, decimal>
    <root hash, base64>
    time <UTC, RFC 3339>            (an extension line)

    — <key name> <base64(key hash (4 bytes) || Ed25519 signature)>

The signature covers every byte of the text above the blank line, final newline included. The
key hash is the first four bytes of SHA-256(key name || 0x0A || 0x01 || public key). The public
("verifier") key is written ``<name>+<key hash, hex>+<base64(0x01 || public key)>``.

No Django here: ``python -m pakta audit witness`` uses this module on an auditor's machine.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass, field

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space


class NoteError(ValueError):
    """A malformed note or checkpoint, an unknown key, or a signature that does not verify."""


def _key_hash(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def _valid_name(name: str) -> bool:
    return bool(name) and not any(c.isspace() or c == "+" for c in name)


@dataclass(frozen=True)
class Verifier:
    name: str
    public: bytes

    @property
    def key_hash(self) -> bytes:
        return _key_hash(self.name, self.public)

    def __str__(self) -> str:
        encoded = base64.b64encode(ED25519 + self.public).decode()
        return f"{self.name}+{self.key_hash.hex()}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> Verifier:
        parts = text.strip().split("+", 2)
        if len(parts) != 3 or not _valid_name(parts[0]):
            raise NoteError("A verifier key reads <name>+<8 hex digits>+<base64 key>.")
        name, hash_hex, encoded = parts
        try:
            raw = base64.b64decode(encoded, validate=True)
            expected = bytes.fromhex(hash_hex)
        except (binascii.Error, ValueError):
            raise NoteError("The verifier key is not valid base64 and hex.") from None
        if len(raw) != 33 or raw[:1] != ED25519:
            raise NoteError("The verifier key is not an Ed25519 key.")
        verifier = cls(name, raw[1:])
        if verifier.key_hash != expected:
            raise NoteError("The verifier key's hash does not match its name and key.")
        return verifier


@dataclass(frozen=True)
class Signer:
    name: str
    key: SigningKey

    @classmethod
    def from_seed(cls, name: str, seed: bytes) -> Signer:
        if not _valid_name(name):
            raise NoteError("A key name has no spaces and no '+'.")
        if len(seed) != 32:
            raise NoteError("An Ed25519 seed is 32 bytes.")
        return cls(name, SigningKey(seed))

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, bytes(self.key.verify_key))

    def sign(self, text: str) -> str:
        """The signed note: ``text`` (ending in a newline), a blank line, the signature line."""
        if not text.endswith("\n") or "\n\n" in text:
            raise NoteError("A note's text ends with one newline and has no blank line.")
        signature = self.key.sign(text.encode()).signature
        encoded = base64.b64encode(self.verifier.key_hash + signature).decode()
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {encoded}\n"


def open_note(note: str, verifier: Verifier) -> str:
    """The text of a signed note once ``verifier``'s signature on it is checked."""
    if "\n\n" not in note:
        raise NoteError("This is not a signed note: it has no blank line before its signatures.")
    text, _, signatures = note.partition("\n\n")
    text += "\n"
    lines = signatures.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise NoteError("The note carries no signature.")
    found = False
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("A signature line starts with an em dash and a space.")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise NoteError("A signature is not valid base64.") from None
        if len(raw) < 5:
            raise NoteError("A signature is too short.")
        if name != verifier.name or raw[:4] != verifier.key_hash:
            continue  # signed by someone else (a witness's cosignature): not ours to check
        try:
            VerifyKey(verifier.public).verify(text.encode(), raw[4:])
        except BadSignatureError:
            raise NoteError("The log's signature on this checkpoint does not verify.") from None
        found = True
    if not found:
        raise NoteError(
            f"The checkpoint is not signed by the log key {verifier.name} "
            f"({verifier.key_hash.hex()}): a wrong key, or not this log."
        )
    return text


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = field(default=())

    @property
    def time(self) -> str:
        for line in self.extensions:
            if line.startswith("time "):
                return line[5:]
        return ""

    def text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"


def checkpoint_text(origin: str, size: int, root: bytes, when: dt.datetime) -> str:
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Checkpoint(origin, size, root, (f"time {stamp}",)).text()


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("A checkpoint has an origin, a size and a root hash, one per line.")
    origin, size_text, root_text, *extensions = lines[:-1]
    if not origin:
        raise NoteError("The checkpoint has no origin line.")
    if not size_text.isdigit() or (size_text.startswith("0") and size_text != "0"):
        raise NoteError("The checkpoint's tree size is not a decimal number.")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error:
        raise NoteError("The checkpoint's root hash is not valid base64.") from None
    if len(root) != 32:
        raise NoteError("The checkpoint's root hash is not 32 bytes.")
    if any(not line for line in extensions):
        raise NoteError("A checkpoint has no empty line before its signatures.")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def verify_checkpoint(note: str, verifier: Verifier, origin: str | None = None) -> Checkpoint:
    """Check the log's signature and the format; the checkpoint it carries."""
    checkpoint = parse_checkpoint(open_note(note, verifier))
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"The checkpoint is for the log {checkpoint.origin!r}, not {origin!r}.")
    return checkpoint
