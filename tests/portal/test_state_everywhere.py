"""The state of a signed document (current, superseded, withdrawn, revoked) with its date in the
Pemda's zone, everywhere a document is shown: the lists of pacts, "Data saya", the booklet,
/v/, the API and the upload check. Withdrawing is for the role that may, with a reason."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.core.documents import document_read
from pakta.core.zone import forget_zones
from pakta.org import services as org
from pakta.org.models import Pemda
from pakta.pacts import booklet
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact
from pakta.signing import services as signing
from pakta.signing.models import SignedDocument
from tests.conftest import PASSWORD, client_for
from tests.portal.test_standing import api_upload, api_verify
from tests.portal.test_verification import page_text
from tests.signing.conftest import user_for

pytestmark = pytest.mark.django_db

WITA_TIME = re.compile(r"\d{1,2} \w+ \d{4} \d{2}\.\d{2} WITA")


@pytest.fixture(autouse=True)
def wita(pemda_a: Pemda) -> None:
    pemda_a.timezone = "Asia/Makassar"
    pemda_a.save(update_fields=["timezone"])
    forget_zones()


def pact_list(client: Client) -> str:
    return page_text(client.get(reverse("pacts:pact_list", kwargs={"pemda": "alfa"})))


def test_only_the_role_that_may_withdraws_and_every_surface_then_says_so(
    signed_pact: Pact, role_users: dict[str, User], admin_client_a: Client
) -> None:
    document = signed_pact.document
    assert document is not None
    url = reverse("pacts:pact_withdraw", kwargs={"pemda": "alfa", "pk": signed_pact.pk})
    assert "Berlaku" in pact_list(admin_client_a)

    # The Inspektorat sees pacts but may not withdraw one: refused, nothing changes.
    events = AuditEvent.objects.count()
    refused = client_for(role_users["inspektorat"]).post(url, {"reason": "Keliru"})
    assert refused.status_code == 403
    document.refresh_from_db()
    assert document.state == "current" and AuditEvent.objects.count() == events

    admin_client_a.post(url, {"reason": "Diterbitkan untuk pejabat yang keliru"})
    document.refresh_from_db()
    assert document.state == "withdrawn"

    listed = pact_list(admin_client_a)
    assert "Ditarik" in listed and "Diterbitkan untuk pejabat yang keliru" in listed
    assert WITA_TIME.search(listed), listed
    mine = page_text(client_for(user_for(signed_pact.official)).get(reverse("accounts:my_data")))
    assert "Ditarik" in mine and WITA_TIME.search(mine)

    data = api_verify(document)
    assert data["state"] == "withdrawn" and data["state_at"].endswith("+08:00")
    upload = api_upload(document_read(document.pdf))  # type: ignore[arg-type]
    assert upload["authentic"] is False and upload["document"]["state"] == "withdrawn"

    # The booklet's index says it too, beside the pact.
    assert signed_pact.event is not None
    job = booklet.booklet_job_start(event=signed_pact.event, acting_user=role_users["admin"])
    job = booklet.booklet_build(job_id=job.pk)
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(document_read(job.document))).pages[:2]  # type: ignore[arg-type]
    )
    assert "Ditarik pada" in text and "WITA" in text, text


def test_a_superseded_pact_links_to_the_current_version_in_the_list(
    signed_pact: Pact, superadmin: Any, admin_client_a: Client
) -> None:
    official = signed_pact.official
    unit = org.unit_create(pemda=official.pemda, name="Dinas Sosial", acting_user=superadmin)
    position = org.position_create(
        pemda=official.pemda,
        unit=unit,
        title="Kepala Dinas Sosial",
        level="jpt_pratama",
        is_unit_head=True,
        acting_user=superadmin,
    )
    org.assignment_start(
        official=official,
        position=position,
        start_date=timezone.localdate() - dt.timedelta(days=1),
        acting_user=superadmin,
    )
    new = Pact.objects.get(official=official, position=position)
    pacts.pact_sign(pact=new, acting_user=user_for(official), credential=PASSWORD)
    new.refresh_from_db()
    assert new.document is not None
    response = admin_client_a.get(reverse("pacts:pact_list", kwargs={"pemda": "alfa"}))
    assert "Digantikan" in page_text(response) and WITA_TIME.search(page_text(response))
    assert f'href="/v/{new.document.token}"' in response.content.decode()
    old = SignedDocument.objects.get(pk=signed_pact.document_id)
    assert api_verify(old)["superseded_by"] == f"/v/{new.document.token}"


def test_a_revoked_certificate_shows_as_the_documents_state(
    signed_pact: Pact, superadmin: User, admin_client_a: Client
) -> None:
    document = signed_pact.document
    assert document is not None
    identity = signing.identity_active_for(signed_pact.official)
    assert identity is not None
    signing.identity_revoke(identity=identity, reason="Kunci bocor", acting_user=superadmin)

    verify = page_text(Client().get(f"/v/{document.token}"))
    assert "dicabut pada" in verify and WITA_TIME.search(verify)
    assert "Semua tanda tangan pada dokumen ini sah." not in verify
    data = api_verify(document)
    assert data["state"] == "revoked" and data["all_valid"] is False
    listed = pact_list(admin_client_a)
    assert "Sertifikat dicabut" in listed
