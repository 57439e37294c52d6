"""Logging that records nothing about the anonymous public routes.

A whistleblower's request must leave no trace: not the path of the Pemda's reporting page, not
the time of a post, not an error. Django writes request paths in three places: the development
server's access log (``django.server``), the request logger (``django.request``: every 4xx as a
warning, every 5xx with its traceback) and the CSRF logger (``django.security.csrf``). This
filter drops every record that concerns a public route; it sits on those loggers (so that no
handler, not even one added later at the root, receives the record) and on every handler of
``settings.LOGGING``.
"""

from __future__ import annotations

import logging

from pakta.core.public import PUBLIC_PREFIXES

# Static files too: a public page's own style sheet, fetched right after it, would tell when
# someone opened the reporting page.
UNLOGGED_PREFIXES = (*PUBLIC_PREFIXES, "/static/", "/favicon.ico")


class AnonymousRouteFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and path.startswith(UNLOGGED_PREFIXES):
            return False
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is kept as it is
            return True
        # The access log writes the request line ("POST /lapor/alfa/ HTTP/1.1"); error messages
        # end with the path ("Not Found: /v/abc").
        return not any(
            f" {prefix}" in message or f":{prefix}" in message for prefix in UNLOGGED_PREFIXES
        )
