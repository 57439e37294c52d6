"""API plumbing shared by every app: authentication, the Pemda scope and its permission."""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import (
    APIException,
    AuthenticationFailed,
    ParseError,
    ValidationError,
)
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from pakta.core import limits
from pakta.core.errors import DomainError, LockedOutError
from pakta.core.permissions import get_permission, has_permission, is_member


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session login for the browsable docs, refused while two-factor login is pending."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        from pakta.accounts.middleware import two_factor_satisfied

        if not two_factor_satisfied(request._request):
            raise AuthenticationFailed(_("Two-factor verification is required."))
        return result


class PemdaPermission(BasePermission):
    """The same order as the HTML views: not a member -> 404, no permission -> 403.

    A view sets ``permission`` (the code for reads) and optionally ``write_permission``.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        from pakta.org.models import Pemda

        if not request.user or not request.user.is_authenticated:
            return False
        pemda = get_object_or_404(Pemda, slug=view.kwargs["pemda"])
        if not is_member(request.user, pemda):
            raise Http404
        code = view.permission
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            code = getattr(view, "write_permission", code)
        get_permission(code)
        view.pemda = pemda
        return has_permission(request.user, pemda, code)


class LockedOut(APIException):
    """HTTP 429: too many wrong secrets, the account is locked out for a while."""

    status_code = 429
    default_code = "locked_out"


def service_call(call: Any) -> Any:
    """Run a service for an API view: a refusal answers 400 with its sentence, a lockout 429."""
    try:
        return call()
    except LockedOutError as error:
        raise LockedOut(str(error)) from error
    except DomainError as error:
        raise ValidationError({"detail": str(error)}) from error


class RequestTooLarge(APIException):
    status_code = 413
    default_code = "too_large"


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in ``text`` (brackets inside strings do not count)."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    return max(accumulate(1 if ch in "[{" else -1 for ch in brackets), default=0)


class SafeJSONParser(JSONParser):
    """JSON with a size and a depth limit: a clear 413 or 400 instead of parsing 30 MB or
    recursing 100,000 levels deep (``core/limits.py``)."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        limit = limits.JSON_MAX_BYTES
        too_large = RequestTooLarge(
            _("The request body is larger than %(size)s.") % {"size": filesizeformat(limit)}
        )
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and str(declared).isdigit() and int(declared) > limit:
            raise too_large
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise too_large
        try:
            text = raw.decode(settings.DEFAULT_CHARSET)
        except UnicodeDecodeError as error:
            raise ParseError(_("The request body is not valid UTF-8 text.")) from error
        if json_depth(text) > limits.JSON_MAX_DEPTH:
            raise ParseError(
                _("The JSON is nested more than %(depth)d levels deep.")
                % {"depth": limits.JSON_MAX_DEPTH}
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            raise ParseError(_("The request body is not valid JSON.")) from error


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    """Describe the session login in the OpenAPI schema (a cookie, as Django's own)."""

    target_class = "pakta.core.api.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
