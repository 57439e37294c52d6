"""Defects from the walk-through (issue 12, part 8) on the reporter's pages and messages."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import translation

from pakta.reports.forms import HandlerMessageForm, ReporterMessageForm
from pakta.reports.models import ReportMessage
from tests.reports.conftest import submit
from tests.reports.test_followup import url


def test_the_receipt_login_button_opens_and_the_case_page_says_log_out(
    pemda_a: Any, handler_a: Any
) -> None:
    client = Client()
    client.cookies["django_language"] = "id"
    page = client.get(url("login", pemda_a), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert ">Buka</button>" in page and "Terbuka" not in page
    submission = submit(pemda_a, what="Laporan tentang pungli.")
    client.post(url("login", pemda_a), {"receipt": submission.receipt})
    case = client.get(url("case", pemda_a), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    # The button logs the reporter out: it says so (it does not close the report).
    assert "Keluar dari laporan saya" in case and "Tutup laporan saya" not in case


def test_a_message_over_20000_characters_is_told_its_limit(pemda_a: Any, handler_a: Any) -> None:
    text = "a" * 20_001
    with translation.override("id"):
        handler = HandlerMessageForm({"kind": ReportMessage.Kind.NOTE, "body": text})
        assert not handler.is_valid()
        message = str(handler.errors["body"][0])
        reporter = ReporterMessageForm({"body": text})
        assert not reporter.is_valid()
        assert str(reporter.errors["body"][0]) == message
    assert (
        message == "Teks terlalu panjang: paling banyak 20.000 karakter (teks ini 20001 karakter)."
    )
