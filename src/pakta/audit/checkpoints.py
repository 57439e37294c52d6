"""Signed checkpoints of the transparency log and the witnesses outside the database.

``checkpoint_create`` signs the current tree (size, root, time) with the log key, which lives
outside the database (``PAKTA_AUDIT_LOG_KEY`` or ``var/audit_log_key``), stores the note, appends
it to the witness file (its own directory, opened append-only) and mails it to the configured
addresses. It refuses to sign a tree of which an earlier checkpoint (in the database or in the
witness file) is not a prefix: the log never vouches for a rewritten history.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit import log, note
from pakta.audit.merkle import TreeBuilder
from pakta.audit.models import ChainHead, Checkpoint
from pakta.core.errors import DomainError
from pakta.core.mail import mail_send

logger = logging.getLogger(__name__)

WITNESS_FILE = "checkpoints.jsonl"


class CheckpointRefused(DomainError):
    """The current tree does not extend an earlier checkpoint: nothing was signed."""


@lru_cache(maxsize=1)
def _seed() -> bytes:
    value = settings.PAKTA_AUDIT_LOG_KEY
    if not value:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("PAKTA_AUDIT_LOG_KEY must be set when PAKTA_ENV=production.")
        path = settings.VAR_DIR / "audit_log_key"
        if not path.exists():
            tmp = path.with_name(f".audit_log_key.{os.getpid()}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.b64encode(secrets.token_bytes(32)).decode())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        value = path.read_text().strip()
    try:
        seed = base64.b64decode(value, validate=True)
    except binascii.Error:
        seed = b""
    if len(seed) != 32:
        raise ImproperlyConfigured("PAKTA_AUDIT_LOG_KEY must be 32 bytes, base64-encoded.")
    return seed


def log_signer() -> note.Signer:
    return note.Signer.from_seed(settings.PAKTA_AUDIT_LOG_ORIGIN, _seed())


def log_verifier() -> note.Verifier:
    """The public key that verifies every checkpoint, as published on /transparansi/."""
    return log_signer().verifier


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def checkpoint_at_size(size: int) -> Checkpoint | None:
    """The checkpoint signed at this tree size, if any."""
    return Checkpoint.objects.filter(size=size).first()


# --- The witness file -----------------------------------------------------------------------


def witness_path() -> Path:
    return Path(settings.PAKTA_AUDIT_WITNESS_DIR) / WITNESS_FILE


@dataclass(frozen=True)
class StoredNote:
    source: str
    note: str


def witness_file_notes(path: Path | None = None) -> Iterator[StoredNote]:
    """The checkpoints appended to a witness file, oldest first (a damaged line is reported)."""
    path = path or witness_path()
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            source = f"{path}:{number}"
            try:
                text = json.loads(line)["note"]
                if not isinstance(text, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError):
                yield StoredNote(source, line)  # verification names it as malformed
                continue
            yield StoredNote(source, text)


def witness_file_last(path: Path | None = None) -> StoredNote | None:
    """The newest checkpoint of a witness file, read from its end (the file only grows)."""
    path = path or witness_path()
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        end = handle.tell()
        handle.seek(max(0, end - 64 * 1024))
        tail = handle.read().decode("utf-8", "replace")
    lines = [line for line in tail.splitlines() if line.strip()]
    if not lines:
        return None
    try:
        text = json.loads(lines[-1])["note"]
    except (ValueError, KeyError, TypeError):
        return StoredNote(f"{path}:last", lines[-1])
    return StoredNote(f"{path}:last", str(text))


def _witness_append(checkpoint: Checkpoint) -> None:
    directory = Path(settings.PAKTA_AUDIT_WITNESS_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    record = {"size": checkpoint.size, "root": checkpoint.root_hash, "note": checkpoint.note}
    fd = os.open(directory / WITNESS_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _mail(checkpoint: Checkpoint) -> None:
    recipients = list(settings.PAKTA_AUDIT_WITNESS_EMAILS)
    if not recipients:
        return
    subject = _("Pakta transparency log checkpoint: %(size)d entries") % {"size": checkpoint.size}
    body = _(
        "Keep this message. It is a signed checkpoint of the Pakta transparency log: anyone can "
        "check later that the log still contains everything it contained now.\n\n"
        "Log key: %(key)s\n\n%(note)s"
    ) % {"key": log_verifier(), "note": checkpoint.note}
    failed = mail_send([(subject, body, to) for to in recipients])
    if failed:
        logger.error(
            "The checkpoint of size %s was not mailed to %d of %d witnesses",
            checkpoint.size,
            len(failed),
            len(recipients),
        )


# --- Signing --------------------------------------------------------------------------------


def _check_prefix(size: int, root: bytes, stored: str, label: str) -> None:
    try:
        earlier = note.verify_checkpoint(stored, log_verifier())
    except note.NoteError as error:
        raise CheckpointRefused(
            _("%(label)s is not a valid checkpoint of this log: %(error)s")
            % {"label": label, "error": error}
        ) from None
    if earlier.size > size:
        raise CheckpointRefused(
            _(
                "%(label)s covers %(old)d entries but the log now holds %(new)d: entries were "
                "removed. Nothing was signed; run `audit verify`."
            )
            % {"label": label, "old": earlier.size, "new": size}
        )
    if log.root_at(earlier.size) != earlier.root:
        raise CheckpointRefused(
            _(
                "The first %(old)d entries of the log no longer match %(label)s: its history was "
                "rewritten. Nothing was signed; run `audit verify`."
            )
            % {"label": label, "old": earlier.size}
        )


def checkpoint_create() -> Checkpoint | None:
    """Sign the current tree if it grew since the latest checkpoint; None when it did not."""
    with transaction.atomic():
        head = ChainHead.objects.filter(pk=1).first()
        size = head.seq if head else 0
        latest = latest_checkpoint()
        if size == 0 or (latest is not None and latest.size >= size):
            if latest is not None and latest.size > size:
                _check_prefix(size, b"", latest.note, _("The latest stored checkpoint"))
            return None
        assert head is not None
        packed = bytes(head.frontier)
        root = TreeBuilder(size, [packed[i : i + 32] for i in range(0, len(packed), 32)]).root()
        if log.root_at(size) != root:
            raise CheckpointRefused(
                _(
                    "The stored tree does not match its head. Nothing was signed; run `audit verify`."
                )
            )
        if latest is not None:
            _check_prefix(size, root, latest.note, _("The latest stored checkpoint"))
        last_witnessed = witness_file_last()
        if last_witnessed is not None:
            _check_prefix(size, root, last_witnessed.note, _("The witness file's last checkpoint"))
        now = timezone.now()
        text = note.checkpoint_text(settings.PAKTA_AUDIT_LOG_ORIGIN, size, root, now)
        checkpoint = Checkpoint.objects.create(
            size=size, root_hash=root.hex(), created_at=now, note=log_signer().sign(text)
        )
        _witness_append(checkpoint)
        transaction.on_commit(lambda: _mail(checkpoint))
    return checkpoint
