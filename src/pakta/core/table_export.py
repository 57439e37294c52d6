"""A table as a file: the same rows as XLSX (formula-safe, numbers as numbers) or as a PDF
(WeasyPrint, in the reader's language, nothing fetched from the network).

Used by the national pages, which show one table per Pemda and export it as it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from pakta.core.downloads import CSV, PDF, XLSX, download_response
from pakta.core.exports import rows_to_csv, rows_to_xlsx


def table_pdf(*, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "core/table_pdf.html",
        {"title": title, "headers": headers, "rows": rows, "made_at": timezone.now()},
    )
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


def _sheet_title(title: str) -> str:
    """Excel refuses []:*?/\\ in a sheet name, and more than 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Data"


def table_response(
    fmt: str,
    *,
    title: str,
    filename: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> HttpResponse:
    """``fmt`` is ``xlsx``, ``pdf`` or ``csv`` (anything else is a 404)."""
    if fmt == "csv":
        return download_response(rows_to_csv(headers, rows), f"{filename}.csv", CSV)
    if fmt == "xlsx":
        return download_response(
            rows_to_xlsx(headers, rows, title=_sheet_title(title)), f"{filename}.xlsx", XLSX
        )
    if fmt == "pdf":
        return download_response(
            table_pdf(title=title, headers=headers, rows=rows), f"{filename}.pdf", PDF
        )
    raise Http404
