"""Recipients: who may receive a report, sealing its key to them, notifying them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.utils import timezone

from pakta.core.bulk import bulk_insert, db_datetime
from pakta.core.roles import Role
from pakta.org.models import Official, Pemda, Unit
from pakta.reports import crypto
from pakta.reports.models import (
    HandlerKey,
    Report,
    ReportExclusion,
    ReportKeyGrant,
)
from pakta.reports.services.base import Stage

# --- Recipients: who may receive a report -------------------------------------------------------


def handler_keys_of(pemda: Pemda) -> QuerySet[HandlerKey]:
    """Enrolled keys of the active Inspektorat handlers of ``pemda``."""
    return HandlerKey.objects.filter(
        user__is_active=True,
        user__memberships__pemda=pemda,
        user__memberships__role=Role.INSPEKTORAT,
    ).distinct()


def eligible_handler_keys(report: Report) -> QuerySet[HandlerKey]:
    """Keys of the handlers of the report's Pemda who are not excluded from it."""
    excluded = ReportExclusion.objects.filter(report=report).values("user_id")
    return handler_keys_of(report.pemda).exclude(user_id__in=excluded)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


@dataclass(frozen=True)
class _Handler:
    """What routing a new report needs to know of one Inspektorat handler."""

    user_id: int
    full_name: str
    official_id: int | None
    nip: str
    official_name: str
    public_key: bytes | None
    open_cases: int


@dataclass(frozen=True)
class _Routing:
    handlers: list[_Handler]
    escrow_id: int | None
    escrow_public_key: bytes | None


def _routing(pemda: Pemda) -> _Routing:
    """The Pemda's handlers (official, key, open cases) and its active escrow key.

    Two hand-written queries: this runs on every intake, and the ORM's compilation of the same
    joins and the per-handler case count costs more than the database does.
    """
    from pakta.accounts.models import Membership, User
    from pakta.reports.models import EscrowKey

    tables = {
        "user": User._meta.db_table,
        "member": Membership._meta.db_table,
        "official": Official._meta.db_table,
        "key": HandlerKey._meta.db_table,
        "report": Report._meta.db_table,
        "escrow": EscrowKey._meta.db_table,
    }
    handlers_sql = """
        SELECT u.id, u.first_name, u.last_name, o.id, o.nip, o.name, k.public_key,
               (SELECT COUNT(*) FROM {report} r
                 WHERE r.assignee_id = u.id AND r.stage <> %s) AS open_cases
          FROM {user} u
          LEFT JOIN {official} o ON o.id = u.official_id
          LEFT JOIN {key} k ON k.user_id = u.id
         WHERE u.is_active = %s
           AND u.id IN (SELECT m.user_id FROM {member} m WHERE m.pemda_id = %s AND m.role = %s)
         ORDER BY u.id
    """.format(**tables)  # noqa: S608  (table names from the models, values as parameters)
    escrow_sql = "SELECT id, public_key FROM {escrow} WHERE pemda_id = %s AND is_active = %s"
    with connection.cursor() as cursor:
        cursor.execute(handlers_sql, [Stage.CLOSED.value, True, pemda.pk, Role.INSPEKTORAT.value])
        rows = cursor.fetchall()
        cursor.execute(escrow_sql.format(**tables), [pemda.pk, True])
        escrow = cursor.fetchone()
    handlers = [
        _Handler(
            user_id=row[0],
            full_name=f"{row[1] or ''} {row[2] or ''}".strip(),
            official_id=row[3],
            nip=row[4] or "",
            official_name=row[5] or "",
            public_key=bytes(row[6]) if row[6] is not None else None,
            open_cases=int(row[7]),
        )
        for row in rows
    ]
    return _Routing(
        handlers=handlers,
        escrow_id=escrow[0] if escrow else None,
        escrow_public_key=bytes(escrow[1]) if escrow else None,
    )


def _excluded(handlers: Sequence[_Handler], who: str, reported_unit: Unit | None) -> dict[int, str]:
    text = _normalise(who)
    digits = set(re.findall(r"\d{18}", re.sub(r"[\s.\-]", "", who or "")))
    excluded: dict[int, str] = {}
    for handler in handlers:
        if handler.nip and handler.nip in digits:
            excluded[handler.user_id] = "named"
            continue
        for name in (handler.full_name, handler.official_name):
            normalised = _normalise(name).strip()
            if normalised and f" {normalised} " in text:
                excluded[handler.user_id] = "named"
                break
    if reported_unit is not None:
        from pakta.org.models import Assignment

        by_official = {h.official_id: h.user_id for h in handlers if h.official_id}
        in_unit = Assignment.objects.filter(
            official_id__in=list(by_official),
            end_date__isnull=True,
            position__unit__path__startswith=reported_unit.path,
        ).values_list("official_id", flat=True)
        for official_id in in_unit:
            excluded.setdefault(by_official[official_id], "unit")
    return excluded


def excluded_handlers(*, pemda: Pemda, who: str, reported_unit: Unit | None) -> dict[int, str]:
    """Handlers to exclude automatically, computed from the plaintext before it is encrypted.

    A handler is excluded when the "who" text names them (their NIP, or their full name as
    words) or when they work in the reported unit or one of its sub-units. Returns user ids.
    """
    return _excluded(_routing(pemda).handlers, who, reported_unit)


def _open_load(users: Iterable[int]) -> dict[int, int]:
    rows = (
        Report.objects.filter(assignee_id__in=list(users))
        .exclude(stage=Stage.CLOSED)
        .values("assignee_id")
        .annotate(n=Count("pk"))
    )
    return {row["assignee_id"]: row["n"] for row in rows}


def _pick_assignee(user_ids: Sequence[int]) -> int | None:
    """The handler with the fewest open cases (the lowest id on a tie)."""
    if not user_ids:
        return None
    load = _open_load(user_ids)
    return min(user_ids, key=lambda pk: (load.get(pk, 0), pk))


def _seal_to_handlers(
    report: Report, report_key: bytes, handlers: Sequence[_Handler], routing: _Routing
) -> None:
    """One grant row per handler (and the escrow key), written as plain rows: this runs on every
    intake, and building model instances cost more than sealing the key."""
    created_at = db_datetime(timezone.now())
    intake, escrow = ReportKeyGrant.Reason.INTAKE.value, ReportKeyGrant.Reason.ESCROW.value
    rows: list[tuple[int, int | None, int | None, bytes, str]] = [
        (report.pk, handler.user_id, None, crypto.seal_to(handler.public_key, report_key), intake)
        for handler in handlers
        if handler.public_key is not None
    ]
    if routing.escrow_public_key is not None:
        sealed = crypto.seal_to(routing.escrow_public_key, report_key)
        rows.append((report.pk, None, routing.escrow_id, sealed, escrow))
    bulk_insert(
        ReportKeyGrant,
        ("report_id", "user_id", "escrow_id", "sealed_key", "reason", "created_at"),
        [(*row, created_at) for row in rows],
    )


def _notify(users: Iterable[Any], report: Report, message: str) -> None:
    try:
        from pakta.notifications.services import notify
    except ImportError:  # the notifications app is optional
        return
    url = report.get_absolute_url()
    for user in users:
        notify(user=user, message=message, url=url, pemda=report.pemda)


def _user_stub(pk: int) -> Any:
    """A user to point a row at by id, without loading it."""
    from pakta.accounts.models import User

    return User(pk=pk)


def _users(ids: Iterable[int]) -> list[Any]:
    from pakta.accounts.models import User

    return list(User.objects.filter(pk__in=list(ids)))
