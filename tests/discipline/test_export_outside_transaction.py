"""The exports write their audit event in a transaction of their own: requested as a live server
would serve them (no test transaction around the request), they answer 200, not 500."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.org.models import Pemda
from tests.conftest import client_for


@pytest.mark.django_db(transaction=True)
def test_siasn_zip_and_conflicts_report_outside_a_test_transaction(
    role_users: dict[str, User], pemda_a: Pemda
) -> None:
    client = client_for(role_users["inspektorat"])
    response = client.get(f"/p/{pemda_a.slug}/discipline/siasn.zip")
    assert response.status_code == 200
    assert zipfile.ZipFile(BytesIO(response.content)).namelist()  # a real archive
    assert AuditEvent.objects.filter(action="discipline.sanctions.exported").count() == 1

    report = client.get(f"/p/{pemda_a.slug}/conflicts/reports/export.xlsx")
    assert report.status_code == 200
    assert report.content[:2] == b"PK"  # an XLSX file
    assert AuditEvent.objects.filter(action="conflicts.report.exported").count() == 1
