"""Remind every official whose Perjanjian Kinerja is overdue; safe to run more than once a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakta.org.models import Pemda
from pakta.performance.services import agreements_remind


class Command(BaseCommand):
    help = (
        "Send an in-app reminder to the first party of every overdue performance agreement "
        "(due date passed, not signed). An agreement is reminded at most once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pemda", help="Only this Pemda (its short name in addresses).")

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = None
        if options.get("pemda"):
            pemda = Pemda.objects.filter(slug=options["pemda"]).first()
            if pemda is None:
                raise CommandError(f"No Pemda with the short name {options['pemda']!r}.")
        count = agreements_remind(acting_user=None, pemda=pemda)
        self.stdout.write(f"reminded={count}")
