from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pakta.notifications.reminders import reminders_run


class Command(BaseCommand):
    help = "Run every reminder registered with pakta.notifications.reminders (daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_run()
        for name, count in sent.items():
            self.stdout.write(f"{name}: {count}")
        failed = [name for name, count in sent.items() if count < 0]
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")
