"""One clock in exports: the signing day of an agreement in the XLSX is the day in the Pemda's
zone, whatever zone the export runs in (a WIT Pemda signing at 01.30 WIT, 23.30 WIB)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from pakta.performance import imports
from tests.performance.conftest import People, signed_agreement

pytestmark = pytest.mark.django_db


def test_the_signing_day_in_the_export_is_the_pemdas(people: People) -> None:
    agreement = signed_agreement(people)
    agreement.pemda.timezone = "Asia/Jayapura"
    agreement.pemda.save(update_fields=["timezone"])
    # 2 March, 01.30 WIT (the export reads the stored agreement)
    agreement.signed_at = dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC)
    agreement.save(update_fields=["signed_at"])
    sheet = load_workbook(io.BytesIO(imports.agreements_xlsx([agreement]))).active
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[1][9].date() == dt.date(2026, 3, 2)  # type: ignore[union-attr]
