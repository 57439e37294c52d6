"""Login by username or by 18-digit NIP."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from pakta.accounts.models import User


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
        login = username.strip()
        if len(login) == 18 and login.isdigit():
            user = User.objects.filter(official__nip=login).first()
        else:
            user = User.objects.filter(username__iexact=login).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not tell
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
