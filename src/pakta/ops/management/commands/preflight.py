"""`manage.py preflight`: stop start-up with one clear line when a service does not answer.

Run first by `make run`, `scripts/serve.sh` and the Procfile (docs/operations.md): a
``DATABASE_URL`` or ``REDIS_URL`` that does not answer ends start-up with one line that says what
to set, never a traceback. A missing secret or a loopback ``PAKTA_SITE_URL`` in production is
refused earlier, when the settings are read (``pakta.settings``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections


def _where(url: str) -> str:
    """``host:port`` of a service URL, without the user name or password."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or ''}".rstrip(":")


class Command(BaseCommand):
    help = "Checks that the database and Redis answer; one line and a non-zero exit if not."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        database = connections["default"]
        try:
            database.ensure_connection()
        except DatabaseError as error:
            params = database.settings_dict
            if database.vendor == "sqlite":
                where = str(params["NAME"])
            else:
                where = f"{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}"
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
            raise CommandError(
                f"The database at {where} ({params.get('NAME')}) does not answer ({reason}):"
                " start it, or set DATABASE_URL to one that runs"
                " (e.g. postgres://postgres@127.0.0.1:5432/pakta)."
            ) from None
        finally:
            database.close()
        if settings.REDIS_URL:
            import redis

            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3
            )
            try:
                client.ping()
            except redis.RedisError as error:
                raise CommandError(
                    f"Redis at {_where(settings.REDIS_URL)} does not answer ({error}): start it"
                    " (redis-server), or set REDIS_URL to one that runs"
                    " (e.g. redis://127.0.0.1:6379/0), or unset it to use the database for tasks."
                ) from None
            finally:
                client.close()
        if options["verbosity"] > 1:
            self.stdout.write("preflight: the database and Redis answer.")
