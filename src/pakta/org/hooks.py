"""What other apps do when an assignment starts or an import that started it is undone.

``org`` sits below the domain apps and imports none of them (the layers in
docs/directory-map.md). An app that must react to a position change (``pacts``: the pact for a
new position) registers an ``AssignmentHook`` from its ``ready()``; org's services call every
hook inside their own transaction, so a refusal rolls the whole change back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from pakta.org.models import Assignment


class _Started(Protocol):
    def __call__(self, *, assignment: Assignment, acting_user: Any) -> object: ...


class _Dependents(Protocol):
    def __call__(self, assignment_ids: list[int]) -> tuple[str, list[int]]: ...


@dataclass(frozen=True)
class AssignmentHook:
    started: _Started  # an assignment began (by hand or by an HR import)
    undone: _Started  # an import that started it is being undone (may refuse: DomainError)
    dependents: _Dependents  # ("app.model", ids) of rows made for these assignments


HOOKS: list[AssignmentHook] = []


def register_assignment_hook(hook: AssignmentHook) -> None:
    if hook not in HOOKS:
        HOOKS.append(hook)


def assignment_started(*, assignment: Assignment, acting_user: Any) -> None:
    for hook in HOOKS:
        hook.started(assignment=assignment, acting_user=acting_user)


def assignment_undone(*, assignment: Assignment, acting_user: Any) -> None:
    for hook in HOOKS:
        hook.undone(assignment=assignment, acting_user=acting_user)


def assignment_dependents(assignment_ids: Iterable[int]) -> dict[str, list[int]]:
    ids = list(assignment_ids)
    return dict(hook.dependents(ids) for hook in HOOKS)
