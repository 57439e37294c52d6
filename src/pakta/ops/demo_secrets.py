"""Secrets of the demo data that a tester needs (the handler's recovery key, receipt codes).

They are never printed or logged: ``load_demo`` writes them to ``var/demo-secrets.txt``, created
readable by its owner only (mode 600), and the demo login page says where the file is. Nothing
here runs in production: the demo commands refuse to (``refuse_in_production``).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

FILE_NAME = "demo-secrets.txt"


def secrets_path() -> Path:
    return Path(settings.VAR_DIR) / FILE_NAME


def refuse_in_production(command: str) -> None:
    """Commands that create or reveal demo secrets do not run in production."""
    if settings.PRODUCTION:
        raise CommandError(
            f"{command} creates demo accounts and secrets: not with PAKTA_ENV=production."
        )


def write_secrets(lines: list[str]) -> Path:
    """Write the demo secrets, replacing an earlier file; mode 600 from the first byte."""
    path = secrets_path()
    tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    tmp.replace(path)
    return path
