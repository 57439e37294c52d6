import logging

from django.utils import timezone
from django_tasks import task

from pakta.org.imports import import_job_run
from pakta.org.models import ImportJob

logger = logging.getLogger(__name__)


@task()
def import_job_run_task(job_id: int) -> str:
    """Run an HR import in the background (the web page shows its progress)."""
    try:
        return import_job_run(job_id=job_id).status
    except Exception:
        logger.exception("Import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now()
        )
        raise
