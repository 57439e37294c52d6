"""Import of units, positions and officials from HR exports (CSV, XLSX, XLS, ODS).

The steps, each a service:

1. ``import_job_create`` checks the file, finds the sheet and the header row wherever they are
   and recognises the columns (or uses the mapping chosen last time for the same headers);
   unknown headers wait for ``import_job_map``.
2. The task ``import_job_run`` checks every row and computes a preview of what the import will
   do, writing nothing (status ``preview``).
3. ``import_job_confirm`` (with the mode, the unit choices and the options chosen on the preview)
   queues the same task again, which checks the rows once more and applies them in one
   transaction. ``import_job_cancel`` drops a waiting job; ``import_job_undo`` reverts a
   confirmed one within 24 hours if nothing has changed those rows since.

Re-importing the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pakta.audit.models import AuditEvent
from pakta.audit.rows import row_values_hash
from pakta.audit.selectors import audit_changed_since, audit_head_seq
from pakta.audit.services import PendingEvent, audit_record, audit_record_many
from pakta.core.bulk import allocate_ids, bulk_insert, db_datetime, gc_paused, rows_matching
from pakta.core.documents import document_read, document_store
from pakta.core.errors import DomainError
from pakta.core.exports import rows_to_xlsx
from pakta.core.templatetags.pakta import format_waktu
from pakta.org import hooks
from pakta.org.import_files import CONTENT_TYPES, Header, Source, find_header, header_key
from pakta.org.import_files import read_rows as read_rows
from pakta.org.import_values import (
    FIELDS,
    LEFT,
    LOST_DIGITS_RE,
    REQUIRED,
    clean,
    clean_nip,
    normalize_golongan,
    parse_date,
    parse_legal_status,
    parse_level,
    recognise,
    split_titles,
)
from pakta.org.import_values import guess_mapping as guess_mapping
from pakta.org.models import Assignment, ImportJob, Official, Pemda, Position, Unit
from pakta.org.nip import check_nip

TEMPLATE_HEADERS = [
    "NIP",
    "NAMA",
    "GELAR DEPAN",
    "GELAR BELAKANG",
    "GOLONGAN",
    "JABATAN",
    "ESELON/JENJANG",
    "UNIT KERJA",
    "UNIT INDUK",
    "EMAIL",
    "TMT JABATAN",
]
TEMPLATE_EXAMPLE = [
    "198503142010011002",
    "Budi Santoso",
    "",
    "S.E.",
    "Penata (III/c)",
    "Kepala Sub Bagian Umum",
    "IV",
    "Sekretariat Dinas Pendidikan",
    "Dinas Pendidikan",
    "budi@example.go.id",
    "2024-01-02",
]
PROGRESS_EVERY = 2000  # rows between progress updates, at most one a second
MIB = 1024 * 1024
EXPIRE_AFTER = dt.timedelta(hours=48)
UNDO_WITHIN = dt.timedelta(hours=24)
PREVIEW_LIST = 200  # units, positions and heads listed on the preview (all are counted)
SUGGEST_CUTOFF = 88

# Why a row is refused, grouped on the result page ("18.437 baris: eselon tidak dikenal").
CAUSES = {
    "nip": gettext_lazy("invalid NIP"),
    "nip_number": gettext_lazy("NIP stored as a number"),
    "nip_repeated": gettext_lazy("NIP repeated in the file"),
    "nip_elsewhere": gettext_lazy("NIP registered in another Pemda"),
    "name": gettext_lazy("name empty"),
    "position": gettext_lazy("position empty"),
    "unit": gettext_lazy("unit empty"),
    "level": gettext_lazy("eselon/level not known"),
    "date": gettext_lazy("start date not a date"),
    "email": gettext_lazy("e-mail address not valid"),
    "history": gettext_lazy("new position starts before the current one"),
    "head_taken": gettext_lazy("head of unit post already held"),
}


def size_text(size: int) -> str:
    """A size in MB the way people read it (20 MB, 10,5 MB), counting 1 MB as 1024 x 1024 bytes."""
    value = size / MIB
    if value >= 10 or float(value).is_integer():
        return f"{formats.number_format(round(value))} MB"
    return f"{formats.number_format(round(value, 1), 1)} MB"


def too_large_error() -> DomainError:
    return DomainError(
        _("The file is larger than the limit of %(limit)s.")
        % {"limit": size_text(settings.PAKTA_IMPORT_MAX_BYTES)}
    )


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, refused as soon as it passes the size limit.

    Read chunk by chunk: a file over the limit is never held whole in memory.
    """
    limit = settings.PAKTA_IMPORT_MAX_BYTES
    if getattr(upload, "size", 0) and upload.size > limit:
        raise too_large_error()
    buffer = bytearray()
    for chunk in upload.chunks():
        buffer += chunk
        if len(buffer) > limit:
            raise too_large_error()
    return bytes(buffer)


# --- Finding the data --------------------------------------------------------------------------


def _signature(names: list[str]) -> str:
    return hashlib.sha256("\x1f".join(header_key(n) for n in names).encode()).hexdigest()


def _detect(source: Source, sheet: str | None) -> tuple[Header, list[dict[str, Any]]]:
    """The header of each sheet; the chosen sheet's (``sheet``, or the most recognised)."""
    found: list[Header] = []
    for name in source.sheet_names:
        header = find_header(source.head(name), name, recognise, REQUIRED)
        if header is not None:
            found.append(header)
    if not found:
        if len(source.sheet_names) > 1:
            raise DomainError(
                _("No sheet of the file (%(sheets)s) has a header row naming its columns.")
                % {"sheets": ", ".join(source.sheet_names)}
            )
        raise DomainError(_("The file has no header row."))
    sheets = [
        {"name": h.sheet, "qualifies": h.required_found == len(REQUIRED), "line": h.line}
        for h in found
    ]
    if sheet:
        chosen = next((h for h in found if h.sheet == sheet), None)
        if chosen is None:
            raise DomainError(
                _("The sheet %(sheet)s has no header row naming its columns.") % {"sheet": sheet}
            )
    else:
        chosen = max(found, key=lambda h: h.score)
    return chosen, sheets


def _data_rows(
    source: Source, sheet: str, header_line: int, *, strip: bool = True
) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of the rows after the header, blank rows included (the line counts)."""
    for line, row in enumerate(source.rows(sheet, strip=strip), start=1):
        if line > header_line:
            yield line, row


def _has_data(source: Source, header: Header) -> bool:
    return any(any(row) for _line, row in _data_rows(source, header.sheet, header.line))


# --- Services ----------------------------------------------------------------------------------


def import_jobs_expire(*, pemda: Pemda | None = None) -> int:
    """Jobs left waiting (for a mapping or a confirmation) for 48 hours expire; nothing was written."""
    jobs = ImportJob.objects.filter(
        status__in=[ImportJob.Status.MAPPING, ImportJob.Status.PREVIEW],
        updated_at__lt=timezone.now() - EXPIRE_AFTER,
    )
    if pemda is not None:
        jobs = jobs.filter(pemda=pemda)
    return jobs.update(status=ImportJob.Status.EXPIRED, finished_at=timezone.now())


@transaction.atomic
def import_job_create(
    *,
    pemda: Pemda,
    file_name: str,
    content: bytes,
    acting_user: Any,
    mode: str = ImportJob.Mode.ALL_OR_NOTHING,
    effective_date: dt.date | None = None,
    enqueue: bool = True,
    sheet: str | None = None,
) -> ImportJob:
    """Check an uploaded HR export, store it and queue its check (or wait for a column mapping).

    With ``enqueue=False`` the caller runs ``import_job_run`` itself (command, benchmarks).
    """
    if len(content) > settings.PAKTA_IMPORT_MAX_BYTES:
        raise too_large_error()
    if not content.strip():
        raise DomainError(_("The file is empty."))
    source = Source(file_name, content)
    header, sheets = _detect(source, sheet)
    if not _has_data(source, header):
        raise DomainError(_("The file has a header row but no data rows."))
    signature = _signature(header.names)
    mapping, chosen = dict(header.mapping), False
    remembered = (
        ImportJob.objects.filter(pemda=pemda, signature=signature, mapping_chosen=True)
        .order_by("-created_at")
        .values_list("mapping", flat=True)
        .first()
    )
    if remembered:
        mapping = {k: v for k, v in remembered.items() if k in FIELDS and v in header.names}
        chosen = True
    complete = all(key in mapping for key in REQUIRED)
    document = document_store(
        content=content, content_type=CONTENT_TYPES[source.kind], original_name=file_name
    )
    job = ImportJob.objects.create(
        pemda=pemda,
        created_by=acting_user,
        document=document,
        file_name=file_name[:255],
        mode=mode,
        headers=header.names,
        mapping=mapping,
        mapping_chosen=chosen,
        signature=signature,
        sheet=header.sheet[:100],
        sheets=sheets,
        header_line=header.line,
        header_height=header.height,
        options={"encoding": source.encoding, "delimiter": source.delimiter},
        effective_date=effective_date or timezone.localdate(),
        status=ImportJob.Status.QUEUED if complete else ImportJob.Status.MAPPING,
    )
    audit_record(
        actor=acting_user,
        action="org.import.uploaded",
        obj=job,
        summary={"sha256": document.sha256, "rows_file": file_name[:80], "sheet": job.sheet},
    )
    if complete and enqueue:
        _enqueue(job)
    return job


WAITING = (ImportJob.Status.MAPPING, ImportJob.Status.PREVIEW)


@transaction.atomic
def import_job_map(
    *, job: ImportJob, mapping: dict[str, str], acting_user: Any, enqueue: bool = True
) -> ImportJob:
    """Set which column holds which field, then check the rows again (remembered next time)."""
    if job.status not in WAITING:
        raise DomainError(_("This import is not waiting for a column mapping."))
    clean_mapping = {
        key: header for key, header in mapping.items() if key in FIELDS and header in job.headers
    }
    missing = [str(FIELDS[key][0]) for key in REQUIRED if key not in clean_mapping]
    if missing:
        raise DomainError(_("Choose a column for: %(fields)s.") % {"fields": ", ".join(missing)})
    used = list(clean_mapping.values())
    if len(used) != len(set(used)):
        raise DomainError(_("Each column can be used for one field only."))
    job.mapping = clean_mapping
    job.mapping_chosen = True
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["mapping", "mapping_chosen", "status", "updated_at"])
    audit_record(actor=acting_user, action="org.import.mapped", obj=job, summary=clean_mapping)
    if enqueue:
        _enqueue(job)
    return job


@transaction.atomic
def import_job_choose_sheet(
    *, job: ImportJob, sheet: str, acting_user: Any, enqueue: bool = True
) -> ImportJob:
    """Read another sheet of the same file (when several hold a header)."""
    if job.status not in WAITING:
        raise DomainError(_("This import can no longer be changed."))
    source = Source(job.file_name, document_read(job.document))
    header, sheets = _detect(source, sheet)
    if not _has_data(source, header):
        raise DomainError(
            _("The sheet %(sheet)s has a header row but no data rows.") % {"sheet": sheet}
        )
    complete = all(key in header.mapping for key in REQUIRED)
    job.sheet, job.sheets = header.sheet, sheets
    job.header_line, job.header_height = header.line, header.height
    job.headers, job.mapping, job.mapping_chosen = header.names, header.mapping, False
    job.signature = _signature(header.names)
    job.errors, job.preview = [], {}
    job.status = ImportJob.Status.QUEUED if complete else ImportJob.Status.MAPPING
    job.save()
    audit_record(
        actor=acting_user, action="org.import.sheet_chosen", obj=job, summary={"sheet": sheet}
    )
    if complete and enqueue:
        _enqueue(job)
    return job


@transaction.atomic
def import_job_confirm(
    *,
    job: ImportJob,
    acting_user: Any,
    mode: str | None = None,
    end_missing: bool = False,
    unit_choices: dict[str, int | None] | None = None,
    enqueue: bool = True,
) -> ImportJob:
    """Apply a previewed import, with the mode and choices made on the preview.

    All or nothing with invalid rows rejects the import at once: nothing is written.
    """
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.PREVIEW:
        raise DomainError(_("This import is not waiting for a confirmation."))
    job.mode = mode or job.mode
    known = {u["key"] for u in job.preview.get("units_new", [])}
    ids = set(Unit.objects.filter(pemda=job.pemda_id).values_list("pk", flat=True))
    choices = {k: v for k, v in (unit_choices or {}).items() if k in known and v in ids}
    job.options = {**job.options, "end_missing": bool(end_missing), "unit_choices": choices}
    job.confirmed_at = timezone.now()
    if job.errors and job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        job.status = ImportJob.Status.REJECTED
        job.summary = {
            "valid_rows": job.preview.get("valid_rows", 0),
            "invalid_rows": len(job.errors),
        }
        job.finished_at = timezone.now()
        job.save()
        audit_record(actor=acting_user, action="org.import.rejected", obj=job, summary=job.summary)
        return job
    job.status = ImportJob.Status.CONFIRMED
    job.save()
    audit_record(
        actor=acting_user,
        action="org.import.confirmed",
        obj=job,
        summary={"mode": job.mode, "end_missing": bool(end_missing), "unit_choices": choices},
    )
    if enqueue:
        _enqueue(job)
    return job


@transaction.atomic
def import_job_cancel(*, job: ImportJob, acting_user: Any) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in (*WAITING, ImportJob.Status.QUEUED):
        raise DomainError(_("Only an import that is still waiting can be cancelled."))
    job.status = ImportJob.Status.CANCELLED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "updated_at"])
    audit_record(actor=acting_user, action="org.import.cancelled", obj=job, summary={})
    return job


def _enqueue(job: ImportJob) -> None:
    from pakta.org.tasks import import_job_run_task

    transaction.on_commit(lambda: import_job_run_task.enqueue(job.pk))


# --- Checking rows -----------------------------------------------------------------------------


@dataclass(slots=True)
class RowPlan:
    line: int
    nip: str
    name: str
    unit_chain: tuple[str, ...]
    position_title: str
    level: str
    start_date: dt.date | None
    leaving: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def unit_key(self) -> str:
        return chain_key(self.unit_chain)


@lru_cache(maxsize=65536)
def chain_key(chain: tuple[str, ...]) -> str:
    return "\x1f".join(name.lower() for name in chain)


def _error(line: int, nip: str, items: list[tuple[str, str, str, str]]) -> dict[str, Any]:
    return {
        "line": line,
        "nip": nip[:18],
        "reasons": [i[2] for i in items],
        "columns": [i[0] for i in items],
        "values": [i[1] for i in items],
        "causes": [i[3] for i in items],
    }


@lru_cache(maxsize=65536)
def _unit_chain(opd: str, parent: str, unit: str, sub_unit: str) -> tuple[str, ...]:
    chain: list[str] = []
    for name in (opd, parent, unit, sub_unit):
        name = name[:200]
        if name and name != "-" and (not chain or chain[-1].lower() != name.lower()):
            chain.append(name)
    return tuple(chain[-3:])


CODED = {"level", "job_type", "start_date", "legal_status", "golongan"}


@lru_cache(maxsize=8192)
def _level_of(raw: str, job_type: str) -> tuple[str, str | None]:
    text = clean(raw)
    return text, parse_level(text, clean(job_type))


@lru_cache(maxsize=16384)
def _date_of(raw: str) -> tuple[str, dt.date | None]:
    text = clean(raw)
    return text, parse_date(text) if text else None


@lru_cache(maxsize=1024)
def _legal_of(raw: str) -> str:
    return parse_legal_status(clean(raw))


@lru_cache(maxsize=4096)
def _golongan_of(raw: str) -> str:
    return normalize_golongan(clean(raw))


# Columns whose values repeat over thousands of rows (units, positions): each distinct value is
# cleaned once per import. Names, NIPs and e-mail addresses are cleaned cell by cell.
REPEATING = {"position", "unit", "opd", "parent_unit", "sub_unit"}


def _validate_rows(
    job: ImportJob, rows: Iterator[tuple[int, list[str]]], index: dict[str, int]
) -> tuple[list[RowPlan], list[dict[str, Any]]]:
    plans: list[RowPlan] = []
    errors: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    today = timezone.localdate()
    headers = dict(job.mapping)
    split = "front_title" not in index and "back_title" not in index

    # Coded fields repeat a few values over thousands of rows: they are cleaned and parsed once
    # per distinct value (the cached functions above); the other cells are cleaned here.
    columns = [(k, c, k in REPEATING) for k, c in index.items() if k != "nip" and k not in CODED]
    coded = [(k, c) for k, c in index.items() if k in CODED]
    empty = dict.fromkeys(FIELDS, "")
    cleaned: dict[str, str] = {}
    nip_column = index["nip"]
    pelaksana = str(Position.Level.PELAKSANA)
    reported = time.monotonic()

    for line, row in rows:
        if not "".join(row).strip():
            continue
        width = len(row)
        # Each mapped cell cleaned once; unmapped fields read as empty.
        cells = empty.copy()
        for key, column, repeats in columns:
            if column < width and (value := row[column]):
                if repeats:
                    text = cleaned.get(value)
                    if text is None:
                        text = cleaned[value] = clean(value)
                    cells[key] = text
                else:
                    cells[key] = clean(value)
        for key, column in coded:
            if column < width:
                cells[key] = row[column]
        # (column key, value, message, cause) of each problem of the row.
        problems: list[tuple[str, str, str, str]] = []
        raw_nip = row[nip_column] if nip_column < width else ""
        nip = clean_nip(raw_nip)
        try:
            if LOST_DIGITS_RE.match(nip):
                problems.append(
                    (
                        "nip",
                        nip,
                        _(
                            "The NIP %(value)s was stored as a number and has lost its last digits; format the NIP column as text and type the NIPs again."
                        )
                        % {"value": nip},
                        "nip_number",
                    )
                )
            else:
                check_nip(nip.strip().replace(" ", ""), today=today)
        except ValidationError as error:
            problems.append(("nip", raw_nip.strip(), error.messages[0], "nip"))
        else:
            first = seen.setdefault(nip, line)
            if first != line:
                problems.append(
                    (
                        "nip",
                        nip,
                        _("The NIP %(nip)s also appears on line %(line)d.")
                        % {"nip": nip, "line": first},
                        "nip_repeated",
                    )
                )
        name, title, unit_name = cells["name"], cells["position"], cells["unit"]
        if not name:
            problems.append(("name", "", _("The name is empty."), "name"))
        if not title:
            problems.append(("position", "", _("The position is empty."), "position"))
        if not unit_name:
            problems.append(("unit", "", _("The unit is empty."), "unit"))
        level_text, level = _level_of(cells["level"], cells["job_type"])
        if level is None:
            problems.append(
                (
                    "level",
                    level_text,
                    _("The eselon/level %(value)s is not known.") % {"value": level_text},
                    "level",
                )
            )
        start_text, start = _date_of(cells["start_date"])
        if start_text and start is None:
            problems.append(
                (
                    "start_date",
                    start_text,
                    _(
                        "The start date %(value)s is not a date (use DD-MM-YYYY, YYYY-MM-DD or 1 Desember 2020)."
                    )
                    % {"value": start_text},
                    "date",
                )
            )
        email = cells["email"]
        if email and "@" not in email:
            problems.append(
                (
                    "email",
                    email,
                    _("The e-mail address %(value)s is not valid.") % {"value": email},
                    "email",
                )
            )
        if problems:
            items = [
                (headers.get(key, ""), value[:80], message, cause)
                for key, value, message, cause in problems
            ]
            errors.append(_error(line, nip, items))
        else:
            front, back = cells["front_title"], cells["back_title"]
            if split:
                front, name, back = split_titles(name)
            plans.append(
                RowPlan(
                    line=line,
                    nip=nip,
                    name=name[:150],
                    unit_chain=_unit_chain(
                        cells["opd"], cells["parent_unit"], unit_name, cells["sub_unit"]
                    ),
                    position_title=title[:200],
                    level=level or pelaksana,
                    start_date=start,
                    leaving=_legal_of(cells["legal_status"]) == LEFT,
                    extra={
                        "golongan": _golongan_of(cells["golongan"]),
                        "front_title": front[:40],
                        "back_title": back[:60],
                        "email": email[:254],
                    },
                )
            )
        if line % PROGRESS_EVERY == 0 and (moment := time.monotonic()) - reported >= 1:
            # Each update is a commit of its own (the progress bar reads it while this runs).
            reported = moment
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=line - job.header_line)
    return plans, errors


class _UnitIndex:
    """A Pemda's units by (parent name, name), and by name alone for files without the parent;
    the user's choices ("this new name is that existing unit") first."""

    def __init__(self, pemda: Pemda, choices: dict[str, int] | None = None) -> None:
        self.by_key: dict[tuple[str, str], Unit] = {}
        self.by_name: dict[str, list[Unit]] = {}
        self.by_id: dict[int, Unit] = {}
        self.choices = choices or {}
        self._found: dict[tuple[str, ...], Unit | None] = {}
        self.refs: dict[tuple[str, ...], Any] = {}
        for unit in Unit.objects.filter(pemda=pemda).select_related("parent"):
            self.add(unit)

    def add(self, unit: Unit) -> None:
        parent_name = unit.parent.name.lower() if unit.parent else ""
        self.by_key[(parent_name, unit.name.lower())] = unit
        self.by_name.setdefault(unit.name.lower(), []).append(unit)
        self.by_id[unit.pk] = unit
        self._found.clear()
        self.refs.clear()

    def find(self, parent_name: str, name: str) -> Unit | None:
        unit = self.by_key.get((parent_name.lower(), name.lower()))
        if unit is None and not parent_name:
            # A row naming only its unit means the one unit of that name anywhere in the tree.
            same_name = self.by_name.get(name.lower(), [])
            unit = same_name[0] if len(same_name) == 1 else None
        return unit

    def find_chain(self, chain: tuple[str, ...]) -> Unit | None:
        if chain not in self._found:
            self._found[chain] = self._find_chain(chain)
        return self._found[chain]

    def _find_chain(self, chain: tuple[str, ...]) -> Unit | None:
        chosen = self.choices.get(chain_key(chain))
        if chosen:
            return self.by_id.get(chosen)
        found = self.find(chain[-2] if len(chain) > 1 else "", chain[-1])
        if found is None and len(chain) > 1:
            # The parent may have been chosen as an existing unit of another name.
            parent = self.find_chain(chain[:-1])
            if parent is not None:
                found = self.find(parent.name, chain[-1])
        return found


RANK: dict[str, int] = {str(level): rank for rank, level in enumerate(Position.STRUCTURAL_LEVELS)}


def decide_heads(
    units: dict[Any, dict[str, str]], top_level: set[Any], has_head: set[Any]
) -> set[tuple[Any, str]]:
    """Which positions head their unit, by evidence: the one structural post of the highest
    level in the unit (an OPD's head is at least Administrator). The word "Kepala" is not
    evidence: a flat export files Kepala Bidang and Kepala Seksi under the OPD itself.

    ``units`` maps each unit to its positions' titles (lower case) and levels.
    """
    heads = set()
    for unit, positions in units.items():
        if unit in has_head:
            continue
        ranked = [(RANK[level], title) for title, level in positions.items() if level in RANK]
        if not ranked:
            continue
        best = min(rank for rank, _title in ranked)
        top = [title for rank, title in ranked if rank == best]
        if len(top) != 1:
            continue
        if unit in top_level and best > RANK[Position.Level.ADMINISTRATOR]:
            continue
        heads.add((unit, top[0]))
    return heads


@dataclass
class Prepared:
    """Everything checked and resolved for an import, before anything is written."""

    plans: list[RowPlan]
    errors: list[dict[str, Any]]
    units: _UnitIndex
    positions: dict[tuple[int, str], Position]
    heads: set[tuple[Any, str]]
    existing: dict[str, Official]
    current: dict[int, Assignment]
    missing: list[Assignment]
    preview: dict[str, Any]
    total: int


def _unit_ref(units: _UnitIndex, chain: tuple[str, ...]) -> Any:
    """An existing unit's id, or the key of the names of a unit still to create."""
    ref = units.refs.get(chain)
    if ref is None:
        unit = units.find_chain(chain)
        ref = units.refs[chain] = unit.pk if unit is not None else chain_key(chain)
    return ref


# The rows checked for the preview, kept in this process for the confirmation that usually
# follows (the same file, mapping and sheet give the same rows).
_CHECKED: dict[tuple[Any, ...], tuple[list[RowPlan], list[dict[str, Any]]]] = {}
# The preview's resolution against the database, with the audit chain's head when it began: the
# confirmation reuses it when no unit, position, official or assignment (in any Pemda: NIPs are
# checked against the others) has recorded a change since, and checks everything again if one has.
_RESOLVED: dict[tuple[Any, ...], tuple[int, Prepared]] = {}
ORG_ROWS = ["org.unit", "org.position", "org.official", "org.assignment"]


def _cache_key(job: ImportJob) -> tuple[Any, ...]:
    return (
        job.pk,
        job.document_id,
        job.sheet,
        job.header_line,
        tuple(sorted(job.mapping.items())),
        timezone.localdate(),
    )


def _checked_rows(job: ImportJob) -> tuple[list[RowPlan], list[dict[str, Any]]]:
    key = _cache_key(job)
    if (hit := _CHECKED.pop(key, None)) is not None:
        return list(hit[0]), [dict(e) for e in hit[1]]
    source = Source(job.file_name, document_read(job.document))
    index = {k: job.headers.index(h) for k, h in job.mapping.items() if h in job.headers}
    ImportJob.objects.filter(pk=job.pk).update(
        total_rows=max(source.estimate_rows(job.sheet) - job.header_line, 0), processed_rows=0
    )
    rows = _data_rows(source, job.sheet, job.header_line, strip=False)
    plans, errors = _validate_rows(job, rows, index)
    _CHECKED.clear()
    _CHECKED[key] = (list(plans), [dict(e) for e in errors])
    return plans, errors


def _preview_prepare(job: ImportJob) -> Prepared:
    """Check and resolve the rows for the preview; keep the result for the confirmation."""
    since = audit_head_seq()  # before the first read: a change made meanwhile has a later seq
    prepared = _prepare(job)
    _RESOLVED.clear()
    if not job.options.get("unit_choices"):
        _RESOLVED[_cache_key(job)] = (since, prepared)
    return prepared


def _confirm_prepare(job: ImportJob) -> Prepared:
    """The preview's resolution when nothing it read has changed since, else everything again."""
    hit = _RESOLVED.pop(_cache_key(job), None)
    if hit is None or job.options.get("unit_choices") or audit_changed_since(hit[0], ORG_ROWS):
        return _prepare(job, preview=False)
    _CHECKED.pop(_cache_key(job), None)
    prepared = hit[1]
    # The preview lists the assignments missing from the file; they end only when asked.
    missing = prepared.missing if job.options.get("end_missing") else []
    return replace(prepared, missing=missing, preview={})


def _prepare(job: ImportJob, *, preview: bool = True) -> Prepared:
    """Read and check every row, then resolve it against the database, writing nothing."""
    plans, errors = _checked_rows(job)
    total = len(plans) + len(errors)
    pemda = job.pemda
    units = _UnitIndex(pemda, job.options.get("unit_choices"))

    # Officials already registered: here (to update or move) or in another Pemda (refused).
    nips = [plan.nip for plan in plans]
    elsewhere: set[str] = set()
    here: list[int] = []
    for start in range(0, len(nips), 5000):
        for nip, pemda_id, official_id in rows_matching(
            Official, "nip", nips[start : start + 5000], ("nip", "pemda_id", "id")
        ):
            if pemda_id == pemda.pk:
                here.append(official_id)
            else:
                elsewhere.add(nip)
    existing: dict[str, Official] = {}
    current: dict[int, Assignment] = {}
    for start in range(0, len(here), 5000):
        chunk = here[start : start + 5000]
        existing.update({o.nip: o for o in Official.objects.filter(pk__in=chunk)})
        current.update(
            {
                a.official_id: a
                for a in Assignment.objects.filter(
                    end_date__isnull=True, kind=Assignment.Kind.DEFINITIVE, official_id__in=chunk
                ).select_related("position")
            }
        )
    positions = {(p.unit_id, p.title.lower()): p for p in Position.objects.filter(pemda=pemda)}
    heads_here = {(p.unit_id, p.title.lower()) for p in positions.values() if p.is_unit_head}

    refused: dict[int, tuple[str, str, str]] = {}
    for plan in plans:
        if plan.nip in elsewhere:
            refused[plan.line] = (
                "nip_elsewhere",
                plan.nip,
                _(
                    "This NIP is registered in another Pemda; ask its administrator to transfer the official."
                ),
            )
            continue
        official = existing.get(plan.nip)
        assignment = current.get(official.pk) if official else None
        if assignment is None or plan.leaving:
            continue
        unit = units.find_chain(plan.unit_chain)
        moves = (
            unit is None
            or unit.pk != assignment.position.unit_id
            or plan.position_title.lower() != assignment.position.title.lower()
        )
        if moves and (plan.start_date or job.effective_date) <= assignment.start_date:
            refused[plan.line] = (
                "history",
                plan.start_date.isoformat() if plan.start_date else "",
                _(
                    "The new position must start after the current one (%(date)s); give the date in a TMT JABATAN column or choose a later date of position changes."
                )
                % {"date": formats.date_format(assignment.start_date, "j F Y")},
            )
    plans = [p for p in plans if p.line not in refused or _refuse(p, refused, errors, job)]

    # Heads of units, decided by evidence, and head posts that would get a second holder.
    by_unit: dict[Any, dict[str, str]] = {}
    top_level: set[Any] = set()
    for plan in plans:
        if plan.leaving:
            continue
        ref = _unit_ref(units, plan.unit_chain)
        by_unit.setdefault(ref, {})[plan.position_title.lower()] = plan.level
        found = units.by_id.get(ref) if isinstance(ref, int) else None
        if (found is None and len(plan.unit_chain) == 1) or (found and found.parent_id is None):
            top_level.add(ref)
    has_head = {unit_id for unit_id, _title in heads_here}
    heads = {
        (ref, title)
        for ref, title in decide_heads(by_unit, top_level, has_head)
        if not (isinstance(ref, int) and (ref, title) in positions)
    }
    head_keys = heads | heads_here
    holders: dict[tuple[Any, str], tuple[str, str]] = {}
    if heads_here:
        for nip, name, unit_id, title in Assignment.objects.filter(
            pemda=pemda,
            end_date__isnull=True,
            kind=Assignment.Kind.DEFINITIVE,
            position__is_unit_head=True,
        ).values_list("official__nip", "official__name", "position__unit_id", "position__title"):
            holders[(unit_id, title.lower())] = (nip, name)
    target: dict[str, tuple[Any, str]] = {}
    for plan in plans:
        if not plan.leaving:
            target[plan.nip] = (_unit_ref(units, plan.unit_chain), plan.position_title.lower())
    taken: dict[tuple[Any, str], int] = {}
    for plan in plans:
        key = target.get(plan.nip)
        if key is None or key not in head_keys:
            continue
        holder = holders.get(key)
        if holder and holder[0] != plan.nip and target.get(holder[0], key) == key:
            refused[plan.line] = (
                "head_taken",
                plan.position_title,
                _(
                    "The post %(title)s heads its unit and is held by %(name)s (NIP %(nip)s); end that assignment first or include the move in the file."
                )
                % {"title": plan.position_title, "name": holder[1], "nip": holder[0]},
            )
        elif key in taken:
            refused[plan.line] = (
                "head_taken",
                plan.position_title,
                _("The post %(title)s heads its unit and is also given on line %(line)d.")
                % {"title": plan.position_title, "line": taken[key]},
            )
        else:
            taken[key] = plan.line
    plans = [p for p in plans if p.line not in refused or _refuse(p, refused, errors, job)]
    errors.sort(key=lambda e: e["line"])

    missing: list[Assignment] = []
    if job.options.get("end_missing") or job.status in (
        ImportJob.Status.QUEUED,
        ImportJob.Status.RUNNING,
    ):
        in_file = {plan.nip for plan in plans} | {e["nip"] for e in errors}
        missing = [
            a
            for a in Assignment.objects.filter(
                pemda=pemda, end_date__isnull=True, kind=Assignment.Kind.DEFINITIVE
            ).select_related("official", "position")
            if a.official.nip not in in_file
        ]
    summary = (
        _preview(job, plans, errors, units, positions, heads, existing, current, missing)
        if preview
        else {}
    )
    return Prepared(
        plans=plans,
        errors=errors,
        units=units,
        positions=positions,
        heads=heads,
        existing=existing,
        current=current,
        missing=missing,
        preview=summary,
        total=total,
    )


def _refuse(
    plan: RowPlan,
    refused: dict[int, tuple[str, str, str]],
    errors: list[dict[str, Any]],
    job: ImportJob,
) -> bool:
    cause, value, message = refused[plan.line]
    column = {"history": "start_date", "head_taken": "position"}.get(cause, "nip")
    errors.append(
        _error(plan.line, plan.nip, [(job.mapping.get(column, ""), value, message, cause)])
    )
    return False


def _suggest(name: str, units: _UnitIndex) -> list[dict[str, Any]]:
    """Existing units whose name is close to a new one ("Dinas Pekerjaan Umum" -> "... dan
    Penataan Ruang"), best first."""
    from rapidfuzz import fuzz, process, utils

    names = {unit.pk: unit.name for unit in units.by_id.values()}
    found = process.extract(
        name,
        names,
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=SUGGEST_CUTOFF,
        limit=5,
    )
    suggestions = []
    for unit_name, score, unit_id in found:
        if fuzz.ratio(name, unit_name, processor=utils.default_process) >= 50:
            suggestions.append({"id": unit_id, "name": unit_name, "score": round(score)})
    return suggestions[:3]


def _preview(
    job: ImportJob,
    plans: list[RowPlan],
    errors: list[dict[str, Any]],
    units: _UnitIndex,
    positions: dict[tuple[int, str], Position],
    heads: set[tuple[Any, str]],
    existing: dict[str, Official],
    current: dict[int, Assignment],
    missing: list[Assignment],
) -> dict[str, Any]:
    counts = Counter[str]()
    units_new: dict[str, dict[str, Any]] = {}
    positions_new: dict[tuple[Any, str], dict[str, Any]] = {}
    heads_new = []
    for plan in plans:
        official = existing.get(plan.nip)
        if plan.leaving:
            counts["leaving" if official and official.pk in current else "leaving_unknown"] += 1
            continue
        unit = units.find_chain(plan.unit_chain)
        if unit is None:
            for depth in range(1, len(plan.unit_chain) + 1):
                chain = plan.unit_chain[:depth]
                key = chain_key(chain)
                if key not in units_new and units.find_chain(chain) is None:
                    units_new[key] = {
                        "key": key,
                        "name": chain[-1],
                        "path": " / ".join(chain),
                        "rows": 0,
                    }
            units_new[plan.unit_key]["rows"] += 1
        ref = unit.pk if unit is not None else plan.unit_key
        position = positions.get((unit.pk, plan.position_title.lower())) if unit else None
        if position is None and (ref, plan.position_title.lower()) not in positions_new:
            head = (ref, plan.position_title.lower()) in heads
            positions_new[(ref, plan.position_title.lower())] = {
                "title": plan.position_title,
                "unit": unit.name if unit else plan.unit_chain[-1],
                "level": str(Position.Level(plan.level).label),
                "head": head,
            }
            if head:
                heads_new.append(
                    {
                        "title": plan.position_title,
                        "unit": " / ".join(plan.unit_chain),
                        "official": plan.name,
                    }
                )
        if official is None:
            counts["added"] += 1
            continue
        changed = any(
            value and getattr(official, name) != value
            for name, value in (("name", plan.name), *plan.extra.items())
        )
        assignment = current.get(official.pk)
        if assignment is None or position is None or assignment.position_id != position.pk:
            counts["moved"] += 1
        elif changed:
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    unknown_columns = [h for h in job.headers if h and h not in set(job.mapping.values())]
    new_list = sorted(units_new.values(), key=lambda u: u["path"])
    for entry in new_list[:PREVIEW_LIST]:
        entry["suggestions"] = _suggest(entry["name"], units)
    groups = Counter(cause for error in errors for cause in dict.fromkeys(error["causes"]))
    return {
        "valid_rows": len(plans),
        "invalid_rows": len(errors),
        "added": counts["added"],
        "updated": counts["updated"],
        "moved": counts["moved"],
        "unchanged": counts["unchanged"],
        "leaving": counts["leaving"],
        "leaving_unknown": counts["leaving_unknown"],
        "missing": len(missing),
        "missing_list": [
            {"nip": a.official.nip, "name": a.official.name, "position": a.position.title}
            for a in missing[:PREVIEW_LIST]
        ],
        "units_new_count": len(new_list),
        "units_new": new_list[:PREVIEW_LIST],
        "positions_new_count": len(positions_new),
        "positions_new": list(positions_new.values())[:PREVIEW_LIST],
        "heads_new": heads_new[:PREVIEW_LIST],
        "unused_columns": unknown_columns,
        "error_groups": [{"cause": cause, "count": count} for cause, count in groups.most_common()],
    }


def error_groups(job: ImportJob) -> list[dict[str, Any]]:
    """The row errors grouped by cause, most frequent first, with their label."""
    groups = Counter(
        cause for error in job.errors for cause in dict.fromkeys(error.get("causes", []))
    )
    return [
        {"cause": cause, "label": str(CAUSES.get(cause, cause)), "count": count}
        for cause, count in groups.most_common()
    ]


def error_rows(job: ImportJob, limit: int = 500) -> list[dict[str, Any]]:
    """One row per problem (line, NIP, column, value, reason) for the first ``limit`` rows."""
    rows = []
    for error in job.errors[:limit]:
        columns, values = error.get("columns", []), error.get("values", [])
        for number, reason in enumerate(error["reasons"]):
            rows.append(
                {
                    "line": error["line"],
                    "nip": error["nip"],
                    "column": columns[number] if number < len(columns) else "",
                    "value": values[number] if number < len(values) else "",
                    "reason": reason,
                }
            )
    return rows


def errors_xlsx(job: ImportJob) -> bytes:
    """Every refused row as in the file, with the reason in a column beside it."""
    by_line = {error["line"]: error for error in job.errors}
    source = Source(job.file_name, document_read(job.document))
    width = len(job.headers)
    reason = _("REASON")

    def rows() -> Iterator[list[Any]]:
        for line, row in _data_rows(source, job.sheet, job.header_line):
            error = by_line.get(line)
            if error is not None:
                cells = (row + [""] * width)[:width]
                yield [line, " ".join(error["reasons"]), *cells]

    return rows_to_xlsx([_("LINE"), reason, *job.headers], rows(), title=_("Errors")[:31])


def import_job_run(*, job_id: int) -> ImportJob:
    """The task: check a queued job and store its preview, or apply a confirmed one."""
    with gc_paused():
        return _run(job_id)


def _run(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("pemda", "created_by", "document").get(pk=job_id)
    if job.status == ImportJob.Status.QUEUED:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
        prepared = _preview_prepare(job)
        job.refresh_from_db()
        job.errors = prepared.errors
        job.preview = prepared.preview
        job.total_rows = job.processed_rows = prepared.total
        job.status = ImportJob.Status.PREVIEW
        job.save()
        return job
    if job.status != ImportJob.Status.CONFIRMED:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.SAVING)
    prepared = _confirm_prepare(job)
    job.refresh_from_db()
    job.errors = prepared.errors
    job.processed_rows = prepared.total
    if prepared.errors and job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        # Something changed since the preview and a row is now refused.
        with transaction.atomic():
            job.status = ImportJob.Status.REJECTED
            job.summary = {"valid_rows": len(prepared.plans), "invalid_rows": len(prepared.errors)}
            job.finished_at = timezone.now()
            job.save()
            audit_record(
                actor=job.created_by, action="org.import.rejected", obj=job, summary=job.summary
            )
        return job
    with transaction.atomic():
        summary, changes = _apply(job, prepared)
        summary["invalid_rows"] = len(prepared.errors)
        job.status = ImportJob.Status.DONE
        job.summary = summary
        job.changes = changes
        job.finished_at = timezone.now()
        job.save()
        audit_record(actor=job.created_by, action="org.import.applied", obj=job, summary=summary)
    return job


def _end(
    assignment: Assignment, end: dt.date, job: ImportJob, reason: str, events: list[PendingEvent]
) -> Assignment:
    assignment.end_date = max(assignment.start_date, end)
    events.append(
        PendingEvent(
            action="org.assignment.ended",
            obj=assignment,
            summary={"end_date": assignment.end_date, "import_id": job.pk, "reason": reason},
        )
    )
    return assignment


def _apply(job: ImportJob, prepared: Prepared) -> tuple[dict[str, Any], dict[str, Any]]:
    pemda, actor, today = job.pemda, job.created_by, job.effective_date
    events: list[PendingEvent] = []
    counts = {
        "units_created": 0,
        "positions_created": 0,
        "officials_created": 0,
        "officials_updated": 0,
        "officials_moved": 0,
        "unchanged": 0,
    }
    units = prepared.units
    plans = prepared.plans
    # Each unit named in the file as the preview saw it (an existing unit's id, or the new
    # unit's names); units and positions are resolved once per distinct value, not per row.
    chains = {plan.unit_chain: None for plan in plans}
    refs = {chain: _unit_ref(units, chain) for chain in chains}
    # The units to create, parents first, written in one go with their tree paths.
    to_create: dict[str, tuple[str, ...]] = {}
    for chain in {plan.unit_chain: None for plan in plans if not plan.leaving}:
        if units.find_chain(chain) is not None:
            continue
        for depth in range(1, len(chain) + 1):
            part = chain[:depth]
            if chain_key(part) not in to_create and units.find_chain(part) is None:
                to_create[chain_key(part)] = part
    new_units: dict[str, Unit] = {}
    for pk, chain in zip(allocate_ids(Unit, len(to_create)), to_create.values(), strict=True):
        parent = None
        if len(chain) > 1:
            parent = new_units.get(chain_key(chain[:-1])) or units.find_chain(chain[:-1])
        new_units[chain_key(chain)] = Unit(
            pk=pk,
            pemda=pemda,
            parent=parent,
            name=chain[-1],
            kind=Unit.Kind.SUB_UNIT if parent else Unit.Kind.OTHER,
            path=f"{parent.path if parent else '/'}{pk}/",
        )
    Unit.objects.bulk_create(new_units.values(), batch_size=2000)
    for unit in new_units.values():
        units.add(unit)
        events.append(
            PendingEvent(action="org.unit.created", obj=unit, summary={"import_id": job.pk})
        )
    created_units = [unit.pk for unit in new_units.values()]
    unit_of: dict[tuple[str, ...], Unit] = {}
    for chain in chains:
        found = units.find_chain(chain)
        if found is not None:  # None only for the units of leaving rows
            unit_of[chain] = found

    positions = prepared.positions
    new_positions: list[Position] = []
    staying: list[tuple[RowPlan, Position]] = []
    leaving: list[RowPlan] = []
    heads = prepared.heads
    for plan in plans:
        if plan.leaving:
            leaving.append(plan)
            continue
        chain = plan.unit_chain
        unit = unit_of[chain]
        title = plan.position_title.lower()
        key = (unit.pk, title)
        position = positions.get(key)
        if position is None:
            position = Position(
                pemda=pemda,
                unit=unit,
                title=plan.position_title,
                level=plan.level,
                is_unit_head=(refs[chain], title) in heads,
            )
            positions[key] = position
            new_positions.append(position)
        staying.append((plan, position))
    counts["units_created"] = len(created_units)
    Position.objects.bulk_create(new_positions, batch_size=2000)
    counts["positions_created"] = len(new_positions)
    events.extend(
        PendingEvent(
            action="org.position.created",
            obj=p,
            summary={"import_id": job.pk, "is_unit_head": p.is_unit_head},
        )
        for p in new_positions
    )

    existing, current = prepared.existing, prepared.current
    new_official_plans: list[tuple[RowPlan, Position, dt.date]] = []
    updated: list[Official] = []
    old_values: dict[str, dict[str, str]] = {}
    ended: list[Assignment] = []
    started: list[Assignment] = []
    for plan, position in staying:
        start = plan.start_date or today
        official = existing.get(plan.nip)
        if official is None:
            new_official_plans.append((plan, position, start))
            continue
        changed = []
        before = {}
        for name, value in (("name", plan.name), *plan.extra.items()):
            if value and getattr(official, name) != value:
                before[name] = getattr(official, name)
                setattr(official, name, value)
                changed.append(name)
        if changed:
            updated.append(official)
            old_values[str(official.pk)] = before
            events.append(
                PendingEvent(
                    action="org.official.updated",
                    obj=official,
                    summary={"changed": changed, "import_id": job.pk},
                )
            )
        assignment = current.get(official.pk)
        if assignment is not None and assignment.position_id == position.pk:
            if not changed:
                counts["unchanged"] += 1
            continue
        if assignment is not None:
            ended.append(_end(assignment, start - dt.timedelta(days=1), job, "moved", events))
            counts["officials_moved"] += 1
            if start <= assignment.start_date:
                start = assignment.start_date + dt.timedelta(days=1)
        started.append(
            Assignment(pemda=pemda, official=official, position=position, start_date=start)
        )

    # KEDUDUKAN HUKUM: pensiun, CLTN, meninggal, diberhentikan end the current assignment.
    left = 0
    for plan in leaving:
        official = existing.get(plan.nip)
        assignment = current.get(official.pk) if official else None
        if assignment is not None:
            ended.append(_end(assignment, plan.start_date or today, job, "legal_status", events))
            left += 1
    missing = [_end(a, today, job, "missing", events) for a in prepared.missing]
    ended.extend(missing)

    new_events, new_ids = _insert_new_officials(job, new_official_plans)
    counts["officials_created"] = len(new_official_plans)
    counts["officials_updated"] = len(updated)
    if left:
        counts["officials_left"] = left
    if missing:
        counts["assignments_ended"] = len(missing)
    if updated:
        Official.objects.bulk_update(
            updated, ["name", "golongan", "front_title", "back_title", "email"], batch_size=2000
        )
    if ended:
        Assignment.objects.bulk_update(ended, ["end_date"], batch_size=2000)
    Assignment.objects.bulk_create(started, batch_size=2000)
    events.extend(new_events)
    events.extend(
        PendingEvent(
            action="org.assignment.started",
            obj=a,
            summary={
                "official_id": a.official_id,
                "position_id": a.position_id,
                "import_id": job.pk,
            },
        )
        for a in started
    )
    audit_record_many(actor=actor, events=events)
    # A move brings the pact for the new position, as a move made by hand does.
    if started:
        for assignment in started:
            hooks.assignment_started(assignment=assignment, acting_user=actor)
    changes = {
        "units": created_units,
        "positions": [p.pk for p in new_positions],
        "officials": new_ids,
        "started": [a.pk for a in started],
        "ended": [a.pk for a in ended],
        "updated": old_values,
    }
    return counts, changes


OFFICIAL_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "pemda_id",
    "nip",
    "name",
    "front_title",
    "back_title",
    "golongan",
    "sex",
    "birth_date",
    "email",
)
ASSIGNMENT_COLUMNS = (
    "created_at",
    "updated_at",
    "pemda_id",
    "official_id",
    "position_id",
    "kind",
    "start_date",
    "end_date",
)


def _insert_new_officials(
    job: ImportJob, new: list[tuple[RowPlan, Position, dt.date]]
) -> tuple[list[PendingEvent], list[int]]:
    """Insert new officials and their first assignments as plain rows; return their events
    and ids.

    The rows are validated already; writing them through model instances and ``bulk_create``
    cost more than the database work (see bench/import_officials.py).
    """
    pemda_id, now = job.pemda_id, db_datetime(timezone.now())
    official_rows: list[tuple[Any, ...]] = []
    assignment_rows: list[tuple[Any, ...]] = []
    events: list[PendingEvent] = []
    definitive = str(Assignment.Kind.DEFINITIVE)
    male, female = str(Official.Sex.MALE.value), str(Official.Sex.FEMALE.value)
    import_id = job.pk
    ids = allocate_ids(Official, len(new))
    days: dict[dt.date, str] = {}
    for official_id, (plan, position, start) in zip(ids, new, strict=True):
        nip, name, extra, position_id = plan.nip, plan.name, plan.extra, position.pk
        golongan = extra["golongan"]
        official_rows.append(
            (
                official_id,
                now,
                now,
                pemda_id,
                nip,
                name,
                extra["front_title"],
                extra["back_title"],
                golongan,
                male if nip[14] == "1" else female,
                f"{nip[0:4]}-{nip[4:6]}-{nip[6:8]}",  # the birth date (the NIP is valid)
                extra["email"],
            )
        )
        day = days.get(start)
        if day is None:
            day = days[start] = start.isoformat()
        assignment_rows.append(
            (now, now, pemda_id, official_id, position_id, definitive, day, None)
        )
        events.append(
            PendingEvent(
                action="org.official.created",
                object_type="org.official",
                object_id=str(official_id),
                pemda_id=pemda_id,
                summary={"nip": nip, "position_id": position_id, "import_id": import_id},
                row_hash=row_values_hash(
                    "org.official",
                    {"pemda_id": pemda_id, "nip": nip, "name": name, "golongan": golongan},
                ),
            )
        )
    bulk_insert(Official, OFFICIAL_COLUMNS, official_rows)
    bulk_insert(Assignment, ASSIGNMENT_COLUMNS, assignment_rows)
    return events, ids


# --- Undo --------------------------------------------------------------------------------------


def _touched_later(job: ImportJob, objects: dict[str, list[Any]]) -> bool:
    """Whether anything other than this import recorded a change to these objects since."""
    applied = (
        AuditEvent.objects.filter(
            action="org.import.applied", object_type="org.importjob", object_id=str(job.pk)
        )
        .values_list("seq", flat=True)
        .first()
    )
    if applied is None:
        return True
    for object_type, ids in objects.items():
        keys = [str(i) for i in ids]
        for start in range(0, len(keys), 5000):
            if AuditEvent.objects.filter(
                seq__gt=applied, object_type=object_type, object_id__in=keys[start : start + 5000]
            ).exists():
                return True
    return False


def _ids(model: Any, field_name: str, values: list[int]) -> list[int]:
    """Primary keys of the rows whose ``field_name`` is in ``values`` (in chunks: SQLite caps
    the parameters of one query)."""
    found: list[int] = []
    for start in range(0, len(values), 5000):
        lookup = {f"{field_name}__in": values[start : start + 5000]}
        found.extend(model.objects.filter(**lookup).values_list("pk", flat=True))
    return found


def _objects(model: Any, ids: list[int]) -> list[Any]:
    found: list[Any] = []
    for start in range(0, len(ids), 5000):
        found.extend(model.objects.filter(pk__in=ids[start : start + 5000]))
    return found


@transaction.atomic
def import_job_undo(*, job: ImportJob, acting_user: Any) -> ImportJob:
    """Revert a confirmed import within 24 hours, if nothing has changed its rows since:
    officials, units and positions it created are deleted, assignments it ended reopened,
    fields it updated restored, and the pacts of its moves (still unsigned) withdrawn."""
    from django.db.models import ProtectedError

    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.DONE or not job.changes or job.finished_at is None:
        raise DomainError(_("Only a saved import can be undone."))
    if timezone.now() - job.finished_at > UNDO_WITHIN:
        raise DomainError(
            _("An import can be undone within 24 hours only; this one was saved on %(time)s.")
            % {"time": format_waktu(job.finished_at, job.pemda.timezone)}
        )
    changes = job.changes
    officials = changes["officials"]
    first = _ids(Assignment, "official_id", officials)
    started = changes["started"]
    touched = {
        "org.official": [*officials, *map(int, changes["updated"])],
        "org.assignment": [*first, *started, *changes["ended"]],
        "org.position": changes["positions"],
        "org.unit": changes["units"],
        **hooks.assignment_dependents(started),
    }
    if _touched_later(job, touched):
        raise DomainError(
            _(
                "This import cannot be undone: some of its officials, positions or units have been changed since. Correct them by hand or import a corrected file."
            )
        )
    events: list[PendingEvent] = []
    try:
        for assignment in _objects(Assignment, started):
            hooks.assignment_undone(assignment=assignment, acting_user=acting_user)
        for model, ids, action in (
            (Assignment, [*started, *first], "org.assignment.deleted"),
            (Official, officials, "org.official.deleted"),
            (Position, changes["positions"], "org.position.deleted"),
        ):
            for start in range(0, len(ids), 5000):
                chunk = ids[start : start + 5000]
                events.extend(
                    PendingEvent(
                        action=action,
                        object_type=model._meta.label_lower,
                        object_id=str(pk),
                        pemda_id=job.pemda_id,
                        summary={"import_id": job.pk},
                    )
                    for pk in chunk
                )
                model.objects.filter(pk__in=chunk).delete()
        # Units last, the deepest first (a parent is protected by its children).
        for unit in Unit.objects.filter(pk__in=changes["units"]).order_by("-path"):
            events.append(
                PendingEvent(action="org.unit.deleted", obj=unit, summary={"import_id": job.pk})
            )
            unit.delete()
    except ProtectedError:
        raise DomainError(
            _(
                "This import cannot be undone: records made since depend on what it created. Correct them by hand."
            )
        ) from None
    ended = _objects(Assignment, changes["ended"])
    for assignment in ended:
        assignment.end_date = None
        events.append(
            PendingEvent(
                action="org.assignment.reopened", obj=assignment, summary={"import_id": job.pk}
            )
        )
    Assignment.objects.bulk_update(ended, ["end_date"], batch_size=2000)
    restored = []
    for official in _objects(Official, [int(k) for k in changes["updated"]]):
        for name, value in changes["updated"][str(official.pk)].items():
            setattr(official, name, value)
        restored.append(official)
        events.append(
            PendingEvent(
                action="org.official.updated",
                obj=official,
                summary={
                    "changed": sorted(changes["updated"][str(official.pk)]),
                    "import_id": job.pk,
                },
            )
        )
    Official.objects.bulk_update(
        restored, ["name", "golongan", "front_title", "back_title", "email"], batch_size=2000
    )
    audit_record_many(actor=acting_user, events=events)
    job.status = ImportJob.Status.UNDONE
    job.save(update_fields=["status", "updated_at"])
    audit_record(actor=acting_user, action="org.import.undone", obj=job, summary=job.summary)
    return job


def import_file(
    *,
    pemda: Pemda,
    file_name: str,
    content: bytes,
    acting_user: Any,
    mode: str = ImportJob.Mode.ALL_OR_NOTHING,
    effective_date: dt.date | None = None,
    end_missing: bool = False,
) -> ImportJob:
    """Check, preview, confirm and apply a file in one go, in this process (demo data, bench).

    The steps and checks are those of the page; a file needing a column mapping stays waiting.
    """
    job = import_job_create(
        pemda=pemda,
        file_name=file_name,
        content=content,
        acting_user=acting_user,
        mode=mode,
        effective_date=effective_date,
        enqueue=False,
    )
    if job.status != ImportJob.Status.QUEUED:
        return job
    job = import_job_run(job_id=job.pk)
    job = import_job_confirm(
        job=job, acting_user=acting_user, end_missing=end_missing, enqueue=False
    )
    if job.status == ImportJob.Status.CONFIRMED:
        job = import_job_run(job_id=job.pk)
    return job
