"""Import OCDS data for a Pemda: ``python -m pakta procurement import --pemda SLUG FILE``.

Same checks as the upload page: per-line errors (line, ocid, path, value), all or nothing unless
``--valid-lines-only``; then the Pemda's red flags are recomputed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakta.core.errors import DomainError
from pakta.org.models import Pemda
from pakta.procurement.models import OcdsImport
from pakta.procurement.services.imports import ocds_import_create, ocds_import_run


class Command(BaseCommand):
    help = "Import OCDS compiled releases, release packages or record packages (JSON Lines)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--pemda", required=True, help="the Pemda's short name (slug)")
        parser.add_argument(
            "--valid-lines-only",
            action="store_true",
            help="import the valid lines and report the others (default: all or nothing)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = Pemda.objects.filter(slug=options["pemda"]).first()
        if pemda is None:
            raise CommandError(f"No Pemda {options['pemda']!r}.")
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        mode = (
            OcdsImport.Mode.GOOD_ROWS
            if options["valid_lines_only"]
            else OcdsImport.Mode.ALL_OR_NOTHING
        )
        try:
            job = ocds_import_create(
                pemda=pemda,
                acting_user=None,
                file_name=path.name,
                content=content,
                mode=mode,
                enqueue=False,
            )
        except DomainError as error:
            raise CommandError(str(error)) from None
        job = ocds_import_run(job_id=job.pk)
        for problem in job.errors:
            self.stderr.write(
                f"line {problem['line']}: {problem['path'] or '-'}: {problem['text']} "
                f"[{problem['value']}]"
            )
        self.stdout.write(f"{job.get_status_display()}: {job.summary}")
        if job.status != OcdsImport.Status.DONE:
            raise CommandError("Nothing was imported.")
