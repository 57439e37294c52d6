from django_tasks import task

from pakta.signing.services import signature_pending_retry


@task()
def signature_pending_retry_task(pending_id: int) -> bool:
    """Retry a signature that waited for the timestamp authority."""
    return signature_pending_retry(pending_id=pending_id) is not None
