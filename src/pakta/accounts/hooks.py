"""What other apps do with a password at the moment the user types it.

``accounts`` sits below the domain apps. The whistleblowing app keeps each handler's private key
wrapped by a key derived from their password (docs/reports.md), so it must unwrap the key at
login and rewrap it when the password changes; it registers a ``PasswordHook`` from its
``ready()`` and the login and password-change views call every hook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.http import HttpRequest
from django.http.response import HttpResponseBase


class _LoggedIn(Protocol):
    def __call__(
        self, *, request: HttpRequest, response: HttpResponseBase, user: Any, password: str
    ) -> object: ...


class _Changed(Protocol):
    def __call__(self, *, user: Any, old_password: str, new_password: str) -> object: ...


@dataclass(frozen=True)
class PasswordHook:
    logged_in: _LoggedIn
    changed: _Changed


HOOKS: list[PasswordHook] = []


def register_password_hook(hook: PasswordHook) -> None:
    if hook not in HOOKS:
        HOOKS.append(hook)


def password_logged_in(
    *, request: HttpRequest, response: HttpResponseBase, user: Any, password: str
) -> None:
    for hook in HOOKS:
        hook.logged_in(request=request, response=response, user=user, password=password)


def password_changed(*, user: Any, old_password: str, new_password: str) -> None:
    for hook in HOOKS:
        hook.changed(user=user, old_password=old_password, new_password=new_password)
