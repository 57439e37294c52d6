"""`manage.py restore ARCHIVE [--force]`: restore a backup into an empty installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakta.core.errors import DomainError
from pakta.ops.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Check every hash of a backup archive, restore its database and documents into this "
        "installation (which must be empty unless --force), then verify the audit chain and "
        "the document hashes. Stop the web and task processes first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the .tar.gz written by `manage.py backup`")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(archive=options["archive"], force=options["force"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        manifest = report.manifest
        self.stdout.write(
            f"restored {manifest['engine']} database and {manifest['document_files']} document "
            f"files from the backup of {manifest['created_at']}"
        )
        if report.chain.ok:
            self.stdout.write(f"audit chain OK: {report.chain.checked} events verified.")
        else:
            self.stdout.write(
                f"audit chain BROKEN at event #{report.chain.broken_seq}: {report.chain.reason}"
            )
        if not report.head_matches:
            self.stdout.write("audit chain head does NOT match the head recorded in the manifest.")
        if report.documents_failed:
            self.stdout.write(
                f"documents: {len(report.documents_failed)} of {report.documents_checked} FAILED "
                f"hash verification: {', '.join(report.documents_failed[:20])}"
            )
        else:
            self.stdout.write(f"documents OK: {report.documents_checked} hashes verified.")
        if not report.ok:
            raise CommandError("verification after restore FAILED; see above.")
