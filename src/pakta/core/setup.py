"""The Pemda setup checklist: what must be in place before each feature can work.

Each app registers the checks of its own prerequisites (``register_check`` in its
``setup_checks.py``, imported by its AppConfig), like permissions. The admin of a Pemda sees
them on one page (``/p/<pemda>/setup/``) with what to do for each missing item, instead of a
user finding out through an error (a report whose acknowledgement cannot be sealed, a report
channel with no handler to read it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pakta.org.models import Pemda


@dataclass(frozen=True)
class SetupItem:
    """One prerequisite: whether it holds, what depends on it, and what to do when it does not."""

    label: Any
    ok: bool
    needed_for: Any
    todo: Any = ""
    link: str = ""


Check = Callable[["Pemda"], SetupItem]
_CHECKS: list[tuple[int, Check]] = []


def register_check(order: int) -> Callable[[Check], Check]:
    """Register a check; ``order`` places it on the page (organisation first, features after)."""

    def decorate(check: Check) -> Check:
        if all(existing is not check for _order, existing in _CHECKS):
            _CHECKS.append((order, check))
        return check

    return decorate


def setup_checklist(pemda: Pemda) -> list[SetupItem]:
    return [check(pemda) for _order, check in sorted(_CHECKS, key=lambda item: item[0])]
