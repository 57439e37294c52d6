""" "Tugas saya": what waits for a user, gathered from every app.

Each app registers a provider ``(user, pemda) -> Iterable[Todo]`` from its ``ready()`` (or its
``permissions.py``); the home page lists the union, oldest first. A provider answers from
selectors with a bounded number of queries (no query per row) and only what this user may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


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
