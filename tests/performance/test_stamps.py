"""A signed performance agreement shows both signatures as stamps in their blocks (first and
second party): each signature field has a box on the page and an appearance."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from pakta.core.documents import document_read
from tests.performance.conftest import People, signed_agreement
from tests.signing.conftest import pdfsig

pytestmark = pytest.mark.django_db


def test_both_parties_signatures_are_visible_stamps(people: People, tmp_path: Path) -> None:
    agreement = signed_agreement(people)
    assert agreement.document is not None
    content = document_read(agreement.document.pdf)  # type: ignore[arg-type]
    assert pdfsig(content, tmp_path).count("Signature is Valid.") == 2
    signatures = list(PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures)
    assert {s.field_name.split("-")[0] for s in signatures} == {"signer", "second_party"}
    for signature in signatures:
        x1, y1, x2, y2 = (float(v) for v in signature.sig_field["/Rect"])
        assert x2 - x1 > 120 and y2 - y1 > 40  # a real box, not an invisible field
        assert "/AP" in signature.sig_field
    if os.environ.get("PAKTA_STAMP_PNG"):
        Path(os.environ["PAKTA_STAMP_PNG"]).write_bytes(content)


def test_the_attachment_points_to_the_signed_page_and_each_field_is_placed_once(
    people: People, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The agreement repeats its signature blocks under the attachment, as the paper form does.
    A signature field has one place: the stamps sit on the agreement's page, the attachment's
    blocks say where the electronic signatures are, and WeasyPrint finds no id twice."""
    import subprocess

    with caplog.at_level("WARNING", logger="weasyprint"):
        agreement = signed_agreement(people)
    assert agreement.document is not None
    assert not [r for r in caplog.records if "defined twice" in r.getMessage()]
    content = document_read(agreement.document.pdf)  # type: ignore[arg-type]
    source = tmp_path / "agreement.pdf"
    source.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    attachment = next(i for i, page in enumerate(pages) if "LAMPIRAN PERJANJIAN KINERJA" in page)
    assert "pada lembar perjanjian" not in "".join(pages[:attachment])
    assert "".join(pages[attachment:]).count("pada lembar perjanjian") == 2
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    signatures = list(reader.embedded_signatures)
    assert len(signatures) == 2
    kids = reader.root["/Pages"]["/Kids"]
    page_refs = [kids.raw_get(i).idnum for i in range(len(kids))]
    for signature in signatures:
        # Every stamp is on a page before the attachment.
        assert page_refs.index(signature.sig_field.raw_get("/P").idnum) < attachment
