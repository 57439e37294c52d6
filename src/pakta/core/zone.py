"""One clock: every time inside a Pemda's pages is shown in that Pemda's zone (WIB, WITA, WIT).

``PemdaTimezoneMiddleware`` activates the zone of the Pemda named in the address
(``/p/<pemda>/``, ``/lapor/<pemda>/``, ``/publik/<pemda>/``), so every ``|date`` and
``DATETIME_FORMAT`` of those pages renders in it; the formats (``pakta/formats``) end with the
zone's name: ``26 Maret 2024 20.57 WITA``. Elsewhere the server's zone (WIB) is named as well.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pakta.core.tenancy import tenant_model

TENANT_PREFIXES = ("p", "lapor", "publik")
# Each process remembers a Pemda's zone for a minute: a change of zone (rare) shows everywhere
# within that time, and a page costs no extra query.
ZONE_TTL_SECONDS = 60
_zones: dict[str, tuple[str | None, float]] = {}


def _zone_of(slug: str) -> str | None:
    known = _zones.get(slug)
    if known is not None and known[1] > time.monotonic():
        return known[0]
    name = tenant_model().objects.filter(slug=slug).values_list("timezone", flat=True).first()
    if len(_zones) > 4096:
        _zones.clear()
    _zones[slug] = (name, time.monotonic() + ZONE_TTL_SECONDS)
    return name


def zone_for_path(path: str) -> ZoneInfo | None:
    parts = path.split("/", 3)
    if len(parts) < 3 or parts[1] not in TENANT_PREFIXES or not parts[2]:
        return None
    name = _zone_of(parts[2])
    return ZoneInfo(name) if name else None


def pemda_zone(pemda: object) -> ZoneInfo:
    """The zone of a Pemda (its ``timezone``), the server's when it has none: the one clock
    every time about that Pemda is shown in (pages, /v/, PDFs, exports, e-mails)."""
    from django.conf import settings

    return ZoneInfo(getattr(pemda, "timezone", "") or settings.TIME_ZONE)


def forget_zones() -> None:
    """Called when a Pemda's zone changes (and by tests)."""
    _zones.clear()


class PemdaTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = zone_for_path(request.path_info)
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
