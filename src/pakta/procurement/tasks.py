import logging

from django.utils import timezone
from django_tasks import task

from pakta.procurement.models import OcdsImport
from pakta.procurement.services.imports import ocds_import_run

logger = logging.getLogger(__name__)


@task()
def ocds_import_task(job_id: int) -> str:
    """Run an OCDS import in the background (the page shows its progress)."""
    try:
        return ocds_import_run(job_id=job_id).status
    except Exception:
        logger.exception("OCDS import %s failed", job_id)
        OcdsImport.objects.filter(pk=job_id).update(
            status=OcdsImport.Status.FAILED, finished_at=timezone.now()
        )
        raise
