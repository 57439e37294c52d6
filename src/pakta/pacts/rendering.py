"""The pact as a proper Indonesian official document: kop, statement, clauses, signature blocks."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from weasyprint import HTML

from pakta.core.documents import document_read
from pakta.org.models import Pemda


def tanggal_id(value: dt.date) -> str:
    """``26 Maret 2018``, always in Indonesian: the document's language, whatever the reader's."""
    with translation.override("id"):
        return formats.date_format(value, "j F Y")


def logo_data_uri(pemda: Pemda) -> str:
    if pemda.logo is None:
        return ""
    data = base64.b64encode(document_read(pemda.logo)).decode()
    return f"data:{pemda.logo.content_type};base64,{data}"


def qr_svg_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=3, border=0)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def verification_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + f"/v/{token}"


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a document template to PDF with WeasyPrint; nothing is fetched from the network."""
    with translation.override("id"):
        html = render_to_string(template, context)
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
