"""API plumbing shared by every app: authentication, the Pemda scope and its permission."""

from __future__ import annotations

import json
import re
from functools import cache
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.exceptions import (
    APIException,
    ParseError,
    ValidationError,
)
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from pakta.core import limits
from pakta.core.errors import DomainError, LockedOutError, PermissionDeniedError
from pakta.core.permissions import get_permission, has_permission, is_member
from pakta.core.tenancy import tenant_model


@cache
def tenant_path(model: type[Model]) -> str:
    """The lookup from ``model`` to its Pemda: ``pemda``, or through a required foreign key
    (``agreement__pemda`` for a goal). Raises ``ImproperlyConfigured`` when there is none."""
    if model._meta.label == "org.Pemda":
        return "pk"
    names = {f.name for f in model._meta.concrete_fields}
    if "pemda" in names:
        return "pemda"
    for field in model._meta.concrete_fields:
        if field.is_relation and field.many_to_one and not field.null:
            related: Any = field.related_model
            try:
                return f"{field.name}__{tenant_path(related)}"
            except ImproperlyConfigured:
                continue
    raise ImproperlyConfigured(f"{model._meta.label} does not belong to a Pemda.")


def tenant_filter(queryset: QuerySet[Any], pemda: Any) -> QuerySet[Any]:
    """Only the rows of ``pemda``: a foreign id then looks exactly like a missing one."""
    model: Any = queryset.model
    return queryset.filter(**{tenant_path(model): pemda})


class TenantRelated(serializers.PrimaryKeyRelatedField):
    """An id of an object of the request's Pemda only: another Pemda's id is answered exactly
    as an id that does not exist ("Invalid pk ... object does not exist")."""

    def get_queryset(self) -> Any:
        queryset: Any = super().get_queryset()
        view = self.context.get("view")
        pemda = getattr(view, "pemda", None)
        if pemda is None:
            return queryset.none()
        return tenant_filter(queryset, pemda)


# A model serializer whose writable related fields take ids of the request's Pemda only. (A
# comment, not a docstring: the schema would show it as the description of every serializer.)
class TenantModelSerializer(serializers.ModelSerializer):
    serializer_related_field = TenantRelated


class TenantFilterBackend(DjangoFilterBackend):
    """List filters on related objects choose among the request's Pemda only, so a foreign id
    is refused exactly as a missing one (the same 400 and message)."""

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        pemda = getattr(view, "pemda", None)
        if filterset is None or pemda is None:
            return filterset
        for item in filterset.filters.values():
            if isinstance(item, ModelChoiceFilter | ModelMultipleChoiceFilter):
                choices = item.queryset
                if choices is not None and not callable(choices):
                    item.queryset = tenant_filter(choices, pemda)
        return filterset


class PemdaPermission(BasePermission):
    """The same order as the HTML views: not a member -> 404, no permission -> 403.

    A view sets ``permission`` (the code for reads) and optionally ``write_permission``.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        pemda = get_object_or_404(tenant_model(), slug=view.kwargs["pemda"])
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


class RuleDenied(APIException):
    """HTTP 403 from a service's own rule (not the acting user's agreement, say), after the
    permission layer let the request through; its code tells the two 403s apart."""

    status_code = 403
    default_code = "rule_denied"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """DRF's handler, plus the service errors: a refusal (``DomainError``) answers 400 with its
    translated sentence, a refused permission (``PermissionDeniedError``) 403, a lockout 429.
    So an API view calls a service directly, with no try/except of its own."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, LockedOutError):
        exc = LockedOut(str(exc))
    elif isinstance(exc, PermissionDeniedError):
        exc = RuleDenied(str(exc))
    elif isinstance(exc, DomainError):
        exc = ValidationError({"detail": str(exc)})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, RuleDenied):
        response.data = {"detail": str(exc.detail), "code": exc.default_code}
    return response


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
