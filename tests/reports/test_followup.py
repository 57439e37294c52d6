"""The reporter comes back with the receipt code: replies, answers, files, identity, limits."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.reports import receipts, services
from pakta.reports.models import Report, ReportMessage
from tests.reports.conftest import handler_client, submit


def reporter(pemda: Any, code: str) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("report_public:login", kwargs={"pemda": pemda.slug}), {"receipt": code}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def url(name: str, pemda: Any, **kwargs: Any) -> str:
    return reverse(f"report_public:{name}", kwargs={"pemda": pemda.slug, **kwargs})


def test_the_receipt_opens_the_report_in_any_spacing(pemda_a: Any, handler_a: Any) -> None:
    submission = submit(pemda_a, what="Laporan tentang pungli.")
    spaced = receipts.format_receipt(submission.receipt).replace(" ", "-")
    client = reporter(pemda_a, spaced)
    page = client.get(url("case", pemda_a)).content.decode()
    assert "Laporan tentang pungli." in page
    cookie = client.cookies["pakta_lapor"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == f"/lapor/{pemda_a.slug}/"


def test_a_wrong_receipt_is_refused(pemda_a: Any, handler_a: Any) -> None:
    submit(pemda_a)
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(url("login", pemda_a), {"receipt": "1234 5678 9012 3456"})
    assert response.status_code == 200
    assert "This receipt code is not known." in response.content.decode()
    assert client.get(url("case", pemda_a)).status_code == 302  # still logged out


def test_wrong_receipts_are_rate_limited(pemda_a: Any, handler_a: Any) -> None:
    """Ten failures on one 4-digit prefix block that prefix, even for the right code."""
    right = submit(pemda_a, receipt=receipts.receipt_prepare("1111222233334444"))
    other = submit(pemda_a, receipt=receipts.receipt_prepare("5555666677778888"))
    client = Client()
    client.cookies["django_language"] = "en"
    for n in range(receipts.PREFIX_FAILURES):
        client.post(url("login", pemda_a), {"receipt": f"1111{n:012d}"})
    response = client.post(url("login", pemda_a), {"receipt": right.receipt})
    assert "Too many wrong receipt codes were tried." in response.content.decode()
    # Another prefix is not blocked: one person's typos do not lock everyone out.
    reporter(pemda_a, other.receipt)


def test_the_global_bucket_stops_a_spray_across_prefixes(pemda_a: Any, handler_a: Any) -> None:
    right = submit(pemda_a, receipt=receipts.receipt_prepare("5555666677778888"))
    for n in range(receipts.GLOBAL_FAILURES):
        receipts.receipt_failure_record(f"{n % 9000 + 1000:04d}000000000000")
    with pytest.raises(DomainError, match="Too many wrong receipt codes"):
        services.reporter_login(pemda=pemda_a, code=right.receipt)


def test_lookup_uses_the_index_not_a_scan(
    pemda_a: Any, handler_a: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        submit(pemda_a)
    submission = submit(pemda_a)
    with django_assert_max_num_queries(2):
        report, _key = services.reporter_login(pemda=pemda_a, code=submission.receipt)
    assert report == submission.report


def test_reporter_reads_replies_and_answers_with_files(pemda_a: Any, handler_a: Any) -> None:
    submission = submit(pemda_a)
    report = submission.report
    handler = handler_client(handler_a)
    detail = reverse("reports:message", kwargs={"pemda": "alfa", "pk": report.pk})
    handler.post(detail, {"kind": "to_reporter", "body": "Kapan tepatnya kejadian itu?"})
    handler.post(detail, {"kind": "note", "body": "Catatan internal: cek DPA."})
    client = reporter(pemda_a, submission.receipt)
    page = client.get(url("case", pemda_a)).content.decode()
    assert "Kapan tepatnya kejadian itu?" in page
    assert "Catatan internal" not in page  # handler notes are hidden from the reporter
    response = client.post(
        url("message", pemda_a),
        {
            "body": "Tanggal 3 Maret, sekitar pukul 10.",
            "evidence": [SimpleUploadedFile("kuitansi.txt", b"kuitansi nomor 77")],
        },
    )
    assert response.status_code == 200
    assert "Your message has been sent." in response.content.decode()
    message = report.messages.get(kind=ReportMessage.Kind.FROM_REPORTER)
    attachment = message.attachments.get()
    download = client.get(url("file", pemda_a, token=attachment.public_id))
    assert download.content == b"kuitansi nomor 77"
    opened = handler.get(reverse("reports:detail", kwargs={"pemda": "alfa", "pk": report.pk}))
    assert "Tanggal 3 Maret" in opened.content.decode()
    event = AuditEvent.objects.get(action="reports.message.from_reporter")
    assert event.summary == {"report_id": report.pk, "attachments": 1}


def test_handler_files_for_handlers_only_stay_hidden(pemda_a: Any, handler_a: Any) -> None:
    submission = submit(pemda_a)
    handler = handler_client(handler_a)
    handler.post(
        reverse("reports:message", kwargs={"pemda": "alfa", "pk": submission.report.pk}),
        {"kind": "note", "body": "", "evidence": [SimpleUploadedFile("memo.txt", b"memo rahasia")]},
    )
    note_file = submission.report.attachments.get()
    assert note_file.handler_only
    client = reporter(pemda_a, submission.receipt)
    assert "memo.txt" not in client.get(url("case", pemda_a)).content.decode()
    response = client.get(url("file", pemda_a, token=note_file.public_id))
    assert response.status_code == 404
    assert b"memo rahasia" not in response.content


def test_identity_can_be_disclosed_later_but_never_withdrawn(pemda_a: Any, handler_a: Any):
    submission = submit(pemda_a)
    assert submission.report.identity is None
    client = reporter(pemda_a, submission.receipt)
    response = client.post(
        url("identity", pemda_a), {"name": "Sri Wahyuni", "contact": "0812", "confirm": "on"}
    )
    assert "Your identity has been given to the handlers." in response.content.decode()
    report = Report.objects.get()
    assert report.identity_mode == Report.IdentityMode.CONFIDENTIAL
    assert report.identity_disclosed_at is not None
    again = client.post(url("identity", pemda_a), {"name": "Orang Lain", "confirm": "on"})
    assert again.status_code == 400
    assert "cannot be changed or withdrawn" in again.content.decode()
    handler = handler_client(handler_a)
    shown = handler.post(reverse("reports:identity", kwargs={"pemda": "alfa", "pk": report.pk}))
    assert "Sri Wahyuni" in shown.content.decode()
    assert "Orang Lain" not in shown.content.decode()
    assert AuditEvent.objects.filter(action="reports.identity.viewed", object_id=str(report.pk))


def test_a_closed_report_takes_no_more_messages(pemda_a: Any, handler_a: Any) -> None:
    submission = submit(pemda_a)
    Report.objects.filter(pk=submission.report.pk).update(stage=Report.Stage.CLOSED)
    client = reporter(pemda_a, submission.receipt)
    response = client.post(url("message", pemda_a), {"body": "Satu lagi."})
    assert response.status_code == 400
    assert "This report is closed" in response.content.decode()


def test_the_reporter_cookie_of_one_pemda_opens_nothing_in_another(
    pemda_a: Any, pemda_b: Any, handler_a: Any
) -> None:
    submission = submit(pemda_a)
    client = reporter(pemda_a, submission.receipt)
    # The cookie is scoped to /lapor/alfa/; sent anyway to /lapor/beta/, it finds no report.
    client.cookies["pakta_lapor"]["path"] = "/"
    assert client.get(url("case", pemda_b)).status_code == 302
    with pytest.raises(DomainError):
        services.reporter_login(pemda=pemda_b, code=submission.receipt)


def test_logout_forgets_the_reporter(pemda_a: Any, handler_a: Any) -> None:
    submission = submit(pemda_a)
    client = reporter(pemda_a, submission.receipt)
    client.post(url("logout", pemda_a))
    assert client.get(url("case", pemda_a)).status_code == 302
