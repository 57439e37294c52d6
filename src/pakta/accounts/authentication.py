"""API authentication by session, refused while two-factor login is pending."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from pakta.accounts.middleware import two_factor_satisfied


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session login for the browsable docs, refused while two-factor login is pending."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        if not two_factor_satisfied(request._request):
            raise AuthenticationFailed(_("Two-factor verification is required."))
        return result


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    """Describe the session login in the OpenAPI schema (a cookie, as Django's own)."""

    target_class = "pakta.accounts.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
