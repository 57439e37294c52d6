"""Daily: remind owners of action items due soon, escalate late items to the owner's superior."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pakta.actionplans.services import action_reminders_run


class Command(BaseCommand):
    help = "Remind owners of action items due soon and escalate late items (run once a day)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = action_reminders_run()
        self.stdout.write(
            f"reminded={run.reminded} escalated={run.escalated} notified={run.notified} "
            f"emailed={run.emailed} email_failed={run.email_failed} no_recipient={run.no_recipient}"
        )
