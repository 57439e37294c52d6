"""The cryptographic primitives of the reporting channel, all from libsodium through PyNaCl.

- A report key is 32 random bytes; everything of a report is encrypted with it using SecretBox
  (XSalsa20-Poly1305, a random 24-byte nonce prepended to each ciphertext). Files (large
  blobs) use libsodium's AEGIS-256 instead, under a subkey derived from the report key: it is
  about three times faster than XSalsa20 here, and a 32-byte random nonce is safe.
- A report key is sealed to a handler's (or the escrow's) X25519 public key with SealedBox.
- Secrets chosen by people (passwords, receipt codes) become keys through argon2id
  (``nacl.pwhash.argon2id.kdf``) with a random salt and the cost stored beside the result, so
  that the cost can be raised later without breaking old rows.

Nothing here touches the database; see docs/reports.md for the whole design.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

import nacl.bindings
import nacl.exceptions
import nacl.pwhash
import nacl.utils
from django.conf import settings
from nacl.public import PrivateKey, SealedBox
from nacl.secret import SecretBox

KEY_SIZE = SecretBox.KEY_SIZE
SALT_SIZE = nacl.pwhash.argon2id.SALTBYTES


class DecryptionError(Exception):
    """A ciphertext did not open with the key given (wrong key, or the data were altered)."""


@dataclass(frozen=True)
class KdfCost:
    opslimit: int
    memlimit: int


def kdf_cost() -> KdfCost:
    """The argon2id cost for new key wraps: about a second and 128 MB, as GlobaLeaks does.

    Tests use libsodium's minimum so that a test run does not spend minutes in argon2.
    """
    configured = getattr(settings, "PAKTA_REPORT_KDF_COST", None)
    if configured:
        return KdfCost(*configured)
    if settings.TESTING:
        return KdfCost(nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN)
    return KdfCost(nacl.pwhash.argon2id.OPSLIMIT_MODERATE, 128 * 1024 * 1024)


def new_key() -> bytes:
    return nacl.utils.random(KEY_SIZE)


def new_salt() -> bytes:
    return nacl.utils.random(SALT_SIZE)


def derive_key(secret: str | bytes, salt: bytes, cost: KdfCost) -> bytes:
    """A 32-byte key from a human secret (password, receipt code) with argon2id."""
    data = secret.encode() if isinstance(secret, str) else secret
    key: bytes = nacl.pwhash.argon2id.kdf(
        KEY_SIZE, data, salt, opslimit=cost.opslimit, memlimit=cost.memlimit
    )
    return key


def key_from_random_secret(secret: bytes, *, context: bytes) -> bytes:
    """A key from a secret that is already random (a recovery key): a hash suffices."""
    return hashlib.blake2b(secret, digest_size=KEY_SIZE, person=context[:16]).digest()


def encrypt(key: bytes, plaintext: bytes) -> bytes:
    """SecretBox: nonce, then XSalsa20-Poly1305 ciphertext (what ``SecretBox.encrypt`` makes)."""
    nonce = nacl.utils.random(SecretBox.NONCE_SIZE)
    return nonce + nacl.bindings.crypto_secretbox_easy(plaintext, nonce, key)


def decrypt(key: bytes, ciphertext: bytes) -> bytes:
    try:
        return bytes(SecretBox(key).decrypt(bytes(ciphertext)))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as error:
        raise DecryptionError(str(error)) from None


BLOB_VERSION = b"\x01"
BLOB_NONCE = nacl.bindings.crypto_aead_aegis256_NPUBBYTES


def _blob_key(key: bytes) -> bytes:
    return hashlib.blake2b(key, digest_size=KEY_SIZE, person=b"pakta-blob-key").digest()


def encrypt_blob(key: bytes, plaintext: bytes) -> bytes:
    """A file's bytes: version byte, nonce, then AEGIS-256 ciphertext with its tag."""
    nonce = nacl.utils.random(BLOB_NONCE)
    sealed = nacl.bindings.crypto_aead_aegis256_encrypt(plaintext, None, nonce, _blob_key(key))
    return BLOB_VERSION + nonce + sealed


def decrypt_blob(key: bytes, ciphertext: bytes) -> bytes:
    data = bytes(ciphertext)
    if data[:1] != BLOB_VERSION:
        raise DecryptionError("unknown blob format")
    nonce, sealed = data[1 : 1 + BLOB_NONCE], data[1 + BLOB_NONCE :]
    try:
        return bytes(
            nacl.bindings.crypto_aead_aegis256_decrypt(sealed, None, nonce, _blob_key(key))
        )
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as error:
        raise DecryptionError(str(error)) from None


def encrypt_json(key: bytes, value: Any) -> bytes:
    return encrypt(key, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def decrypt_json(key: bytes, ciphertext: bytes) -> Any:
    return json.loads(decrypt(key, ciphertext).decode())


def new_keypair() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair as (public, private) raw bytes."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def public_of(private_key: bytes) -> bytes:
    return bytes(PrivateKey(private_key).public_key)


def seal_to(public_key: bytes, data: bytes) -> bytes:
    """Encrypt ``data`` so that only the holder of the matching private key can open it."""
    return bytes(nacl.bindings.crypto_box_seal(data, bytes(public_key)))


def unseal(private_key: bytes, sealed: bytes) -> bytes:
    try:
        return bytes(SealedBox(PrivateKey(private_key)).decrypt(bytes(sealed)))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as error:
        raise DecryptionError(str(error)) from None


def fingerprint(public_key: bytes) -> str:
    """A short, readable fingerprint of a public key (to compare keys by eye)."""
    digest = hashlib.blake2b(bytes(public_key), digest_size=10).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def keyed_fingerprint(key: bytes, data: bytes) -> str:
    """A commitment to ``data`` that only holders of ``key`` can recompute (BLAKE2b, keyed)."""
    return hashlib.blake2b(data, key=key, digest_size=32).hexdigest()


def server_key(purpose: str) -> bytes:
    """A key for ``purpose`` derived from the deployment's secret key (HMAC-SHA256)."""
    return hmac.new(settings.SECRET_KEY.encode(), purpose.encode(), hashlib.sha256).digest()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(bytes(data)).decode().rstrip("=")


def unb64(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode())
