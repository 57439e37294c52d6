"""Remind every official whose pact is overdue, across all Pemda; safe to run more than once a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakta.org.models import Pemda
from pakta.pacts.reminders import pacts_remind


class Command(BaseCommand):
    help = (
        "Send an e-mail and an in-app reminder for every overdue pact (due date passed). "
        "A pact is reminded at most once a day, so running this again the same day sends nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pemda", help="Only this Pemda (its short name in addresses).")

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = None
        if options.get("pemda"):
            pemda = Pemda.objects.filter(slug=options["pemda"]).first()
            if pemda is None:
                raise CommandError(f"No Pemda with the short name {options['pemda']!r}.")
        run = pacts_remind(acting_user=None, pemda=pemda, overdue_only=True)
        self.stdout.write(
            f"reminded={run.reminded} emailed={run.emailed} notified={run.notified} "
            f"no_account={run.no_account} email_failed={run.email_failed}"
        )
