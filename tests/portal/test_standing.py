"""A signed document that no longer holds says so everywhere: withdrawn (issued by mistake) or
superseded (the pact of a new position, a revised performance agreement)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pakta.audit.models import AuditEvent
from pakta.core.documents import document_read
from pakta.org import services as org
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact
from pakta.signing.models import SignedDocument
from tests.conftest import PASSWORD
from tests.portal.test_verification import page_text
from tests.signing.conftest import user_for

pytestmark = pytest.mark.django_db


def api_verify(document: SignedDocument) -> dict[str, Any]:
    response = Client().get(reverse("verify-document", kwargs={"token": document.token}))
    assert response.status_code == 200
    return dict(response.json())


def api_upload(content: bytes) -> dict[str, Any]:
    upload = SimpleUploadedFile("pakta.pdf", content, content_type="application/pdf")
    response = Client().post(reverse("verify-upload"), {"file": upload})
    assert response.status_code == 200
    return dict(response.json())


def test_an_admin_withdraws_a_pact_and_every_check_says_so(
    signed_pact: Pact, admin_client_a: Client
) -> None:
    document = signed_pact.document
    assert document is not None
    assert api_verify(document)["all_valid"] is True
    url = reverse("pacts:pact_withdraw", kwargs={"pemda": "alfa", "pk": signed_pact.pk})

    # No reason: refused in Indonesian, nothing changes.
    events = AuditEvent.objects.count()
    page = admin_client_a.post(url, {"reason": "  "}, follow=True).content.decode()
    assert "Bidang ini harus diisi." in page
    document.refresh_from_db()
    assert document.standing == "current" and AuditEvent.objects.count() == events

    admin_client_a.post(url, {"reason": "Diterbitkan untuk pejabat yang keliru"})
    document.refresh_from_db()
    assert document.standing == "withdrawn"
    assert AuditEvent.objects.filter(action="signing.document.withdrawn").count() == 1
    again = admin_client_a.post(url, {"reason": "Sekali lagi"}, follow=True).content.decode()
    assert "Dokumen ini sudah ditarik." in again

    text = page_text(Client().get(f"/v/{document.token}"))
    assert "ditarik pada" in text and "Diterbitkan untuk pejabat yang keliru" in text
    assert "Semua tanda tangan pada dokumen ini sah." not in text
    data = api_verify(document)
    assert data["standing"] == "withdrawn" and data["all_valid"] is False
    assert data["withdrawal_reason"] == "Diterbitkan untuk pejabat yang keliru"
    content = document_read(document.pdf)  # type: ignore[arg-type]
    upload = api_upload(content)
    assert upload["authentic"] is False and upload["document"]["standing"] == "withdrawn"
    check = page_text(
        Client().post(
            "/v/check/",
            {"file": SimpleUploadedFile("pakta.pdf", content, content_type="application/pdf")},
        )
    )
    assert "tidak berlaku lagi" in check


def test_a_pact_is_superseded_when_the_official_signs_the_pact_of_a_new_position(
    signed_pact: Pact, superadmin: Any
) -> None:
    old = signed_pact.document
    assert old is not None
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
    old.refresh_from_db()
    assert old.standing == "superseded" and old.superseded_by == new.document
    assert new.document is not None and new.document.standing == "current"

    data = api_verify(old)
    assert data["standing"] == "superseded" and data["all_valid"] is False
    assert data["superseded_by"] == f"/v/{new.document.token}"
    response = Client().get(f"/v/{old.token}")
    assert "digantikan oleh versi yang lebih baru" in page_text(response)
    assert f'href="/v/{new.document.token}"' in response.content.decode()
