"""Bulk writes of plain rows, for services that write tens of thousands of rows at once.

Django's ``bulk_create`` builds a model instance per row and compiles every value through its
field; for an import of 100,000 officials that costs more than the database work itself. These
helpers take tuples already in database form and hand them to the driver's fastest path: COPY on
PostgreSQL, ``executemany`` on SQLite. They run inside the caller's transaction, with the usual
constraints and foreign-key checks; they do not bypass the service that calls them, which still
validates every row and records the audit events.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a service builds hundreds of thousands of
    objects (rows checked, tuples to write): each collection walks every live object, and in an
    import of 100,000 officials the collections took a quarter of the time. Reference counting
    still frees what is dropped; the collector runs again at the end."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve ``count`` primary keys for rows the caller will insert with explicit ids.

    On PostgreSQL the ids come from the table's sequence, so concurrent writers never collide.
    On SQLite the caller's transaction holds the database's write lock (Pakta opens transactions
    with BEGIN IMMEDIATE), so the ids after the largest ever used are free.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError(
                "allocate_ids must run inside the transaction that inserts the rows."
            )
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0),"  # noqa: S608  (model table)
            " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        row = cursor.fetchone()
    first = int(row[0] if row else 0) + 1
    return list(range(first, first + count))


def bulk_insert(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in database form, in the order of ``columns``) into the table."""
    if not rows:
        return
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    connection.ensure_connection()
    raw: Any = connection.connection
    if connection.vendor == "postgresql":
        # The driver's errors become Django's (IntegrityError...), as through the ORM.
        with (
            connection.wrap_database_errors,
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    elif connection.vendor == "sqlite":
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  (model table)
        with connection.wrap_database_errors:
            raw.executemany(sql, rows)
    else:  # pragma: no cover - only the two supported databases
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
        )


def db_datetime(value: Any) -> Any:
    """A timezone-aware datetime in the form the database driver expects for ``bulk_insert``."""
    return connection.ops.adapt_datetimefield_value(value)


def rows_matching(
    model: type[models.Model], field: str, values: Sequence[Any], columns: Sequence[str]
) -> list[tuple[Any, ...]]:
    """``columns`` of the rows whose ``field`` is one of ``values`` (thousands of them).

    The values travel as one parameter, an array on PostgreSQL (``= ANY(%s)``) or a JSON list
    on SQLite (``IN (SELECT value FROM json_each(%s))``): several times faster than an ``IN``
    list of thousands of parameters, which is what the ORM's ``__in`` sends.
    """
    if not values:
        return []
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    column = connection.ops.quote_name(field)
    param: Any
    if connection.vendor == "postgresql":
        sql, param = f"SELECT {names} FROM {table} WHERE {column} = ANY(%s)", list(values)  # noqa: S608
    elif connection.vendor == "sqlite":
        sql = f"SELECT {names} FROM {table} WHERE {column} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        param = json.dumps(list(values))
    else:  # pragma: no cover - only the two supported databases
        lookup = {f"{field}__in": values}
        return list(model._default_manager.filter(**lookup).values_list(*columns))
    with connection.cursor() as cursor:
        cursor.execute(sql, [param])
        return [tuple(row) for row in cursor.fetchall()]
    lookup = {f"{field}__in": values}
    return list(model._default_manager.filter(**lookup).values_list(*columns))


class RowTemplate:
    """A model's columns with a template row of defaults; ``row(**values)`` fills it in.

    ``names`` are the column names (for ``bulk_insert``), ``columns`` the same names quoted for
    SQL written by hand; ``with_id=False`` leaves the primary key to the database.
    """

    def __init__(self, model: type[models.Model], *, with_id: bool = True) -> None:
        self.model = model
        self.table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.names = [str(f.column) for f in fields]
        self.columns = [connection.ops.quote_name(name) for name in self.names]
        self.index = {f.attname: i for i, f in enumerate(fields)}
        template: list[Any] = []
        for f in fields:
            if f.has_default():
                template.append(f.get_default())
            elif f.null:
                template.append(None)
            elif isinstance(f, models.CharField | models.TextField):
                template.append("")
            else:
                template.append(None)
        self.template = template

    def row(self, **values: Any) -> tuple[Any, ...]:
        out = list(self.template)
        for name, value in values.items():
            out[self.index[name]] = value
        return tuple(out)
