"""Gunicorn settings of `make run`, `make run-scale` and production (docs/operations.md).

``gunicorn --config python:pakta.gunicorn_conf`` serves ``pakta.wsgi`` on
``${PAKTA_BIND:-127.0.0.1}:${PORT:-8000}`` with ``${WEB_CONCURRENCY:-2}`` worker processes.

The access log keeps the request line, status, size and duration, never the client address,
and it passes through the same filter as Django's loggers (``pakta.core.logs``): nothing is
written about the anonymous public routes or the static files. The filter sits on the loggers
themselves, so no handler, present or added later, receives such a record. This module is read
by the gunicorn master before Django is set up, so it imports no Django settings.
"""

from __future__ import annotations

import os
import time

# The master's log lines in the zone Django gives its workers (TIME_ZONE), not in UTC beside them.
os.environ.setdefault("TZ", "Asia/Jakarta")
time.tzset()

wsgi_app = "pakta.wsgi:application"
bind = [f"{os.environ.get('PAKTA_BIND', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("PAKTA_WEB_THREADS", "1"))
timeout = int(os.environ.get("PAKTA_WEB_TIMEOUT", "60"))
graceful_timeout = 10
# Only a reverse proxy on this machine may set X-Forwarded-Proto (docs/operations.md).
forwarded_allow_ips = os.environ.get("PAKTA_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No control socket: it would sit in $HOME, shared by every gunicorn of the user.
control_socket_disable = True

accesslog = "-"
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'
loglevel = os.environ.get("PAKTA_LOG_LEVEL", "info").lower()

_FILTERED = {"filters": ["anonymous_routes"], "propagate": False}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"anonymous_routes": {"()": "pakta.core.logs.AnonymousRouteFilter"}},
    "formatters": {
        "access": {"format": "%(asctime)s %(message)s"},
        "generic": {"format": "%(asctime)s [%(process)d] %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "filters": ["anonymous_routes"],
            "stream": "ext://sys.stdout",
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["anonymous_routes"],
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], **_FILTERED},
        # "Error handling request /lapor/…" and its traceback are dropped too.
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error"], **_FILTERED},
    },
}
