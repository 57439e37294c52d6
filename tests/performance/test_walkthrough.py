"""Defects from the walk-through (issue 12, part 8) in the Perjanjian Kinerja, as users see them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from pakta.core.errors import DomainError
from pakta.core.uploads import file_size_text
from pakta.performance import imports
from pakta.performance import services as perf
from pakta.performance.models import Realization
from tests.performance.conftest import YEAR, People, fill, signed_agreement
from tests.performance.test_views import member
from tests.signing.conftest import user_for


def test_the_sign_page_labels_the_quarter_columns_and_shows_errors_at_the_top(
    people: People,
) -> None:
    kadis = member(people.kadis)
    user = user_for(people.kadis)
    agreement = perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=user
    )
    fill(agreement, user)
    perf.agreement_submit(agreement=agreement, acting_user=user)
    perf.agreement_approve(agreement=agreement, acting_user=user_for(people.bupati))
    url = f"{agreement.get_absolute_url()}sign/"
    with translation.override("id"):
        page = kadis.get(url).content.decode()
        assert all(f"<th>TW {q}</th>" in page for q in ("I", "II", "III", "IV"))
        refused = kadis.post(url, {"agree": "on", "credential": "salah"}).content.decode()
    # The refusal is under the title, before the long table, and the form is anchored.
    summary = refused.index('id="sign-errors"')
    assert summary < refused.index("pk-table")
    assert 'action="#sign-form"' in refused and 'id="sign-form"' in refused
    assert "Dokumen belum ditandatangani" in refused


def test_evidence_is_checked_by_its_content_and_a_large_file_is_told_the_limit(
    people: People, settings
) -> None:
    user = user_for(people.kadis)
    agreement = signed_agreement(people)
    indicator = agreement.indicators.first()
    fake = [perf.EvidenceUpload("laporan.pdf", b"just some text, not a PDF", "application/pdf")]
    with time_machine.travel(dt.datetime(2026, 4, 5, 10, 0, tzinfo=dt.UTC)):
        with pytest.raises(DomainError) as refused:
            perf.realization_submit(
                indicator=indicator, quarter=1, value="21", acting_user=user, evidence=fake
            )
        assert str(refused.value) == "The file “laporan.pdf” is not a valid PDF file."
        settings.PAKTA_UPLOAD_LIMITS = {**settings.PAKTA_UPLOAD_LIMITS, "evidence": 1024 * 1024}
        big = [perf.EvidenceUpload("scan.pdf", b"%PDF-1.4" + b"0" * 1_600_000, "application/pdf")]
        with pytest.raises(DomainError) as too_big:
            perf.realization_submit(
                indicator=indicator, quarter=1, value="21", acting_user=user, evidence=big
            )
        assert str(too_big.value) == "The file “scan.pdf” is 1.5 MB; each file may be at most 1 MB."
    assert not Realization.objects.exists()


def test_sizes_are_written_the_readers_way() -> None:
    with translation.override("id"):
        assert file_size_text(11_010_048) == "10,5 MB"
        assert file_size_text(10 * 1024 * 1024) == "10 MB"
    with translation.override("en"):
        assert file_size_text(11_010_048) == "10.5 MB"


def test_chosen_files_are_said_to_be_gone_after_an_error(people: People) -> None:
    kadis = member(people.kadis)
    agreement = signed_agreement(people)
    indicator = agreement.indicators.first()
    url = f"/p/{people.kadis.pemda.slug}/performance/indicators/{indicator.pk}/realization/"
    upload = SimpleUploadedFile("bukti-tw1.pdf", b"%PDF-1.4 bukti", "application/pdf")
    with translation.override("id"):
        response = kadis.post(url, {"quarter": 1, "value": "bukan angka", "evidence": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "pilih lagi (bukti-tw1.pdf)" in page
    assert 'value="bukan angka"' in page  # what was typed is kept
    assert not Realization.objects.exists()


def test_the_agreement_export_has_real_dates(people: People) -> None:
    agreement = signed_agreement(people)
    sheet = load_workbook(io.BytesIO(imports.agreements_xlsx([agreement]))).active
    rows = list(sheet.iter_rows(values_only=True))
    signed_at = rows[1][9]
    assert isinstance(signed_at, dt.datetime)  # a date cell, not the text "2026-…"
    assert signed_at.date() == dt.date.today() or signed_at.year == YEAR
