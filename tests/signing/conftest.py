from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from weasyprint import HTML

from pakta.accounts.models import User
from pakta.accounts.services import user_create
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Position
from pakta.signing import services as signing
from pakta.signing.models import SignedDocument
from pakta.signing.pki import cert_to_pem
from tests.conftest import IN_CI, PASSWORD


def simple_pdf(text: str = "PAKTA INTEGRITAS") -> bytes:
    return HTML(string=f"<h1>{text}</h1><p>Saya yang bertanda tangan di bawah ini.</p>").write_pdf()


@pytest.fixture
def witness_official(pemda_a: Pemda, position_a: Position, superadmin: User) -> Official:
    official = org.official_create(
        pemda=pemda_a, nip="196805152000032001", name="Siti Rahayu", acting_user=superadmin
    )
    return official


def user_for(official: Official) -> User:
    """The official's user account (created on first use)."""
    existing = User.objects.filter(official=official).first()
    return existing or user_create(
        username=f"u{official.nip}", password=PASSWORD, acting_user=None, official=official
    )


def sign_as_signer(document: SignedDocument, official: Official) -> None:
    """``official`` signs ``document`` as its signer, with their own account and password."""
    signing.signature_apply(
        document=document,
        official=official,
        role="signer",
        acting_user=user_for(official),
        credential=PASSWORD,
    )


@pytest.fixture
def document_a(pemda_a: Pemda, superadmin: User) -> SignedDocument:
    return signing.signed_document_create(
        pemda=pemda_a,
        kind="pact",
        title="Pakta Integritas 2026",
        render=lambda doc: simple_pdf(doc.token),
        acting_user=superadmin,
    )


def pdfsig(pdf: bytes, tmp_path: Path) -> str:
    """Run poppler's pdfsig with an NSS database that trusts the deployment root."""
    if shutil.which("pdfsig") is None or shutil.which("certutil") is None:
        if IN_CI:
            pytest.fail(
                "pdfsig/certutil missing in CI: scripts/system-deps.sh must install poppler-utils and libnss3-tools"
            )
        pytest.skip("pdfsig or certutil not installed")
    workdir = Path(tempfile.mkdtemp(dir=tmp_path))  # certutil -N hangs on an existing database
    nss = workdir / "nss"
    nss.mkdir()
    root = workdir / "root.pem"
    root.write_text(cert_to_pem(signing.trust_roots()[0]))
    subprocess.run(
        ["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True
    )
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "pakta-root", "-t", "CT,C,C", "-i", str(root)],
        check=True,
        capture_output=True,
    )
    path = workdir / "doc.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=False
    )
    return result.stdout + result.stderr


def today() -> dt.date:
    return dt.date.today()
