"""View mixins: every tenant view resolves its Pemda from the URL and checks one permission.

Order of answers, the same for every view (the permission-matrix test relies on it):
logged out -> redirect to login; not a member of this Pemda -> 404 (its existence is not
revealed); a member without the permission -> 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404

from pakta.core.permissions import get_permission, has_permission, is_member, unit_scope
from pakta.core.tenancy import tenant_model


class PemdaPermissionMixin(LoginRequiredMixin):
    """Resolve ``self.pemda`` from the ``pemda`` URL argument and require ``permission``."""

    permission: str = ""
    request: HttpRequest
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.permission:
            raise LookupError(f"{type(self).__name__} declares no permission.")
        get_permission(self.permission)  # an unknown code is a programming error, found at once
        self.pemda = get_object_or_404(tenant_model(), slug=kwargs["pemda"])
        if not is_member(request.user, self.pemda):
            raise Http404
        if not has_permission(request.user, self.pemda, self.permission):
            raise PermissionDenied
        request.pemda = self.pemda  # type: ignore[attr-defined]
        return super().dispatch(request, *args, **kwargs)

    @property
    def unit_scope(self) -> list[Any] | None:
        return unit_scope(self.request.user, self.pemda, self.permission)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["pemda"] = self.pemda
        return context


class SuperadminRequiredMixin(LoginRequiredMixin):
    """Views across all Pemda (creating Pemda): superadmin only."""

    permission = "core.superadmin"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
