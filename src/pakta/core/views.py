"""Home (one per role), health check, and the error pages (400, 403, 404, 500, CSRF)."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.setup import setup_checklist


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app answers and the database does; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# --- Error pages ---------------------------------------------------------------------------------

# Fields whose value is a secret: never echoed back on the CSRF failure page.
SECRET_FIELD = re.compile(r"pass|credential|receipt|token|otp|pin|secret|key|code", re.IGNORECASE)
ECHO_MAX_CHARS = 20_000


def _typed_text(request: HttpRequest) -> list[tuple[str, str]]:
    """What the visitor typed into the refused form (text only, no secrets), to copy back."""
    try:
        items = list(request.POST.lists())
    except Exception:  # a body that cannot be parsed has nothing to give back
        return []
    typed = []
    for name, values in items:
        if name == "csrfmiddlewaretoken" or SECRET_FIELD.search(name):
            continue
        for value in values:
            # Sentences, not choices or check boxes (quickly set again) nor single words.
            if len(value.strip()) >= 25 or " " in value.strip():
                typed.append((name, value[:ECHO_MAX_CHARS]))
    return typed


def _back_url(request: HttpRequest) -> str:
    """Where the visitor goes to send again: the form's own page."""
    target = request.POST.get("next", "") if request.method == "POST" else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return request.path


@never_cache
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired page, cookies blocked, a post from another site), in the
    visitor's language, in every mode: what happened, what to do, and what they typed.

    The reason is not shown: it helps nobody who filled in a form and tells an attacker which
    check failed. Nothing is logged for the public routes (``pakta.core.logs``).
    """
    context = {"back_url": _back_url(request), "typed": _typed_text(request)}
    return render(request, "core/csrf_failure.html", context, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page without the request context: whatever broke may break the context too."""
    return HttpResponse(loader.render_to_string("500.html"), status=500)


# --- Pemda setup checklist -----------------------------------------------------------------------


class SetupChecklistView(PemdaPermissionMixin, TemplateView):
    """What a Pemda's admin still has to put in place, feature by feature (``core.setup``)."""

    permission = "org.manage"
    template_name = "core/setup.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        items = setup_checklist(self.pemda)
        context["items"] = items
        context["missing"] = sum(1 for item in items if not item.ok)
        return context
