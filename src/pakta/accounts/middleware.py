"""Two-factor login for privileged roles."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from pakta.accounts.selectors import has_confirmed_device

ALLOWED_PREFIXES = (
    "/static/",
    "/i18n/",
    "/jsi18n/",
    "/healthz",
    "/v/",
    "/signing/crl.der",
    "/publik/",
    "/api/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/accounts/password-reset/",
    "/accounts/reset/",
)


class TwoFactorRequiredMiddleware:
    """Send a privileged user who has not passed TOTP to verification or enrolment.

    API requests authenticate with tokens (created after a verified login) and are checked by
    the API's own session authentication, so ``/api/`` is left to it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not two_factor_satisfied(request)
        ):
            target = "accounts:totp_verify" if has_confirmed_device(user) else "accounts:totp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def two_factor_satisfied(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return True
    # OTPMiddleware adds is_verified() to the request's user.
    if getattr(user, "is_verified", lambda: False)():
        return True
    if not getattr(user, "needs_two_factor", False):
        return True
    # In demo mode enrolment is not forced, but an enrolled device is still asked for.
    return bool(settings.DEMO_MODE and not has_confirmed_device(user))
