"""Encryption at rest of private keys, with a master key that lives outside the database.

The master key comes from ``PAKTA_SIGNING_MASTER_KEY`` (32 bytes, base64). The embedded
default generates one into ``var/signing_master_key`` on first use; production requires the
variable. A database dump therefore holds no usable private key.
"""

from __future__ import annotations

import base64
import os
import secrets
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"k1"


@lru_cache(maxsize=1)
def master_key() -> bytes:
    value = os.environ.get("PAKTA_SIGNING_MASTER_KEY")
    if not value:
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                "PAKTA_SIGNING_MASTER_KEY must be set when PAKTA_ENV=production."
            )
        path = settings.VAR_DIR / "signing_master_key"
        if not path.exists():
            path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
            path.chmod(0o600)
        value = path.read_text().strip()
    key = base64.b64decode(value)
    if len(key) != 32:
        raise ImproperlyConfigured("PAKTA_SIGNING_MASTER_KEY must be 32 bytes, base64-encoded.")
    return key


def seal(plaintext: bytes, *, context: bytes) -> bytes:
    """Encrypt with AES-256-GCM; ``context`` (e.g. the certificate serial) is authenticated."""
    nonce = secrets.token_bytes(12)
    return VERSION + nonce + AESGCM(master_key()).encrypt(nonce, plaintext, context)


def unseal(blob: bytes | memoryview, *, context: bytes) -> bytes:
    blob = bytes(blob)
    if blob[:2] != VERSION:
        raise ValueError("Unknown key envelope version.")
    return AESGCM(master_key()).decrypt(blob[2:14], blob[14:], context)
