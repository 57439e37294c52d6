"""Objects the permission matrix needs for the case pages (see tests/core/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from pakta.reports.attachments import Upload
from pakta.reports.models import Report, ReportAttachment
from pakta.reports.services import report_submit


def make_report(world: Any, side: str) -> Report:
    """A report filed on Pemda ``side``'s public page (no handler has a key in the matrix)."""
    return report_submit(
        pemda=world.pemda[side],
        category=Report.Category.OTHER,
        what="Laporan untuk matriks izin.",
        uploads=[Upload(name="bukti.txt", data=b"bukti")],
    ).report


def make_attachment(world: Any, side: str) -> ReportAttachment:
    return make_report(world, side).attachments.get()


FACTORIES = {Report: make_report, ReportAttachment: make_attachment}
