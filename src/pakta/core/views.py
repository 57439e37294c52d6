"""Home (one per role), health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from pakta.accounts.selectors import pemda_list_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a user of one Pemda to its home page; list the Pemda for everyone else."""
    pemdas = list(pemda_list_for(user=request.user))
    if len(pemdas) == 1 and not request.user.is_superuser:
        return redirect(pemdas[0].get_absolute_url())
    return render(request, "core/home.html", {"pemdas": pemdas})


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
