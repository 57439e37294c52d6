"""Issue 16 item 7: a giver that is a supplier with an active procurement contract of the
recipient's unit is flagged to the UPG and never exempt (the ``procurement`` app's packages,
matched with the conflicts app's ``matching``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from pakta.gratification import rules
from pakta.gratification.models import GratificationReport
from pakta.procurement.models import Package
from pakta.procurement.services import packages as procurement
from tests.conftest import client_for
from tests.gratification.conftest import file_report

pytestmark = pytest.mark.django_db


def _contract(pemda: Any, unit: Any, superadmin: Any, *, end: dt.date) -> Package:
    winner = procurement.party_get_or_create(
        pemda=pemda, name="PT. MAJU JAYA", identifier_scheme="ID-NPWP", identifier="012345678901000"
    )
    package = procurement.package_create(
        pemda=pemda,
        acting_user=superadmin,
        title="Pengadaan Alat Kesehatan Puskesmas",
        code="PKG-2026-031",
        buyer=unit,
        method="open",
        year=2026,
        bids=[procurement.BidInput(winner, Decimal("850000000"))],
        winner=winner,
    )
    Package.objects.filter(pk=package.pk).update(
        contract_start=dt.date(2026, 1, 12), contract_end=end
    )
    return package


def test_giver_with_active_contract_of_the_unit_is_flagged_and_never_exempt(
    pemda_a: Any, unit_a: Any, superadmin: Any, reporter: Any, upg: Any
) -> None:
    _contract(pemda_a, unit_a, superadmin, end=dt.date(2026, 6, 30))
    with translation.override("id"):  # the reporter files in Indonesian
        report = file_report(pemda_a, reporter, giver_name="PT Maju Jaya")
    assert report.assessment == GratificationReport.Assessment.MUST_REPORT
    assert "tidak pernah dikecualikan dan wajib dilaporkan" in report.assessment_reason
    assert "dengan kontrak dari 12 Januari 2026 sampai 30 Juni 2026" in report.assessment_reason
    assert "PKG-2026-031" in report.assessment_reason
    flag = next(f for f in report.flags if f["kind"] == "procurement_contract")
    assert flag["name"] == "PT. MAJU JAYA" and flag["package"] == "PKG-2026-031"

    # An exempt category does not help: the gift must be refused, the contract cited.
    with_category = file_report(
        pemda_a, reporter, giver_name="PT Maju Jaya", exempt_category="promotional"
    )
    assert with_category.assessment == GratificationReport.Assessment.MUST_REFUSE
    assert "never exempt" in with_category.assessment_reason
    assert "PKG-2026-031" in with_category.assessment_reason

    # What the UPG sees, in Indonesian.
    client = client_for(upg)
    page = client.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Wajib dilaporkan" in page
    assert "pemasok paket PKG-2026-031" in page and "12 Januari 2026" in page


def test_contract_ended_before_receipt_or_other_unit_is_not_flagged(
    pemda_a: Any, unit_a: Any, superadmin: Any, reporter: Any, official_a: Any
) -> None:
    _contract(pemda_a, unit_a, superadmin, end=dt.date(2026, 2, 1))
    assert not rules.procurement_contracts(
        pemda=pemda_a, recipient=official_a, name="PT Maju Jaya", day=dt.date(2026, 2, 23)
    )
    # Inside the contract period it matches, by name or by NPWP whatever the name.
    assert rules.procurement_contracts(
        pemda=pemda_a, recipient=official_a, name="Maju Jaya", day=dt.date(2026, 1, 20)
    )
    assert rules.procurement_contracts(
        pemda=pemda_a,
        recipient=official_a,
        name="Toko Lain",
        identifier="01.234.567.8-901.000",
        day=dt.date(2026, 1, 20),
    )
    report = file_report(pemda_a, reporter, giver_name="PT Maju Jaya")
    assert not any(f.get("kind") == "procurement_contract" for f in report.flags)
