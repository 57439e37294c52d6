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
