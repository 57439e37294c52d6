""" "Tugas saya": what waits for a user, gathered from every app.

Each app registers a provider ``(user, pemda) -> Iterable[Todo]`` from its ``ready()`` (or its
``permissions.py``); the home page lists the union, oldest first. A provider answers from
selectors with a bounded number of queries (no query per row) and only what this user may see.

The home page reads the list through ``todo_list_cached``: kept per user, Pemda and language in
the shared cache for at most ``PAKTA_TODO_CACHE_SECONDS`` (one cache read instead of a dozen
queries when Beranda is opened again). A kept list is used only while nothing has changed in the
Pemda: every audited change (``audit_record``: every decision of a service) moves the Pemda's
version (``todo_pemda_changed``), as does any form the user sends (``TodoCacheMiddleware``). What
changes with the passing of time alone (a stage deadline passing) shows within the time-to-live.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation


@dataclass(frozen=True)
class Todo:
    kind: str  # "<app>.<what>", e.g. "pacts.sign"
    title: str  # a whole translated sentence: "Tandatangani Pakta Integritas 2026"
    url: str
    since: dt.datetime | dt.date | None = None  # when it started waiting (oldest first)
    due: dt.datetime | dt.date | None = None  # its deadline, if any


Provider = Callable[[Any, Any], Iterable[Todo]]
PROVIDERS: dict[str, Provider] = {}


def register_todo(name: str, provider: Provider) -> None:
    PROVIDERS[name] = provider


def _key(todo: Todo) -> tuple[int, str]:
    when = todo.due or todo.since
    if when is None:
        return (1, "")
    if isinstance(when, dt.datetime):
        when = when.date()
    return (0, when.isoformat())


def todo_list_for(*, user: Any, pemda: Any) -> list[Todo]:
    """Everything waiting for ``user`` in ``pemda``: earliest deadline (or oldest) first."""
    items: list[Todo] = []
    for _name, provider in sorted(PROVIDERS.items()):
        items.extend(provider(user, pemda))
    return sorted(items, key=_key)


# --- The kept list ------------------------------------------------------------------------------

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _ttl() -> int:
    return int(getattr(settings, "PAKTA_TODO_CACHE_SECONDS", 60))


def _entry_key(user_id: int) -> str:
    return f"pakta:todo:{user_id}"


def _user_version_key(user_id: int) -> str:
    return f"pakta:todo-user:{user_id}"


def _pemda_version_key(pemda_id: int) -> str:
    return f"pakta:todo-pemda:{pemda_id}"


def todo_list_cached(*, user: Any, pemda: Any) -> list[Todo]:
    """``todo_list_for``, kept while neither the Pemda nor the user's own actions changed it.

    The versions are read *before* the list is computed and kept with it: a change that lands
    while the list is being computed makes the kept list stale at once."""
    ttl = _ttl()
    if ttl <= 0 or not getattr(user, "pk", None):
        return todo_list_for(user=user, pemda=pemda)
    keys = _entry_key(user.pk), _user_version_key(user.pk), _pemda_version_key(pemda.pk)
    found = cache.get_many(keys)
    versions = (found.get(keys[1], ""), found.get(keys[2], ""))
    slot = (pemda.pk, translation.get_language())
    entry = found.get(keys[0])
    if entry and entry.get(slot, (None,))[0] == versions:
        return list(entry[slot][1])
    todos = todo_list_for(user=user, pemda=pemda)
    entry = {k: v for k, v in (entry or {}).items() if k[0] != pemda.pk or k == slot}
    entry[slot] = (versions, todos)
    cache.set(keys[0], entry, ttl)
    return todos


def pemda_kept(*, pemda: Any, name: str, compute: Callable[[], Any]) -> Any:
    """A value about the whole Pemda (its counts on Beranda), kept like the lists above: until
    the next audited change in the Pemda, at most ``PAKTA_TODO_CACHE_SECONDS``."""
    ttl = _ttl()
    if ttl <= 0:
        return compute()
    keys = f"pakta:kept:{name}:{pemda.pk}", _pemda_version_key(pemda.pk)
    found = cache.get_many(keys)
    version = found.get(keys[1], "")
    entry = found.get(keys[0])
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    cache.set(keys[0], (version, value), ttl)
    return value


def _bump(keys: list[str]) -> None:
    version = secrets.token_hex(6)
    cache.set_many(dict.fromkeys(keys, version), 2 * _ttl() + 60)


def _changed(keys: list[str]) -> None:
    """Move these versions now (this transaction's own later reads) and again once the
    transaction commits (a list computed meanwhile from the rows before the change is not kept).
    Once per savepoint: a service that records a thousand events moves them once."""
    if _ttl() <= 0 or not keys:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(keys)
        return
    savepoints = set(connection.savepoint_ids)
    queued: set[str] = set()
    for sids, func, _robust in connection.run_on_commit:
        if sids == savepoints:
            queued |= getattr(func, "todo_keys", frozenset())
    fresh = [key for key in keys if key not in queued]
    if not fresh:
        return
    _bump(fresh)

    def bump() -> None:
        _bump(fresh)

    bump.todo_keys = frozenset(fresh)  # type: ignore[attr-defined]
    transaction.on_commit(bump)


def todo_pemda_changed(pemda_ids: Iterable[int | None]) -> None:
    """Something changed in these Pemda (an audited decision): kept lists are read again."""
    _changed([_pemda_version_key(pk) for pk in sorted({pk for pk in pemda_ids if pk})])


def todo_user_changed(user_ids: Iterable[int | None]) -> None:
    _changed([_user_version_key(pk) for pk in sorted({pk for pk in user_ids if pk})])


class TodoCacheMiddleware:
    """A user's own actions show at once in their "Tugas saya": after any unsafe request of a
    signed-in user (a form sent, a document signed), their kept list is read again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                todo_user_changed([user.pk])
        return response
