"""Background work for pacts: building an event's booklet."""

import logging

from django_tasks import task

from pakta.pacts.booklet import booklet_build, booklet_job_fail

logger = logging.getLogger(__name__)


@task()
def booklet_build_task(job_id: int) -> str:
    """Build an event's booklet (the web page shows its progress)."""
    try:
        return booklet_build(job_id=job_id).status
    except Exception:
        logger.exception("Booklet %s failed", job_id)
        booklet_job_fail(job_id=job_id)
        raise
