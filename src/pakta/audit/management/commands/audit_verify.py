from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakta.audit import note
from pakta.audit.checkpoints import StoredNote
from pakta.audit.verify import SourceError, backup_notes, file_notes, log_verify, rows_verify


class Command(BaseCommand):
    help = (
        "Recompute the audit chain and the Merkle tree; check every signed checkpoint (in the "
        "database, the witness file, and the files and backups given) is a prefix of it; with "
        "--rows, name every audited row changed outside the app. Exit code 1 on any problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            type=Path,
            help="a file with a signed checkpoint, or a witness file (repeatable)",
        )
        parser.add_argument(
            "--backup",
            action="append",
            default=[],
            type=Path,
            help="a backup archive whose manifest's checkpoint is checked too (repeatable)",
        )
        parser.add_argument("--key", help="the log's verifier key, if not this installation's")
        parser.add_argument(
            "--rows", action="store_true", help="also check audited rows against their events"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        extra: list[StoredNote] = []
        try:
            verifier = note.Verifier.parse(options["key"]) if options["key"] else None
            for path in options["checkpoint"]:
                extra += file_notes(path)
            for path in options["backup"]:
                extra += backup_notes(path)
        except (note.NoteError, SourceError) as error:
            raise CommandError(str(error)) from None
        report = log_verify(extra=extra, verifier=verifier)
        failed = not report.ok
        if report.chain.ok:  # a broken chain is the error raised at the end
            self.stdout.write(f"audit chain OK: {report.chain.checked} events verified.")
        for problem in report.problems:
            self.stderr.write(f"audit log BROKEN: {problem}")
        if not report.problems:
            if report.checkpoints:
                self.stdout.write(
                    f"audit log OK: {report.events} entries, consistent with "
                    f"{report.checkpoints} signed checkpoints."
                )
            else:
                self.stdout.write(
                    "audit log: no signed checkpoint yet; run `manage.py audit_checkpoint`."
                )
        if options["rows"]:
            checked, problems = rows_verify()
            for row in problems:
                self.stderr.write(f"row {row.label} #{row.pk}: {row.message}")
            if problems:
                failed = True
                self.stderr.write(f"audited rows BROKEN: {len(problems)} of {checked} rows.")
            else:
                self.stdout.write(f"audited rows OK: {checked} rows match their events.")
        if failed:
            first = report.problems[0] if report.problems else ""
            if not report.chain.ok:
                raise CommandError(
                    f"audit chain BROKEN at event #{report.chain.broken_seq}: {report.chain.reason}"
                )
            raise CommandError(f"audit log BROKEN: {first}" if first else "audited rows BROKEN.")
