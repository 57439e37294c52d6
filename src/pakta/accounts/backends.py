"""Login by username or by 18-digit NIP."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from pakta.accounts.models import User
from pakta.org.nip import normalize_nip


def user_for_login(login: str) -> User | None:
    """The user a login name designates: an 18-digit NIP (spaces allowed) or a username."""
    nip = normalize_nip(login)
    if len(nip) == 18 and nip.isdigit():
        return User.objects.filter(official__nip=nip).first()
    return User.objects.filter(username__iexact=login.strip()).first()


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The key django-axes counts failed logins under (``AXES_USERNAME_CALLABLE``).

    One key per account, whatever was typed: otherwise alternating the NIP and the username,
    or changing the case of the username, would each get their own quota of attempts.
    """
    data: Any = credentials
    if data is None and request is not None:
        data = getattr(request, "data", request.POST)
    login = str((data or {}).get("username") or "")
    user = user_for_login(login) if login.strip() else None
    return user.get_username() if user is not None else normalize_nip(login).lower()


class UsernameOrNipBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not tell
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
