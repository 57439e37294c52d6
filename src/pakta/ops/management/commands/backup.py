"""`manage.py backup [--output PATH]`: one archive of the database, documents and a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakta.core.errors import DomainError
from pakta.ops.backup import backup_create


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive (var/backups/ by default) with a consistent copy of the "
        "database, the document store and a manifest of SHA-256 hashes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="archive file name, or an existing directory for it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(output=options["output"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        head = manifest["audit_chain_head"]
        self.stdout.write(
            f"backup written: {result.path} ({result.path.stat().st_size} bytes; "
            f"{manifest['engine']} database, {manifest['document_files']} document files, "
            f"audit chain head #{head['seq']} {head['hash'][:12]})"
        )
