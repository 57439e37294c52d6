from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pakta.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Recompute the audit hash chain and name the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(f"audit chain BROKEN at event #{report.broken_seq}: {report.reason}")
        self.stdout.write(f"audit chain OK: {report.checked} events verified.")
