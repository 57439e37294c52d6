"""Errors raised by services; their message is a whole translated sentence for the user."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule refused the operation. ``str(error)`` is shown to the user."""

    def __init__(self, message: Any, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class PermissionDeniedError(DomainError):
    """The acting user may not do this."""

    def __init__(self, message: Any) -> None:
        super().__init__(message, code="permission_denied")


class LockedOutError(DomainError):
    """Too many wrong secrets: the account is locked out for a while (HTTP 429 in the API)."""

    def __init__(self, message: Any) -> None:
        super().__init__(message, code="locked_out")
