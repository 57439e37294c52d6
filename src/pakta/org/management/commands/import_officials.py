"""Import officials from an HR export file, with the same checks and result as the web page.

manage.py import_officials pegawai.xlsx --pemda lampung-selatan --user admin [--dry-run]
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakta.core.errors import DomainError
from pakta.org import imports
from pakta.org.models import ImportJob, Pemda


class Command(BaseCommand):
    help = "Import officials from an HR export (CSV, XLSX, XLS, ODS) into one Pemda."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--pemda", required=True, help="the Pemda's short name (slug)")
        parser.add_argument(
            "--user", help="username recorded as the uploader (default: the first superuser)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and preview only")
        parser.add_argument(
            "--mode",
            choices=[m.value for m in ImportJob.Mode],
            default=ImportJob.Mode.ALL_OR_NOTHING,
        )
        parser.add_argument("--sheet", help="the sheet to read (default: found automatically)")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="date of position changes")
        parser.add_argument(
            "--end-missing",
            action="store_true",
            help="end the assignments of officials missing from the file (a full export)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = Pemda.objects.filter(slug=options["pemda"]).first()
        if pemda is None:
            raise CommandError(f"No Pemda with the short name {options['pemda']!r}.")
        users = get_user_model().objects
        user = (
            users.filter(username=options["user"]).first()
            if options["user"]
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError("No such user (give --user).")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if path.stat().st_size > settings.PAKTA_IMPORT_MAX_BYTES:
            raise CommandError(str(imports.too_large_error()))
        try:
            job = imports.import_job_create(
                pemda=pemda,
                file_name=path.name,
                content=path.read_bytes(),
                acting_user=user,
                mode=options["mode"],
                effective_date=options["date"],
                sheet=options["sheet"],
                enqueue=False,
            )
            if job.status == ImportJob.Status.MAPPING:
                raise CommandError(
                    "Some required columns were not recognised (found: "
                    + ", ".join(h for h in job.headers if h)
                    + "). Map them once on the import page; the mapping is then remembered."
                )
            job = imports.import_job_run(job_id=job.pk)
            self._report_preview(job)
            if options["dry_run"]:
                imports.import_job_cancel(job=job, acting_user=user)
                self.stdout.write("Dry run: nothing was written.")
                return
            job = imports.import_job_confirm(
                job=job,
                acting_user=user,
                mode=options["mode"],
                end_missing=options["end_missing"],
                enqueue=False,
            )
            if job.status == ImportJob.Status.CONFIRMED:
                job = imports.import_job_run(job_id=job.pk)
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Import {job.pk}: {job.status}")
        for key, value in job.summary.items():
            self.stdout.write(f"  {key}: {value}")
        if job.status != ImportJob.Status.DONE:
            raise CommandError("Nothing was imported: some rows are invalid (see above).")

    def _report_preview(self, job: ImportJob) -> None:
        preview = job.preview
        self.stdout.write(
            f"Sheet {job.sheet or '-'}, headers on line {job.header_line}, {job.total_rows} rows"
        )
        for key in ("added", "updated", "moved", "unchanged", "leaving", "missing"):
            self.stdout.write(f"  {key}: {preview.get(key, 0)}")
        self.stdout.write(f"  units to create: {preview.get('units_new_count', 0)}")
        for unit in preview.get("units_new", []):
            close = "; ".join(s["name"] for s in unit.get("suggestions", []))
            self.stdout.write(f"    {unit['path']}" + (f"  (close to: {close})" if close else ""))
        self.stdout.write(f"  positions to create: {preview.get('positions_new_count', 0)}")
        for group in imports.error_groups(job):
            self.stdout.write(f"  {group['count']} rows: {group['label']}")
        for error in job.errors[:20]:
            self.stdout.write(f"    line {error['line']}: {' '.join(error['reasons'])}")
