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
from pakta.signing.pdf import FieldPlace, add_signature_fields


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


SIGNATURE_FIELD_PREFIX = "sigfield-"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels; a PDF point is 4/3 of one


def signature_places(rendered: Any) -> list[FieldPlace]:
    """The signature blocks of a laid-out document: every element whose id is
    ``sigfield-<field name>`` (e.g. ``sigfield-signer-<NIP>``), as a box in PDF points."""
    places: dict[str, FieldPlace] = {}
    for number, page in enumerate(rendered.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            ident = element.get("id", "") if element is not None else ""
            if not ident.startswith(SIGNATURE_FIELD_PREFIX) or ident in places:
                continue
            x, y = box.border_box_x(), box.border_box_y()
            width, height = box.border_width(), box.border_height()
            places[ident] = FieldPlace(
                name=ident.removeprefix(SIGNATURE_FIELD_PREFIX),
                page=number,
                box=(
                    round(x * PX_TO_PT),
                    round((page.height - y - height) * PX_TO_PT),
                    round((x + width) * PX_TO_PT),
                    round((page.height - y) * PX_TO_PT),
                ),
            )
    return list(places.values())


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a document template to PDF with WeasyPrint; nothing is fetched from the network.

    Each signature block marked ``id="sigfield-<field name>"`` becomes an empty signature field
    in its place, which the signature of that name fills with its visible stamp."""
    with translation.override("id"):
        html = render_to_string(template, context)
    rendered = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    pdf: bytes = rendered.write_pdf()
    return add_signature_fields(pdf, signature_places(rendered))
