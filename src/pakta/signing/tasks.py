"""The signing worker: applies consented signatures (``PendingSignature``) outside the request."""

import logging

from django_tasks import task

from pakta.signing.services import signature_pending_fail, signature_pending_retry

logger = logging.getLogger(__name__)


@task()
def signature_pending_retry_task(pending_id: int) -> bool:
    """Apply a consented signature: render the document if needed, sign it (PAdES), notify.
    Also the retry of a signature that waited for the timestamp authority. Safe to run again
    (RQ runs it again when its process died): the work is one transaction, and a finished one
    leaves no pending row. An error marks the signature failed; the signer may try again."""
    try:
        return signature_pending_retry(pending_id=pending_id) is not None
    except Exception as error:
        logger.exception("Pending signature %s failed", pending_id)
        signature_pending_fail(pending_id=pending_id, error=f"{type(error).__name__}: {error}")
        raise
