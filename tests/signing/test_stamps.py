"""What a reader sees: an unsigned pact makes no claim of a signature (and is handed out marked
as a draft); each signature shows a stamp in its own signature block (name, role, time in the
Pemda's zone, "Ditandatangani secara elektronik", the short code); a signature made after the
ceremony's date says so beside that date."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from pakta.accounts.models import User
from pakta.core.documents import document_read
from pakta.org.models import Official, Pemda
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact
from pakta.signing import services as signing
from pakta.signing.models import SignedDocument
from tests.conftest import PASSWORD
from tests.kit import make_leader
from tests.signing.conftest import pdfsig, user_for
from tests.signing.test_draft import text_of

pytestmark = pytest.mark.django_db

EVENT_DAY = dt.date(2026, 1, 29)


@pytest.fixture
def bupati(pemda_a: Pemda, superadmin: User) -> Official:
    return make_leader(
        pemda_a, superadmin, nip="196601011990031001", name="Bambang Wijaya", title="Bupati Alfa"
    )


@pytest.fixture
def pact(pemda_a: Pemda, official_a: Official, bupati: Official, superadmin: User) -> Pact:
    pemda_a.timezone = "Asia/Makassar"
    pemda_a.save(update_fields=["timezone"])
    event = pacts.event_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="Penandatanganan Pakta Integritas 2026",
        date=EVENT_DAY,
        place="Aula Krakatau",
        template=pacts.template_current(pemda_a, superadmin),
        leader=bupati,
        leader_title="Bupati Alfa",
    )
    (made,) = pacts.event_add_participants(
        event=event, officials=[official_a], acting_user=superadmin
    )
    pacts.event_open(event=event, acting_user=superadmin)
    return made


def words_with_boxes(pdf: bytes, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """pdftotext -bbox: each word with its box, in points from the page's top left."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        (word, float(x1), float(y1), float(x2), float(y2))
        for x1, y1, x2, y2, word in re.findall(pattern, html)
    ]


def stamp_text_of(pdf: bytes, field_name: str) -> str:
    """The text drawn in a signature field's appearance (its stamp), read with pyHanko."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    (sig,) = [s for s in reader.embedded_signatures if s.field_name == field_name]
    appearance = sig.sig_field["/AP"]["/N"]
    chunks = []

    def walk(stream: object) -> None:
        chunks.append(stream.data.decode("latin-1"))  # type: ignore[attr-defined]
        resources = stream.get("/Resources", {})  # type: ignore[attr-defined]
        for inner in resources.get("/XObject", {}).values():
            walk(inner.get_object())

    walk(appearance.get_object())
    strings = re.findall(r"\(((?:[^()\\]|\\.)*)\)\s*Tj", " ".join(chunks))
    text = " ".join(strings)
    text = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)
    return re.sub(r"\\(.)", r"\1", text)


def test_the_unsigned_pact_claims_no_signature(
    pact: Pact, superadmin: User, tmp_path: Path
) -> None:
    document = pacts.pact_document(pact=pact, acting_user=superadmin)
    stored = document_read(document.pdf)  # type: ignore[arg-type]
    draft = signing.document_pdf_for_reader(document)
    assert "DRAF — belum ditandatangani" in text_of(draft)
    for text in (text_of(stored), text_of(draft)):
        assert "ditandatangani secara elektronik" not in text.lower()
        assert "Tanda tangan elektronik" not in text
        assert "dapat diperiksa di" in text and document.short_code_display in text
    # The signature blocks are empty fields, placed where the signatures will go: no signature.
    output = pdfsig(draft, tmp_path)
    assert output.count("The signature form field is not signed.") == 2, output
    assert "Signature Validation" not in output
    assert list(PdfFileReader(io.BytesIO(stored)).embedded_signatures) == []


def test_each_signature_has_a_visible_stamp_in_its_block_and_a_late_one_says_so(
    pact: Pact,
    official_a: Official,
    bupati: Official,
    tmp_path: Path,
) -> None:
    pacts.pact_sign(pact=pact, acting_user=user_for(official_a), credential=PASSWORD)
    pact.refresh_from_db()
    pacts.pact_witness_sign(pact=pact, acting_user=user_for(bupati), credential=PASSWORD)
    document = SignedDocument.objects.get(pk=pact.document_id)
    signed = document_read(document.pdf)  # type: ignore[arg-type]
    assert pdfsig(signed, tmp_path).count("Signature is Valid.") == 2
    assert all(c.status == "valid" for c in signing.document_checks(document))

    signer_field = f"signer-{official_a.nip}"
    stamp = stamp_text_of(signed, signer_field)
    when = document.signatures.get(role="signer").signed_at
    local = when.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert "Ditandatangani secara elektronik" in stamp
    assert official_a.full_name in stamp and "Penanda tangan" in stamp
    assert f"{local.hour:02d}.{local.minute:02d} WITA" in stamp
    assert f"Kode verifikasi: {document.short_code_display}" in stamp
    # Signed today for a ceremony of 29 January: its own date beside the ceremony's.
    assert "Terlambat: tanggal dokumen 29 Januari 2026" in stamp
    assert "Saksi" in stamp_text_of(signed, f"witness-{bupati.nip}")

    # The stamp sits in the signer's block: under "Yang membuat pernyataan," and above the name.
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    (sig,) = [s for s in reader.embedded_signatures if s.field_name == signer_field]
    x1, y1, x2, y2 = (float(v) for v in sig.sig_field["/Rect"])
    page_height = float(reader.root["/Pages"]["/Kids"][0]["/MediaBox"][3])
    top, bottom = page_height - y2, page_height - y1  # from the top, like pdftotext
    words = words_with_boxes(signed)
    heading = [w for w in words if w[0] == "pernyataan,"][-1]
    name = [w for w in words if w[0] == "Hadi"][-1]
    assert heading[4] <= top and bottom <= name[2], (heading, (top, bottom), name)
    assert x2 - x1 > 120 and y2 - y1 > 40
    page_width = float(reader.root["/Pages"]["/Kids"][0]["/MediaBox"][2])
    assert page_width / 2 < x1 < name[1] < x2  # the right-hand column, above the signer's name

    if os.environ.get("PAKTA_STAMP_PNG"):
        Path(os.environ["PAKTA_STAMP_PNG"]).write_bytes(signed)
