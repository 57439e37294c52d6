"""Backup and restore of a whole installation: the database, the document store and a manifest.

An archive is one ``.tar.gz`` holding

* ``database/pakta.sqlite3`` (SQLite's online backup API: a consistent copy of a live database)
  or ``database/pakta.dump`` (``pg_dump --format=custom`` taken in a repeatable-read snapshot),
* ``media/...``: every file of the document store, under the same names (``documents/ab/cd/<sha256>``),
* ``manifest.json``: the SHA-256 and size of every other member, and metadata (engine, time, app
  version, the head of the audit chain at the moment of the copy).

Restoring checks every hash before it changes anything, refuses a database that already holds
data unless forced, then restores the database and the documents and re-verifies the audit chain
and the document hashes. See ``docs/backup.md``.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent, ChainHead
from pakta.audit.selectors import ChainReport, audit_chain_verify
from pakta.audit.services import GENESIS, audit_record
from pakta.core.documents import document_verify_all
from pakta.core.errors import DomainError
from pakta.core.models import Document
from pakta.org.models import Pemda

logger = logging.getLogger(__name__)

FORMAT = "pakta-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
SQLITE_MEMBER = "database/pakta.sqlite3"
POSTGRES_MEMBER = "database/pakta.dump"
CHUNK = 1024 * 1024


class BackupError(DomainError):
    """A backup could not be written, or an archive was refused; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


@dataclass(frozen=True)
class RestoreReport:
    manifest: dict[str, Any]
    chain: ChainReport
    documents_checked: int
    documents_failed: list[str] = field(default_factory=list)
    head_matches: bool = True

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.documents_failed and self.head_matches


# --- helpers --------------------------------------------------------------------------------


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(name)


def _pg_env() -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore, so the password never appears in argv."""
    params = connection.settings_dict
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if params.get(key):
            env[var] = str(params[key])
    options = params.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/bin:/usr/lib/postgresql/15/bin")
    if path is None:
        raise BackupError(
            _("The PostgreSQL client program %(name)s was not found.") % {"name": name}
        )
    return path


def _run(argv: list[str], *, env: dict[str, str]) -> None:
    # argv is a PostgreSQL client found on PATH plus options built here, never user text.
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": Path(argv[0]).name, "error": result.stderr.strip()[-2000:]}
        )


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class _HashingReader:
    """Wraps a binary file: counts and hashes what tarfile reads from it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, raw: IO[bytes], size: int) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    reader = _HashingReader(raw)
    tar.addfile(info, reader)
    if reader.size != size:
        raise BackupError(_("The file %(name)s changed while it was copied.") % {"name": name})
    return {"sha256": reader.digest.hexdigest(), "size": size}


def _storage_walk(path: str = "") -> Iterator[str]:
    """Every file name in the default storage (the document store), in a stable order."""
    try:
        directories, files = default_storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from _storage_walk(f"{path}/{directory}" if path else directory)


def _default_output() -> Path:
    directory = Path(settings.VAR_DIR) / "backups"
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    candidate = directory / f"pakta-backup-{stamp}.tar.gz"
    counter = 2
    while candidate.exists():
        candidate = directory / f"pakta-backup-{stamp}-{counter}.tar.gz"
        counter += 1
    return candidate


def _app_version() -> str:
    try:
        return metadata.version("pakta")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- backup ---------------------------------------------------------------------------------


def _dump_sqlite(target: Path) -> tuple[int, str]:
    """Copy the live database with SQLite's online backup API; return the copy's chain head."""
    source = sqlite3.connect(_sqlite_path())
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
        # A self-contained file: no -wal beside it is needed to read it.
        destination.execute("PRAGMA journal_mode=DELETE")
        try:
            row = destination.execute(
                f"SELECT seq, hash FROM {ChainHead._meta.db_table} WHERE id = 1"  # noqa: S608
            ).fetchone()
        except sqlite3.OperationalError:  # not migrated: no chain yet
            row = None
    finally:
        destination.close()
        source.close()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def _dump_postgresql(target: Path) -> tuple[int, str]:
    """pg_dump inside an exported repeatable-read snapshot, so the chain head read matches it."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    env = _pg_env()
    params = {
        "host": env.get("PGHOST"),
        "port": env.get("PGPORT"),
        "user": env.get("PGUSER"),
        "password": env.get("PGPASSWORD"),
        "dbname": env.get("PGDATABASE"),
        "sslmode": env.get("PGSSLMODE"),
    }
    conninfo = make_conninfo("", **{key: value for key, value in params.items() if value})
    with psycopg.connect(conninfo, autocommit=True) as pg:
        pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot_row = pg.execute("SELECT pg_export_snapshot()").fetchone()
        if snapshot_row is None:
            raise BackupError(_("PostgreSQL did not export a snapshot."))
        row = None
        if pg.execute("SELECT to_regclass(%s)", [ChainHead._meta.db_table]).fetchone() != (None,):
            row = pg.execute(
                f"SELECT seq, hash FROM {ChainHead._meta.db_table} WHERE id = 1"  # noqa: S608
            ).fetchone()
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot_row[0]}",
                f"--file={target}",
            ],
            env=env,
        )
        pg.execute("COMMIT")
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def _checkpoint_for_manifest() -> str:
    """Sign the tree as it stands (if it grew) and return the latest checkpoint's note; every
    backup then carries a witness of the log that an insider cannot reach afterwards."""
    from pakta.audit.checkpoints import CheckpointRefused, checkpoint_create, latest_checkpoint

    try:
        checkpoint_create()
    except CheckpointRefused:
        logger.exception("No checkpoint signed for the backup: the log does not verify")
    latest = latest_checkpoint()
    return latest.note if latest is not None else ""


def backup_create(*, output: Path | None = None) -> BackupResult:
    """Write one archive of the database, the document store and a manifest of hashes.

    ``output`` is a file name or an existing directory; by default ``var/backups/``. An existing
    file is never overwritten. The archive is written under a temporary name and renamed when
    complete, readable by its owner only (it holds password hashes and every document).
    """
    engine = _engine()
    if output is None:
        path = _default_output()
    elif output.is_dir():
        path = output / _default_output().name
    else:
        path = output
    if path.exists():
        raise BackupError(_("%(path)s already exists; choose another name.") % {"path": path})
    path.parent.mkdir(parents=True, exist_ok=True)
    if output is None:
        path.parent.chmod(0o700)

    checkpoint = _checkpoint_for_manifest()
    files: dict[str, dict[str, Any]] = {}
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="pakta-backup-", dir=path.parent) as tmp:
        if engine == "sqlite":
            member, dump = SQLITE_MEMBER, Path(tmp) / "pakta.sqlite3"
            head_seq, head_hash = _dump_sqlite(dump)
        else:
            member, dump = POSTGRES_MEMBER, Path(tmp) / "pakta.dump"
            head_seq, head_hash = _dump_postgresql(dump)
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with (
                os.fdopen(fd, "wb") as raw,
                tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar,
            ):
                with dump.open("rb") as handle:
                    files[member] = _add_file(tar, member, handle, dump.stat().st_size)
                for name in _storage_walk():
                    with default_storage.open(name, "rb") as handle:
                        files[MEDIA_PREFIX + name] = _add_file(
                            tar, MEDIA_PREFIX + name, handle, default_storage.size(name)
                        )
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": timezone.now().isoformat(),
                    "app_version": _app_version(),
                    "engine": engine,
                    "database": member,
                    "audit_chain_head": {"seq": head_seq, "hash": head_hash},
                    # A witness of the transparency log: a signed checkpoint the copy extends.
                    "audit_checkpoint": checkpoint,
                    "document_files": sum(1 for name in files if name.startswith(MEDIA_PREFIX)),
                    "files": files,
                }
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                _add_file(tar, MANIFEST, io.BytesIO(body), len(body))
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(path=path, manifest=manifest)


# --- restore --------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return (
        bool(name)
        and not pure.is_absolute()
        and ".." not in pure.parts
        and "\\" not in name
        and (name == MANIFEST or name.startswith((DATABASE_PREFIX, MEDIA_PREFIX)))
    )


def _refused(reason: str) -> BackupError:
    return BackupError(
        _("The archive was refused and nothing was changed: %(reason)s") % {"reason": reason}
    )


def _stage(archive: Path, staging: Path) -> dict[str, Any]:
    """Unpack into ``staging`` and check every member against the manifest; return it."""
    seen: dict[str, dict[str, Any]] = {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isreg() or not _safe_member_name(member.name):
                    raise _refused(
                        _("it holds an unexpected member %(name)s.") % {"name": member.name}
                    )
                if member.name in seen:
                    raise _refused(_("the member %(name)s appears twice.") % {"name": member.name})
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                if source is None:
                    raise _refused(_("its member %(name)s cannot be read.") % {"name": member.name})
                digest, size = hashlib.sha256(), 0
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[member.name] = {"sha256": digest.hexdigest(), "size": size}
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise _refused(
            _("it is not a readable backup archive (%(error)s).") % {"error": error}
        ) from error

    if MANIFEST not in seen:
        raise _refused(_("it has no manifest."))
    try:
        manifest = json.loads((staging / MANIFEST).read_text("utf-8"))
        listed: dict[str, dict[str, Any]] = manifest["files"]
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError("format")
        if manifest["database"] not in listed:
            raise ValueError("database")
    except (ValueError, KeyError, TypeError):
        raise _refused(_("its manifest is not a Pakta backup manifest.")) from None
    present = set(seen) - {MANIFEST}
    for name in sorted(present | set(listed)):
        if name not in listed:
            raise _refused(_("%(name)s is not listed in the manifest.") % {"name": name})
        if name not in present:
            raise _refused(_("%(name)s is listed in the manifest but missing.") % {"name": name})
        expected = listed[name]
        if (
            not isinstance(expected, dict)
            or expected.get("sha256") != seen[name]["sha256"]
            or expected.get("size") != seen[name]["size"]
        ):
            raise _refused(
                _("%(name)s does not match its SHA-256 in the manifest.") % {"name": name}
            )
    return manifest


def installation_has_data() -> bool:
    """Whether the configured database already holds Pemda, users, documents or audit events."""
    tables = set(connection.introspection.table_names())
    return any(
        model._meta.db_table in tables and model._default_manager.exists()
        for model in (Pemda, AuditEvent, ChainHead, User, Document)
    )


def _check_staged_database(engine: str, dump: Path) -> None:
    if engine == "sqlite":
        try:
            check = sqlite3.connect(dump)
            try:
                result = check.execute("PRAGMA integrity_check").fetchone()
            finally:
                check.close()
        except sqlite3.DatabaseError as error:
            result = (str(error),)
        if result != ("ok",):
            raise _refused(_("its database copy is damaged."))
    else:
        _run([_pg_tool("pg_restore"), "--list", str(dump)], env=dict(os.environ))


def _restore_sqlite(dump: Path) -> None:
    target = _sqlite_path()
    connections.close_all()
    incoming = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, incoming)
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(incoming, target)


def _restore_postgresql(dump: Path) -> None:
    env = _pg_env()
    connections.close_all()
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={env['PGDATABASE']}",
            str(dump),
        ],
        env=env,
    )


def _restore_documents(media: Path) -> None:
    if not media.is_dir():
        return
    for path in sorted(p for p in media.rglob("*") if p.is_file()):
        name = path.relative_to(media).as_posix()
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(
                _("The document %(name)s could not be restored under its own name.")
                % {"name": name}
            )


def backup_restore(*, archive: Path, force: bool = False) -> RestoreReport:
    """Restore an archive into this installation and verify the result.

    Refuses (``BackupError``, nothing changed) an archive whose members do not match the
    manifest, an archive of the other database engine, and - unless ``force`` - a database that
    already holds data. After restoring it recomputes the audit chain and every document hash;
    the report says whether both hold. Stop the web and task processes before restoring.
    """
    if connection.in_atomic_block:
        raise RuntimeError("backup_restore replaces the database; call it outside a transaction.")
    engine = _engine()
    if not archive.is_file():
        raise BackupError(_("The archive %(path)s does not exist.") % {"path": archive})
    if not force and installation_has_data():
        raise BackupError(
            _(
                "The database already holds data: restore into an empty installation, "
                "or pass --force to replace it."
            )
        )
    with tempfile.TemporaryDirectory(prefix="pakta-restore-", dir=settings.VAR_DIR) as tmp:
        staging = Path(tmp)
        manifest = _stage(archive, staging)
        if manifest.get("engine") != engine:
            raise _refused(
                _("it was made on %(archive)s and this installation runs %(engine)s.")
                % {"archive": manifest.get("engine"), "engine": engine}
            )
        dump = staging / manifest["database"]
        _check_staged_database(engine, dump)

        if engine == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
        _restore_documents(staging / MEDIA_PREFIX.rstrip("/"))

    chain = audit_chain_verify()
    failed, checked = [], 0
    for document, ok in document_verify_all():
        checked += 1
        if not ok:
            failed.append(document.sha256)
    head = ChainHead.objects.filter(pk=1).first()
    expected = manifest.get("audit_chain_head") or {}
    head_matches = (head.seq if head else 0, head.hash if head else GENESIS) == (
        expected.get("seq"),
        expected.get("hash"),
    )
    report = RestoreReport(
        manifest=manifest,
        chain=chain,
        documents_checked=checked,
        documents_failed=failed,
        head_matches=head_matches,
    )
    if report.ok:
        with transaction.atomic():
            audit_record(
                actor=None,
                action="core.backup.restored",
                summary={
                    "archive_created_at": manifest.get("created_at"),
                    "restored_seq": expected.get("seq"),
                    "engine": engine,
                },
            )
    return report
