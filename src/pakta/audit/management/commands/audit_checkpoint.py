from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakta.audit.checkpoints import CheckpointRefused, checkpoint_create, latest_checkpoint
from pakta.audit.tasks import audit_checkpoint_task


class Command(BaseCommand):
    help = (
        "Sign a checkpoint of the transparency log if events arrived since the last one "
        "(run it from cron every few minutes, or pass --schedule once to let the task worker "
        "do it every PAKTA_AUDIT_CHECKPOINT_SECONDS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="enqueue the self-rescheduling task"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            if _already_scheduled():
                self.stdout.write("checkpoint task already scheduled.")
                return
            audit_checkpoint_task.enqueue(reschedule=True)
            self.stdout.write("checkpoint task scheduled.")
            return
        try:
            checkpoint = checkpoint_create()
        except CheckpointRefused as error:
            raise CommandError(str(error)) from None
        if checkpoint is None:
            latest = latest_checkpoint()
            self.stdout.write(f"no new events: latest checkpoint {latest.size if latest else 0}.")
        else:
            self.stdout.write(checkpoint.note, ending="")


def _already_scheduled() -> bool:
    """With the database task backend, whether a checkpoint task is already waiting (so that
    restarting the server does not start a second loop)."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=audit_checkpoint_task.module_path, status="READY"
    ).exists()
