"""Reads of the organisation, scoped to one Pemda (and to a unit subtree for Kepala OPD)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Count, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from pakta.core.errors import DomainError
from pakta.org.models import Assignment, ImportJob, Official, Pemda, Position, Unit, full_name
from pakta.org.nip import normalize_nip


def unit_scope_q(scope: Sequence[Unit] | None, prefix: str = "") -> Q:
    """The rows whose unit (reached through ``prefix``, e.g. ``"unit__"``) lies in one of the
    scope's units or below it; every row when ``scope`` is None (the whole Pemda)."""
    if scope is None:
        return Q()
    # The units of the scope in a subquery (a handful of rows, by the indexed path), the rows by
    # their unit's key: an index look-up on the rows' unit, where a filter on the joined unit's
    # path would read every row of the Pemda (60,000 agreements at the largest).
    return Q(**{f"{prefix}pk__in": Unit.objects.filter(_subtree_q(scope)).values("pk")})


def _subtree_q(scope: Sequence[Unit]) -> Q:
    paths = Q(pk__in=[])
    for unit in scope:
        paths |= Q(path__startswith=unit.path)
    return paths


def scope_unit_ids(scope: Sequence[Unit] | None) -> list[int] | None:
    """The keys of the scope's units and of every unit below them (one query), or None for the
    whole Pemda: for a page that filters several tables by the same scope (``unit_ids_q``).

    PostgreSQL plans ``unit_id IN (SELECT ...)`` before it knows how many units match, so on a
    composite index whose unit column comes after others (the dashboard's below-target index) it
    read every row of the Pemda and joined each to its unit; with the keys written in the query
    it reads only the scope's entries of the index."""
    if scope is None:
        return None
    return list(Unit.objects.filter(_subtree_q(scope)).order_by("pk").values_list("pk", flat=True))


def unit_ids_q(unit_ids: Sequence[int] | None, prefix: str = "") -> Q:
    """The rows whose unit (reached through ``prefix``) is one of ``unit_ids`` (from
    ``scope_unit_ids``); every row when None (the whole Pemda)."""
    if unit_ids is None:
        return Q()
    return Q(**{f"{prefix}pk__in": list(unit_ids)})


def unit_in_scope(unit: Unit | None, scope: Sequence[Unit] | None) -> bool:
    """Whether ``unit`` lies in one of the scope's units or below it (always, for no scope)."""
    if scope is None:
        return True
    return unit is not None and any(unit.path.startswith(s.path) for s in scope)


def unit_list_for(
    *,
    pemda: Pemda,
    scope: Sequence[Unit] | None = None,
    search: str = "",
    active_only: bool = False,
) -> QuerySet[Unit]:
    qs = Unit.objects.filter(pemda=pemda).filter(unit_scope_q(scope, ""))
    if active_only:
        qs = qs.filter(is_active=True)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("path")


def top_unit_list_for(*, pemda: Pemda) -> QuerySet[Unit]:
    """The Pemda's top-level units (the OPD), by name."""
    return Unit.objects.filter(pemda=pemda, parent__isnull=True).order_by("name")


def unit_get_for(*, pemda: Pemda, pk: int, scope: Sequence[Unit] | None = None) -> Unit:
    return get_object_or_404(unit_list_for(pemda=pemda, scope=scope), pk=pk)


def position_list_for(
    *, pemda: Pemda, scope: Sequence[Unit] | None = None, unit: Unit | None = None
) -> QuerySet[Position]:
    qs = (
        Position.objects.filter(pemda=pemda)
        .filter(unit_scope_q(scope, "unit__"))
        .select_related("unit")
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("unit__path", "level", "title")


def position_get_for(*, pemda: Pemda, pk: int, scope: Sequence[Unit] | None = None) -> Position:
    return get_object_or_404(position_list_for(pemda=pemda, scope=scope), pk=pk)


def current_assignments() -> Prefetch[Any]:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(end_date__isnull=True).select_related("position__unit"),
        to_attr="current_assignments",
    )


def official_list_for(
    *,
    pemda: Pemda,
    scope: Sequence[Unit] | None = None,
    search: str = "",
    unit: Unit | None = None,
    level: str = "",
) -> QuerySet[Official]:
    """Officials of a Pemda; with a unit scope or filter, those currently assigned within it."""
    qs = Official.objects.filter(pemda=pemda)
    if scope is not None:
        qs = qs.filter(
            pk__in=Assignment.objects.filter(pemda=pemda, end_date__isnull=True)
            .filter(unit_scope_q(scope, "position__unit__"))
            .values("official_id")
        )
    if unit is not None:
        qs = qs.filter(
            pk__in=Assignment.objects.filter(
                end_date__isnull=True, position__unit__path__startswith=unit.path, pemda=pemda
            ).values("official_id")
        )
    if level:
        qs = qs.filter(
            pk__in=Assignment.objects.filter(
                pemda=pemda, end_date__isnull=True, position__level=level
            ).values("official_id")
        )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(nip__startswith=search))
    return qs.order_by("name", "pk")


class OfficialRow(NamedTuple):
    """One row of the officials table: plain values, no model instances."""

    pk: int
    nip: str
    full_name: str
    golongan: str
    position: str | None  # the current position's title (the latest started), None if none
    unit: str | None


def official_table_page(officials: QuerySet[Official], per_page: int, number: Any) -> Page:
    """A page of the officials table: ``page.object_list`` holds :class:`OfficialRow`.

    Two queries besides the count, and plain values only: the page's officials (the columns the
    table shows) and their current assignments' position and unit. Building model instances for
    the officials, their assignments, positions and units (all columns, dates converted) cost
    more than the rest of the page.
    """
    columns = ("pk", "nip", "front_title", "name", "back_title", "golongan")
    page = Paginator(officials.values_list(*columns), per_page).get_page(number)
    found = list(page.object_list)
    current: dict[int, tuple[str | None, str | None]] = {}
    if found:
        assignments = (
            Assignment.objects.filter(official_id__in=[r[0] for r in found], end_date__isnull=True)
            .order_by("official_id", "-start_date", "-pk")
            .values_list("official_id", "position__title", "position__unit__name")
        )
        for official_id, position_title, unit_name in assignments:
            current.setdefault(official_id, (position_title, unit_name))
    rows = []
    for pk, nip, front, name, back, golongan in found:
        position, unit = current.get(pk, (None, None))
        rows.append(OfficialRow(pk, nip, full_name(front, name, back), golongan, position, unit))
    page.object_list = rows
    return page


def official_register_rows(
    officials: QuerySet[Official], *, chunk: int = 2000
) -> Iterator[list[Any]]:
    """The officials export's rows (NIP, name, titles, golongan, position, level, unit, e-mail,
    TMT) as plain values: one query, each official joined to their current assignments (the
    latest started counts) and read ``chunk`` rows at a time, no model instances and no lists
    of ids to send back: the register of the largest Pemda streams out at tens of thousands of
    rows a second."""
    levels = dict(Position.Level.choices)
    labels: dict[str, str] = {}
    rows = (
        officials.annotate(
            current=FilteredRelation("assignments", condition=Q(assignments__end_date__isnull=True))
        )
        # The register's order, then the official's current assignments, the latest first.
        .order_by(*officials.query.order_by, "pk", "-current__start_date", "current__pk")
        .values_list(
            "pk",
            "nip",
            "name",
            "front_title",
            "back_title",
            "golongan",
            "email",
            "current__position__title",
            "current__position__level",
            "current__position__unit__name",
            "current__start_date",
        )
        .iterator(chunk_size=chunk)
    )
    previous = None
    for pk, nip, name, front, back, golongan, email, title, level, unit, start in rows:
        if pk == previous:
            continue  # an earlier-started concurrent assignment (a Plt. beside the definitive)
        previous = pk
        if start is None:
            yield [nip, name, front, back, golongan, "", "", "", email, ""]
            continue
        if level not in labels:
            labels[level] = str(levels.get(level, level))
        yield [
            nip,
            name,
            front,
            back,
            golongan,
            title,
            labels[level],
            unit,
            email,
            start.isoformat(),
        ]


def official_get_for(*, pemda: Pemda, pk: int, scope: Sequence[Unit] | None = None) -> Official:
    return get_object_or_404(official_list_for(pemda=pemda, scope=scope), pk=pk)


def assignment_history(*, official: Official) -> QuerySet[Assignment]:
    return official.assignments.select_related("position__unit").order_by("-start_date", "-pk")


def import_job_list_for(*, pemda: Pemda) -> QuerySet[ImportJob]:
    return (
        ImportJob.objects.filter(pemda=pemda).select_related("created_by").order_by("-created_at")
    )


def import_job_recent_for(*, pemda: Pemda, limit: int = 5) -> list[ImportJob]:
    """The Pemda's latest imports as Beranda lists them (link, file name, status, date): those
    columns only. The rows' errors, preview and undo record (JSON, up to megabytes each) are
    neither read nor decoded; every job's ``pemda`` is the one given (no query for its slug)."""
    jobs = list(
        ImportJob.objects.filter(pemda=pemda)
        .only("pk", "pemda_id", "file_name", "status", "created_at")
        .order_by("-created_at")[:limit]
    )
    for job in jobs:
        job.pemda = pemda
    return jobs


def import_job_get_for(*, pemda: Pemda, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.filter(pemda=pemda), pk=pk)


def pemda_list() -> QuerySet[Pemda]:
    """Every Pemda, by Kemendagri code (the superadmin's list)."""
    return Pemda.objects.select_related("parent").order_by("kemendagri_code")


def pemda_get_by_slug(slug: str) -> Pemda:
    """The Pemda with this slug (404 otherwise)."""
    return get_object_or_404(Pemda, slug=slug)


def pemda_find_by_slug(slug: str) -> Pemda | None:
    """The Pemda with this slug, or None."""
    return Pemda.objects.filter(slug=slug).first()


def pemda_directory(*, search: str = "") -> QuerySet[Pemda]:
    """Every Pemda by name (the public index of the reporting channel), optionally narrowed."""
    qs = Pemda.objects.order_by("name").only("name", "slug")
    return qs.filter(name__icontains=search) if search else qs


def unit_find_for(*, pemda: Pemda, pk: Any) -> Unit | None:
    """The Pemda's unit with this id, or None."""
    return Unit.objects.filter(pemda=pemda, pk=pk).first()


def pemda_counts(*, pemda: Pemda) -> dict[str, int]:
    """Units, positions and officials of the Pemda: one query (three counted subqueries)."""

    def counted(model: Any) -> Any:
        rows = model.objects.filter(pemda=OuterRef("pk")).order_by().values("pemda")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

    counts = (
        Pemda.objects.filter(pk=pemda.pk)
        .values(units=counted(Unit), positions=counted(Position), officials=counted(Official))
        .first()
    )
    if not counts:
        return {"units": 0, "positions": 0, "officials": 0}
    return {key: int(counts[key]) for key in ("units", "positions", "officials")}


def personal_data_list_for(*, user: Any, pemda: Pemda) -> QuerySet[Official]:
    """The officials whose personal data ``user`` may see (need-to-know, docs/permissions.md).

    Holders of ``org.personal_data`` see those within their scope (a Kepala OPD: the officials
    currently assigned in their unit subtree); everyone sees their own.
    """
    from pakta.core.permissions import has_permission, unit_scope

    own = Official.objects.filter(pemda=pemda, pk=getattr(user, "official_id", None) or 0)
    if not has_permission(user, pemda, "org.personal_data"):
        return own
    scope = unit_scope(user, pemda, "org.personal_data")
    if scope is None:
        return Official.objects.filter(pemda=pemda)
    return official_list_for(pemda=pemda, scope=scope) | own


def personal_data_visible(*, user: Any, pemda: Pemda, officials: Sequence[Official]) -> set[int]:
    """The ids among ``officials`` whose personal data ``user`` may see."""
    return personal_data_visible_ids(
        user=user, pemda=pemda, ids=[o.pk for o in officials if o.pemda_id == pemda.pk]
    )


def personal_data_visible_ids(*, user: Any, pemda: Pemda, ids: Sequence[int]) -> set[int]:
    """Among the ids of officials of ``pemda``, those whose personal data ``user`` may see."""
    from pakta.core.permissions import has_permission, unit_scope

    if not ids:
        return set()
    if (
        has_permission(user, pemda, "org.personal_data")
        and unit_scope(user, pemda, "org.personal_data") is None
    ):
        # The whole Pemda is visible: no query.
        return set(ids)
    visible = personal_data_list_for(user=user, pemda=pemda).filter(pk__in=list(ids))
    return set(visible.values_list("pk", flat=True))


# --- Who is who: the one home of these rules (docs/architecture.md) -----------------------------


def official_get_by_nip(*, pemda: Pemda, nip: str) -> Official:
    """The Pemda's official with this NIP (spaces ignored); ``DomainError`` when there is none."""
    official = official_find_by_nip(pemda=pemda, nip=nip)
    if official is None:
        raise DomainError(
            _("No official of this Pemda has the NIP %(nip)s.") % {"nip": normalize_nip(nip)}
        )
    return official


def official_find_by_nip(*, pemda: Pemda, nip: str) -> Official | None:
    """Like :func:`official_get_by_nip`, but ``None`` when there is none."""
    return Official.objects.filter(pemda=pemda, nip=normalize_nip(nip)).first()


def current_assignment(official: Official) -> Assignment | None:
    """The official's current assignment (the latest started, when acting posts overlap)."""
    return (
        official.assignments.filter(end_date__isnull=True)
        .select_related("position__unit")
        .order_by("-start_date", "-pk")
        .first()
    )


def current_position(official: Official) -> Position | None:
    assignment = current_assignment(official)
    return assignment.position if assignment else None


def top_unit(unit: Unit) -> Unit:
    """The OPD a unit belongs to (the first unit of its path)."""
    top_id = int(unit.path.strip("/").split("/")[0]) if unit.path else unit.pk
    return unit if top_id == unit.pk else Unit.objects.get(pk=top_id)


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    """A unit and every unit below it (one prefix query on the materialised path)."""
    return Unit.objects.filter(pemda_id=unit.pemda_id, path__startswith=unit.path)


def head_of(unit: Unit) -> Official | None:
    """The official currently holding the head position of ``unit``."""
    return (
        Official.objects.filter(
            assignments__end_date__isnull=True,
            assignments__position__unit=unit,
            assignments__position__is_unit_head=True,
        )
        .order_by("pk")
        .first()
    )


def direct_superior(official: Official, position: Position | None) -> Official | None:
    """The head of the official's unit, or, for a unit head, the head of the unit above."""
    if position is None:
        return None
    unit: Unit | None = position.unit.parent if position.is_unit_head else position.unit
    while unit is not None:
        head = head_of(unit)
        if head is not None and head.pk != official.pk:
            return head
        unit = unit.parent
    return None


def regional_head(pemda: Pemda) -> tuple[Official, str] | None:
    """The Pemda's regional head (bupati, wali kota, gubernur): the holder of its JPT Utama post,
    or else the official of a user holding the Pimpinan role."""
    assignment = (
        Assignment.objects.filter(
            pemda=pemda, end_date__isnull=True, position__level=Position.Level.JPT_UTAMA
        )
        .select_related("official", "position")
        .order_by("kind", "-start_date", "pk")
        .first()
    )
    if assignment is not None:
        return assignment.official, assignment.position.title
    official = (
        Official.objects.filter(
            pemda=pemda, user__memberships__pemda=pemda, user__memberships__role="pimpinan"
        )
        .order_by("pk")
        .first()
    )
    if official is not None:
        position = current_position(official)
        return official, position.title if position else ""
    return None


def inspektorat_of(pemda: Pemda) -> Unit | None:
    """The Pemda's Inspektorat (APIP): the top-level unit of that kind."""
    return (
        Unit.objects.filter(pemda=pemda, kind=Unit.Kind.INSPEKTORAT, is_active=True)
        .order_by("path")
        .first()
    )


def inspektorat_head_of(pemda: Pemda) -> Official | None:
    """The official who currently heads the Inspektorat (the Inspektur)."""
    unit = inspektorat_of(pemda)
    return head_of(unit) if unit is not None else None
