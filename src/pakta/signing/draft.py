"""The "DRAF" mark on a document nobody has signed yet.

The PDF that people sign is stored once and each signature is an incremental update of it, so
the stored file cannot carry a draft mark (it would stay after signing). Instead, a copy handed
out while the document has no signature gets the mark stamped over every page, made on the fly
and never stored: it is plainly not a signed document, and it is not the file to be signed.
"""

from __future__ import annotations

import io
from functools import lru_cache

from pypdf import PdfReader, PdfWriter, Transformation
from weasyprint import HTML

DRAFT_TEXT = "DRAF — belum ditandatangani"


@lru_cache(maxsize=1)
def _mark() -> bytes:
    """One A4 page with the mark, diagonal and light, on a transparent background."""
    html = f"""<html><head><style>
      @page {{ size: A4; margin: 0; }}
      body {{ margin: 0; }}
      div {{ position: absolute; top: 45%; left: -10%; width: 120%; text-align: center;
             transform: rotate(-35deg); font: bold 44pt sans-serif; color: rgba(180, 20, 20, .28);
             letter-spacing: 2pt; white-space: nowrap; }}
    </style></head><body><div>{DRAFT_TEXT}</div></body></html>"""
    data: bytes = HTML(string=html).write_pdf()
    return data


def with_draft_mark(pdf: bytes) -> bytes:
    """``pdf`` with the draft mark over every page (scaled to each page's size)."""
    mark = PdfReader(io.BytesIO(_mark())).pages[0]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        scale_x = float(page.mediabox.width) / float(mark.mediabox.width)
        scale_y = float(page.mediabox.height) / float(mark.mediabox.height)
        page.merge_transformed_page(mark, Transformation().scale(scale_x, scale_y))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
