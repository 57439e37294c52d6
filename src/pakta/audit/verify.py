"""``audit verify``: the whole log against every checkpoint it ever signed, and the audited rows
against the events that produced them.

The hash chain alone proves nothing against someone who can write to the database: they can
edit an event and recompute every later hash and the head. What they cannot do is sign a new
checkpoint without the log key, nor reach the copies of earlier checkpoints kept outside the
database (the witness file, mail, backup manifests, outside witnesses). So this module recomputes
the Merkle tree from the events as they are now and checks that every earlier checkpoint is a
prefix of it: an edit, deletion, reordering or insertion before a checkpoint changes its root,
and a truncation leaves a checkpoint larger than the tree.
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from pakta.audit import note
from pakta.audit.checkpoints import StoredNote, log_verifier, witness_file_notes
from pakta.audit.merkle import Node, TreeBuilder
from pakta.audit.models import AuditEvent, ChainHead, Checkpoint, MerkleNode
from pakta.audit.rows import ROW_FIELDS, current_row_states
from pakta.audit.selectors import ChainReport, audit_chain_verify
from pakta.audit.services import STORED_FROM_LEVEL, compute_hash, node_id


class SourceError(ValueError):
    """A checkpoint source (file, backup) that cannot be read at all."""


@dataclass
class LogReport:
    chain: ChainReport
    events: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems


# --- Where checkpoints are found ------------------------------------------------------------


def database_notes() -> Iterator[StoredNote]:
    for size, text in Checkpoint.objects.order_by("size").values_list("size", "note"):
        yield StoredNote(_("checkpoint %(size)d in the database") % {"size": size}, text)


def file_notes(path: Path) -> list[StoredNote]:
    """A file holding one signed checkpoint, or a witness file (one JSON record a line)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(
            _("%(path)s cannot be read: %(error)s") % {"path": path, "error": error}
        ) from None
    if text.lstrip().startswith("{"):
        return list(witness_file_notes(path))
    return [StoredNote(str(path), text)]


def backup_notes(path: Path) -> list[StoredNote]:
    """The checkpoint embedded in a backup archive's manifest."""
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest = json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise SourceError(
            _("%(path)s is not a Pakta backup with a manifest: %(error)s")
            % {"path": path, "error": error}
        ) from None
    text = manifest.get("audit_checkpoint") if isinstance(manifest, dict) else None
    if not text:
        return []
    return [StoredNote(_("the manifest of %(path)s") % {"path": path.name}, str(text))]


# --- The tree against the checkpoints --------------------------------------------------------


def _compare_nodes(batch: dict[int, bytes], problems: list[str]) -> None:
    from pakta.core.bulk import rows_matching

    stored = dict(rows_matching(MerkleNode, "id", list(batch), ("id", "hash")))
    for key, digest in batch.items():
        if key not in stored or bytes(stored[key]) != digest:
            problems.append(
                _(
                    "The stored tree node %(level)d/%(index)d differs from the events: proofs "
                    "served from it would be wrong."
                )
                % {"level": key & 63, "index": key >> 6}
            )
            return


def log_verify(
    *, extra: Iterable[StoredNote] = (), verifier: note.Verifier | None = None
) -> LogReport:
    """Recompute the chain and the tree; check every checkpoint (database, witness file and
    ``extra``) is a prefix of the tree of the events as they are now."""
    report = LogReport(chain=audit_chain_verify())
    verifier = verifier or log_verifier()
    checkpoints: list[tuple[str, note.Checkpoint]] = []
    for stored in [*database_notes(), *witness_file_notes(), *extra]:
        try:
            checkpoints.append((stored.source, note.verify_checkpoint(stored.note, verifier)))
        except note.NoteError as error:
            report.problems.append(
                _("%(source)s is not a valid checkpoint of this log: %(error)s")
                % {"source": stored.source, "error": error}
            )
    sizes = {checkpoint.size for _, checkpoint in checkpoints}
    roots: dict[int, bytes] = {}
    tree = TreeBuilder()
    batch: dict[int, bytes] = {}
    node_problems: list[str] = []
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=5000):
        completed: list[tuple[Node, bytes]] = tree.append(bytes.fromhex(compute_hash(event)))
        for (level, index), digest in completed:
            if level >= STORED_FROM_LEVEL:
                batch[node_id(level, index)] = digest
        if tree.size in sizes:
            roots[tree.size] = tree.root()
        if len(batch) >= 5000 and not node_problems:
            _compare_nodes(batch, node_problems)
            batch = {}
    if batch and not node_problems:
        _compare_nodes(batch, node_problems)
    report.events = tree.size
    report.problems += node_problems
    head = ChainHead.objects.filter(pk=1).first()
    if (
        head is not None
        and head.seq == tree.size
        and bytes(head.frontier) != b"".join(tree.frontier)
    ):
        report.problems.append(_("The head's Merkle frontier does not match the events."))
    roots[0] = TreeBuilder().root()
    for source, checkpoint in checkpoints:
        report.checkpoints += 1
        if checkpoint.size > tree.size:
            report.problems.append(
                _(
                    "%(source)s (signed %(time)s) covers %(size)d entries but the log holds "
                    "only %(now)d: entries were removed from the end."
                )
                % {
                    "source": source,
                    "time": checkpoint.time or "?",
                    "size": checkpoint.size,
                    "now": tree.size,
                }
            )
        elif roots[checkpoint.size] != checkpoint.root:
            report.problems.append(
                _(
                    "%(source)s (signed %(time)s) does not match the first %(size)d entries of the "
                    "log: an entry before it was edited, deleted, reordered or inserted, and the "
                    "hashes recomputed."
                )
                % {"source": source, "time": checkpoint.time or "?", "size": checkpoint.size}
            )
    return report


# --- Rows against their history --------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    label: str
    pk: str
    message: str


def rows_verify() -> tuple[int, list[RowProblem]]:
    """Every registered row's current state against the hash its latest event recorded."""
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    labels = list(ROW_FIELDS)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    marks = ", ".join(["%s"] * len(labels))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT object_type, object_id, seq, row_hash FROM {table} "  # noqa: S608
            f"WHERE row_hash <> '' AND object_type IN ({marks}) ORDER BY seq",
            labels,
        )
        for object_type, object_id, seq, row_hash in cursor.fetchall():
            latest[(object_type, object_id)] = (int(seq), row_hash)
    checked, problems = 0, []
    for label in labels:
        for row in current_row_states(label):
            checked += 1
            recorded = latest.get((label, row.pk))
            if recorded is None:
                problems.append(
                    RowProblem(label, row.pk, _("no audit event records how it came to be"))
                )
            elif recorded[1] != row.hash:
                problems.append(
                    RowProblem(
                        label,
                        row.pk,
                        _("changed outside the app after audit event #%(seq)d")
                        % {"seq": recorded[0]},
                    )
                )
    return checked, problems
