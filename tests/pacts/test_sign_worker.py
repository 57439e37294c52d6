"""The pact is rendered and signed by the task worker, not in the signer's request.

With a task backend that queues (the database backend of `make run`; RQ at scale), the signer's
consent is recorded and audited in the request, and the page says "Being signed…" and refreshes
itself until the worker (`manage.py db_worker`, run here as in `make run`) has rendered the PDF,
signed it and marked the pact signed. A task run again finds nothing left to do; a task that
fails leaves nothing half-written and shows a failed state with a button to try again. (With the
immediate backend of the other tests, the same work runs inside the request.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from pakta.audit.models import AuditEvent
from pakta.pacts.models import Pact
from pakta.signing import services as signing
from pakta.signing.models import DocumentVersion, PendingSignature, Signature, SigningIdentity
from pakta.signing.tasks import signature_pending_retry_task
from tests.conftest import PASSWORD, client_for
from tests.pacts.test_views import english, member, open_event, people, url  # noqa: F401
from tests.signing.conftest import pdfsig

# The worker (`db_worker`) closes the connection after its batch, as it does in `make run`:
# each test commits for real.
pytestmark = pytest.mark.django_db(transaction=True)

REFRESH = '<meta http-equiv="refresh"'


@pytest.fixture
def queued_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker() -> None:
    """What `make run`'s worker does with the queued tasks."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def _task_statuses() -> list[str]:
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(task_path=signature_pending_retry_task.module_path)
        .order_by("enqueued_at")
        .values_list("status", flat=True)
    )


def _consent(client: Client, page: str) -> str:
    response = client.post(page, {"agree": "on", "credential": PASSWORD}, follow=True)
    assert response.redirect_chain == [(page, 302)]
    return str(response.content.decode())


def test_the_worker_renders_and_signs_while_the_page_says_being_signed(
    queued_tasks: None,
    pemda_a: Any,
    people: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    event = open_event(pemda_a, people, [people["kadis"]])
    pact = event.pacts.get()
    signer = english(client_for(member(people["kadis"], pemda_a)))
    page = url("pact_sign", pemda_a, pk=pact.pk)

    shown = _consent(signer, page)

    # Recorded and audited, not signed: nothing is rendered in the request.
    assert 'id="signing-pending"' in shown and "Being signed…" in shown and REFRESH in shown
    assert 'class="stacked card sign-form"' not in shown  # no second consent form
    pending = PendingSignature.objects.get()
    assert pending.state == PendingSignature.State.QUEUED and pending.consented_by.official_id
    pact.refresh_from_db()
    assert pact.status == Pact.Status.PENDING and pact.document is not None
    assert pact.document.pdf is None and not Signature.objects.exists()
    requested = AuditEvent.objects.get(action="signing.signature.requested")
    assert requested.object_id == str(pending.pk)
    assert _task_statuses() == ["READY"]

    _worker()

    assert _task_statuses() == ["SUCCESSFUL"]
    done = signer.get(page).content.decode()
    assert 'id="signed-notice"' in done and REFRESH not in done
    assert 'id="signing-pending"' not in done
    pact.refresh_from_db()
    assert pact.status == Pact.Status.SIGNED and not PendingSignature.objects.exists()
    signature = Signature.objects.get()
    assert signature.official == people["kadis"] and signature.role == "signer"
    for action in ("signing.document.created", "signing.signature.applied", "pacts.pact.signed"):
        assert AuditEvent.objects.filter(action=action).count() == 1, action
    (tmp_path / "signed").mkdir()
    download = signer.get(url("pact_pdf", pemda_a, pk=pact.pk))
    assert "Signature is Valid." in pdfsig(download.content, tmp_path / "signed")

    # The task run again (as RQ does when its process died after the commit): nothing to do.
    assert signature_pending_retry_task.call(pending.pk) is False
    assert list(Signature.objects.values_list("pk", flat=True)) == [signature.pk]
    assert DocumentVersion.objects.filter(document=pact.document).count() == 2
    assert AuditEvent.objects.filter(action="signing.signature.applied").count() == 1


def test_a_failed_signature_is_shown_and_the_signer_tries_again(
    queued_tasks: None,
    pemda_a: Any,
    people: dict[str, Any],  # noqa: F811
    superadmin: Any,
) -> None:
    event = open_event(pemda_a, people, [people["kadis"]])
    pact = event.pacts.get()
    user = member(people["kadis"], pemda_a)
    signer = english(client_for(user))
    page = url("pact_sign", pemda_a, pk=pact.pk)
    # The official's key cannot be opened (a damaged row): the worker's signing fails.
    identity = signing.identity_issue(official=people["kadis"], acting_user=superadmin)
    SigningIdentity.objects.filter(pk=identity.pk).update(key_encrypted=b"damaged")

    _consent(signer, page)
    _worker()

    assert _task_statuses() == ["FAILED"]
    failed = signer.get(page).content.decode()
    assert 'id="signing-failed"' in failed and REFRESH not in failed
    assert "The signature could not be applied." in failed and 'id="signing-retry"' in failed
    pending = PendingSignature.objects.get()
    assert pending.state == PendingSignature.State.FAILED and pending.last_error
    assert AuditEvent.objects.filter(action="signing.signature.failed").count() == 1
    # Nothing of the failed run was kept: no PDF, no version, no signature, pact not signed.
    pact.refresh_from_db()
    assert pact.status == Pact.Status.PENDING and pact.document.pdf is None
    assert not DocumentVersion.objects.exists() and not Signature.objects.exists()
    assert not AuditEvent.objects.filter(action="signing.document.created").exists()

    # The administrator revokes the damaged certificate; the signer tries again, not asked
    # for their password again, and the worker signs with a new certificate.
    signing.identity_revoke(identity=identity, reason="kunci rusak", acting_user=superadmin)
    again = signer.post(page, {"retry": "1"}, follow=True).content.decode()
    assert 'id="signing-pending"' in again and REFRESH in again
    assert PendingSignature.objects.get().state == PendingSignature.State.QUEUED
    _worker()

    assert _task_statuses() == ["FAILED", "SUCCESSFUL"]
    done = signer.get(page).content.decode()
    assert 'id="signed-notice"' in done and 'id="signing-failed"' not in done
    pact.refresh_from_db()
    assert pact.status == Pact.Status.SIGNED
    assert Signature.objects.get().identity != identity
    assert AuditEvent.objects.filter(action="signing.signature.requested").count() == 2


def test_someone_else_cannot_retry_a_failed_signature(
    queued_tasks: None,
    pemda_a: Any,
    people: dict[str, Any],  # noqa: F811
    superadmin: Any,
) -> None:
    event = open_event(pemda_a, people, [people["kadis"]])
    pact = event.pacts.get()
    identity = signing.identity_issue(official=people["kadis"], acting_user=superadmin)
    SigningIdentity.objects.filter(pk=identity.pk).update(key_encrypted=b"damaged")
    _consent(
        english(client_for(member(people["kadis"], pemda_a))),
        url("pact_sign", pemda_a, pk=pact.pk),
    )
    _worker()
    pending = PendingSignature.objects.get()
    with pytest.raises(Exception, match="can sign as themselves"):
        signing.signature_pending_requeue(pending=pending, acting_user=superadmin)
    assert PendingSignature.objects.get().state == PendingSignature.State.FAILED


def test_the_api_answers_202_then_the_worker_signs(
    queued_tasks: None,
    pemda_a: Any,
    people: dict[str, Any],  # noqa: F811
) -> None:
    import json

    from tests.core.test_api import api, token_for

    event = open_event(pemda_a, people, [people["kadis"]])
    pact = event.pacts.get()
    client = api(token_for(member(people["kadis"], pemda_a)))
    sign = f"/api/v1/p/{pemda_a.slug}/pacts/{pact.pk}/sign/"
    body = json.dumps({"credential": PASSWORD})

    accepted = client.post(sign, body, content_type="application/json")
    assert accepted.status_code == 202, accepted.content
    assert (accepted.json()["status"], accepted.json()["pact_status"]) == ("pending", "pending")
    again = client.post(sign, body, content_type="application/json")  # a client's retry
    assert again.status_code == 202 and PendingSignature.objects.count() == 1
    _worker()

    signed = client.post(sign, body, content_type="application/json")
    assert signed.status_code == 200
    assert (signed.json()["status"], signed.json()["pact_status"]) == ("signed", "signed")
    assert Signature.objects.count() == 1 and _task_statuses() == ["SUCCESSFUL"]
