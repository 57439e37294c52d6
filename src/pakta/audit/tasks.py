"""Background work for the transparency log: signing a checkpoint every few minutes."""

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from pakta.audit.checkpoints import checkpoint_create

logger = logging.getLogger(__name__)


@task()
def audit_checkpoint_task(reschedule: bool = False) -> int:
    """Sign a checkpoint if events arrived since the last one; with ``reschedule``, enqueue itself
    again ``PAKTA_AUDIT_CHECKPOINT_SECONDS`` later (started by `manage.py audit_checkpoint
    --schedule`, which scripts/serve.sh runs beside the worker)."""
    try:
        checkpoint = checkpoint_create()
    finally:
        if reschedule and default_task_backend.supports_defer:
            later = timezone.now() + dt.timedelta(seconds=settings.PAKTA_AUDIT_CHECKPOINT_SECONDS)
            audit_checkpoint_task.using(run_after=later).enqueue(reschedule=True)
    return checkpoint.size if checkpoint is not None else 0
