"""Make a fresh CRL of the deployment CA (run daily: the CRL promises the next within a week)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pakta.signing.services import crl_refresh


class Command(BaseCommand):
    help = "Make and store a fresh certificate revocation list (schedule it daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        data = crl_refresh()
        self.stdout.write(f"CRL refreshed ({len(data)} bytes)")
