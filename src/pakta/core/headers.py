"""Response headers for privacy: no caching of what a logged-in user sees, and a Permissions-Policy.

``Cache-Control: private, no-store`` goes on every response to a logged-in user (session) and on
every answer of the tenant API (token or session): staff pages, the API token page, the TOTP
enrolment page with its secret, exports and PDFs may hold personal data or secrets, and neither a
shared office browser's cache nor a proxy may keep them. A response a view marks ``public`` (the
CRL) carries nothing personal and is left alone. Static files are served by WhiteNoise before
this middleware runs and stay cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

NO_STORE = "private, no-store"


def _personal(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or "HTTP_AUTHORIZATION" in request.META
        or request.path.startswith("/api/v1/p/")
        or request.path.startswith("/accounts/")
    )


class PrivacyHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _personal(request):
            current = response.get("Cache-Control", "")
            if "public" not in current and "no-store" not in current:
                response["Cache-Control"] = NO_STORE
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
