"""Writes to the organisation: Pemda, units, positions, officials, assignments.

Each service validates, saves, and records one audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record, changes
from pakta.core.documents import document_store
from pakta.core.errors import DomainError
from pakta.core.zone import forget_zones
from pakta.org.hooks import assignment_started
from pakta.org.models import Assignment, Official, Pemda, Position, Unit
from pakta.org.nip import normalize_nip, parse_nip

PEMDA_FIELDS = ("name", "slug", "kind", "kemendagri_code", "parent", "timezone", "seat", "address")


def _full_clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error


def _store_logo(logo: Any) -> Any:
    if logo is None:
        return None
    return document_store(
        content=logo.read(),
        content_type=getattr(logo, "content_type", "image/png"),
        original_name=logo.name,
    )


@transaction.atomic
def pemda_create(*, acting_user: Any, logo: Any = None, **fields: Any) -> Pemda:
    """Create a Pemda (superadmin)."""
    pemda = Pemda(**{k: v for k, v in fields.items() if k in PEMDA_FIELDS})
    pemda.logo = _store_logo(logo)
    _full_clean(pemda)
    pemda.save()
    audit_record(
        actor=acting_user,
        action="org.pemda.created",
        obj=pemda,
        summary={"code": pemda.kemendagri_code},
    )
    return pemda


@transaction.atomic
def pemda_update(*, pemda: Pemda, acting_user: Any, logo: Any = None, **fields: Any) -> Pemda:
    before = {name: getattr(pemda, name) for name in PEMDA_FIELDS}
    for name, value in fields.items():
        if name in PEMDA_FIELDS:
            setattr(pemda, name, value)
    if logo is not None:
        pemda.logo = _store_logo(logo)
    _full_clean(pemda)
    pemda.save()
    diff = changes(pemda, [f for f in PEMDA_FIELDS if f != "parent"], before)
    audit_record(
        actor=acting_user, action="org.pemda.updated", obj=pemda, summary={"changed": sorted(diff)}
    )
    forget_zones()  # pages show the new zone at once in this process
    return pemda


def _unit_path(unit: Unit) -> str:
    return f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"


@transaction.atomic
def unit_create(
    *,
    pemda: Pemda,
    name: str,
    acting_user: Any,
    parent: Unit | None = None,
    kind: str = Unit.Kind.DINAS,
    code: str = "",
) -> Unit:
    """Create a unit under ``parent`` (or at the top of the Pemda's tree)."""
    if parent is not None and parent.pemda_id != pemda.pk:
        raise DomainError(_("The parent unit belongs to another Pemda."))
    unit = Unit(pemda=pemda, parent=parent, name=name.strip(), kind=kind, code=code)
    _full_clean(unit, exclude=["path"])
    if Unit.objects.filter(pemda=pemda, parent=parent, name__iexact=unit.name).exists():
        raise DomainError(_("A unit named %(name)s already exists here.") % {"name": unit.name})
    unit.save()
    unit.path = _unit_path(unit)
    unit.save(update_fields=["path"])
    audit_record(
        actor=acting_user,
        action="org.unit.created",
        obj=unit,
        summary={"parent_id": parent.pk if parent else None},
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    unit: Unit,
    acting_user: Any,
    name: str,
    kind: str,
    code: str = "",
    parent: Unit | None = None,
    is_active: bool = True,
) -> Unit:
    """Rename, re-kind or move a unit; moving it under its own subtree is refused."""
    if parent is not None and (
        parent.pemda_id != unit.pemda_id or parent.path.startswith(unit.path)
    ):
        raise DomainError(_("A unit cannot be moved under itself or into another Pemda."))
    before = {
        "name": unit.name,
        "kind": unit.kind,
        "code": unit.code,
        "parent_id": unit.parent_id,
        "is_active": unit.is_active,
    }
    old_path = unit.path
    unit.name, unit.kind, unit.code, unit.parent, unit.is_active = (
        name.strip(),
        kind,
        code,
        parent,
        is_active,
    )
    _full_clean(unit, exclude=["path"])
    unit.path = _unit_path(unit)
    unit.save()
    if unit.path != old_path:
        for child in Unit.objects.filter(pemda=unit.pemda, path__startswith=old_path).exclude(
            pk=unit.pk
        ):
            child.path = unit.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    diff = changes(unit, ["name", "kind", "code", "parent_id", "is_active"], before)
    audit_record(
        actor=acting_user, action="org.unit.updated", obj=unit, summary={"changed": sorted(diff)}
    )
    return unit


@transaction.atomic
def position_create(
    *,
    pemda: Pemda,
    unit: Unit,
    title: str,
    level: str,
    acting_user: Any,
    is_unit_head: bool = False,
) -> Position:
    if unit.pemda_id != pemda.pk:
        raise DomainError(_("The unit belongs to another Pemda."))
    position = Position(
        pemda=pemda, unit=unit, title=title.strip(), level=level, is_unit_head=is_unit_head
    )
    _full_clean(position)
    position.save()
    audit_record(
        actor=acting_user,
        action="org.position.created",
        obj=position,
        summary={"unit_id": unit.pk, "level": level},
    )
    return position


@transaction.atomic
def position_update(
    *,
    position: Position,
    acting_user: Any,
    title: str,
    level: str,
    unit: Unit,
    is_unit_head: bool = False,
) -> Position:
    if unit.pemda_id != position.pemda_id:
        raise DomainError(_("The unit belongs to another Pemda."))
    before = {
        "title": position.title,
        "level": position.level,
        "unit_id": position.unit_id,
        "is_unit_head": position.is_unit_head,
    }
    position.title, position.level, position.unit, position.is_unit_head = (
        title.strip(),
        level,
        unit,
        is_unit_head,
    )
    _full_clean(position)
    position.save()
    diff = changes(position, ["title", "level", "unit_id", "is_unit_head"], before)
    audit_record(
        actor=acting_user,
        action="org.position.updated",
        obj=position,
        summary={"changed": sorted(diff)},
    )
    return position


OFFICIAL_FIELDS = ("name", "front_title", "back_title", "golongan", "email")


def official_check_nip(nip: str) -> tuple[str, Any]:
    """Normalise and validate a NIP, refusing one already registered; returns (nip, parts)."""
    nip = normalize_nip(nip)
    try:
        parts = parse_nip(nip)
    except ValidationError as error:
        raise DomainError(error.messages[0]) from error
    if Official.objects.filter(nip=nip).exists():
        raise DomainError(_("An official with NIP %(nip)s is already registered.") % {"nip": nip})
    return nip, parts


@transaction.atomic
def official_create(
    *, pemda: Pemda, nip: str, name: str, acting_user: Any, **fields: Any
) -> Official:
    """Register an official; the NIP gives the birth date and sex."""
    nip, parts = official_check_nip(nip)
    official = Official(
        pemda=pemda,
        nip=nip,
        name=name.strip(),
        birth_date=parts.birth_date,
        sex=parts.sex,
        **{k: v for k, v in fields.items() if k in OFFICIAL_FIELDS},
    )
    _full_clean(official, exclude=["nip"])
    official.save()
    audit_record(
        actor=acting_user, action="org.official.created", obj=official, summary={"nip": nip}
    )
    return official


@transaction.atomic
def official_update(*, official: Official, acting_user: Any, **fields: Any) -> Official:
    """Change an official's name, titles, rank or e-mail (the NIP never changes)."""
    before = {name: getattr(official, name) for name in OFFICIAL_FIELDS}
    for name, value in fields.items():
        if name in OFFICIAL_FIELDS:
            setattr(official, name, value.strip() if isinstance(value, str) else value)
    _full_clean(official, exclude=["nip"])
    diff = changes(official, OFFICIAL_FIELDS, before)
    if not diff:
        return official
    official.save(update_fields=[*diff, "updated_at"])
    audit_record(
        actor=acting_user,
        action="org.official.updated",
        obj=official,
        summary={"changed": sorted(diff)},
    )
    return official


@transaction.atomic
def assignment_start(
    *,
    official: Official,
    position: Position,
    start_date: dt.date,
    acting_user: Any,
    kind: str = Assignment.Kind.DEFINITIVE,
) -> Assignment:
    """Record that an official takes a position; a definitive one ends the current definitive one.

    The history is kept: the earlier assignment gets an end date the day before ``start_date``.
    """
    if position.pemda_id != official.pemda_id:
        raise DomainError(_("The position belongs to another Pemda."))
    current = None
    if kind == Assignment.Kind.DEFINITIVE:
        current = (
            official.assignments.select_for_update()
            .filter(end_date__isnull=True, kind=kind)
            .first()
        )
    if current is not None:
        if current.position_id == position.pk:
            raise DomainError(
                _("%(name)s already holds this position.") % {"name": official.full_name}
            )
        if start_date <= current.start_date:
            raise DomainError(
                _("The new assignment must start after the current one (%(date)s).")
                % {"date": current.start_date.isoformat()}
            )
        assignment_end(
            assignment=current, end_date=start_date - dt.timedelta(days=1), acting_user=acting_user
        )
    assignment = Assignment.objects.create(
        pemda_id=official.pemda_id,
        official=official,
        position=position,
        start_date=start_date,
        kind=kind,
    )
    assignment_started(assignment=assignment, acting_user=acting_user)
    audit_record(
        actor=acting_user,
        action="org.assignment.started",
        obj=assignment,
        summary={
            "official_id": official.pk,
            "position_id": position.pk,
            "start_date": start_date,
            "kind": kind,
        },
    )
    return assignment


@transaction.atomic
def assignment_end(*, assignment: Assignment, end_date: dt.date, acting_user: Any) -> Assignment:
    if assignment.end_date is not None:
        raise DomainError(_("This assignment has already ended."))
    if end_date < assignment.start_date:
        raise DomainError(_("An assignment cannot end before it starts."))
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date", "updated_at"])
    audit_record(
        actor=acting_user,
        action="org.assignment.ended",
        obj=assignment,
        summary={"end_date": end_date},
    )
    return assignment


@transaction.atomic
def officials_export_record(*, pemda: Pemda, acting_user: Any, rows: int, fmt: str) -> None:
    """Every export of officials' personal data is audited with its number of rows."""
    audit_record(
        actor=acting_user,
        action="org.officials.exported",
        obj=pemda,
        pemda_id=pemda.pk,
        summary={"rows": rows, "format": fmt},
    )
