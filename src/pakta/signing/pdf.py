"""PAdES signing and validation with pyHanko.

Each signature is an incremental update, so that signer, witness and leader each add theirs
without invalidating the earlier ones. Validation uses pyHanko's difference analysis to tell a
later signature (allowed) from a change to the content (modified).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.pdf_utils.font.basic import SimpleFontEngineFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError, get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from pakta.signing.pki import key_to_der

T = TypeVar("T")

# Reserved space for the CMS blob (certificate chain, and a timestamp token when configured).
BYTES_RESERVED = 16384


class TimestampUnavailable(Exception):
    """The timestamp authority did not answer with a valid token."""


def _asn1_cert(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class _OwnKeySigner(signers.SimpleSigner):
    """pyHanko's signer for a key Pakta generated itself and unsealed with authenticated
    encryption (``signing.keystore``, AES-GCM): an RSA PKCS#1 v1.5 signature loads the key without
    OpenSSL's RSA key check (primality tests of p and q: 90 ms for a 2048-bit key, 230 ms for
    3072, on every signature). The check guards against keys from outside; these are ours and
    cannot have been altered unnoticed. Other mechanisms go through pyHanko unchanged."""

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        key = serialization.load_der_private_key(
            self.signing_key.dump(), password=None, unsafe_skip_rsa_key_validation=True
        )
        assert isinstance(key, RSAPrivateKey)
        return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


def make_signer(
    key: Any, certificate: x509.Certificate, chain: list[x509.Certificate]
) -> signers.SimpleSigner:
    """A pyHanko signer; ``key`` is a private key object or its PKCS#8 DER bytes.

    Passing the DER bytes (as unsealed from the keystore) spares loading the key twice: pyHanko
    loads it from DER for each signature anyway, and an RSA load validates the key (tens of ms).
    """
    der = key if isinstance(key, bytes) else key_to_der(key)
    return _OwnKeySigner(
        signing_cert=_asn1_cert(certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]),
    )


@dataclass(frozen=True)
class LongTermInfo:
    """What a validator needs offline: the issuing CA's certificate and its current CRL."""

    ca: x509.Certificate
    crl: bytes


@dataclass(frozen=True)
class FieldPlace:
    """Where a signature will be shown: a field named like the signature (``signer-<NIP>``), on
    a page (from 0), in a box ``(x1, y1, x2, y2)`` in points from the page's lower left."""

    name: str
    page: int
    box: tuple[int, int, int, int]


def add_signature_fields(pdf: bytes, places: list[FieldPlace]) -> bytes:
    """Add empty signature fields at these places (the signature blocks of the document).

    An empty field is no signature (pdfsig lists none); the signature made later under the same
    field name fills it, and its visible stamp then sits in the block.
    """
    if not places:
        return pdf
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for place in places:
        fields.append_signature_field(
            writer,
            fields.SigFieldSpec(sig_field_name=place.name, on_page=place.page, box=place.box),
        )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# The visible stamp of a signature, drawn in its field. PDF standard fonts only (the stamp is
# drawn by pyHanko, which embeds no TrueType font without HarfBuzz), so the text is plain Latin.
STAMP_STYLE = TextStampStyle(
    stamp_text="%(stamp)s",
    text_box_style=TextBoxStyle(
        font=SimpleFontEngineFactory("Helvetica", 0.55), font_size=7, leading=9
    ),
    border_width=1,
    border_color=(0.1, 0.25, 0.55),
)


def stamp_ascii(text: str) -> str:
    """``text`` in the characters a standard PDF font shows (accents dropped, dashes plain)."""
    text = text.replace("\u2014", "-").replace("\u2013", "-")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def make_timestamper(url: str) -> TimeStamper:
    return HTTPTimeStamper(url, timeout=10)


def _outside_event_loop(work: Callable[[], T]) -> T:
    """Run ``work`` (pyHanko's ``sign_pdf`` and ``validate_pdf_signature``, which call
    ``asyncio.run``) where no event loop runs: here, or in a thread of its own when this thread
    already runs one (a task worker or a server that drives its loop in the same thread,
    Playwright's sync API in the test run)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def sign(
    pdf: bytes,
    *,
    signer: signers.SimpleSigner,
    field_name: str,
    reason: str,
    location: str,
    timestamper: TimeStamper | None = None,
    long_term: LongTermInfo | None = None,
    stamp: str | None = None,
) -> bytes:
    """Add one PAdES signature as an incremental update and return the new PDF.

    With ``long_term`` (the CA certificate and its current CRL) the PDF carries what a validator
    needs offline: the signer's certificate, the CA and the CRL go into the document security
    store (DSS) in the same revision as the signature, which covers them. The PDF then
    validates years later with the CA as the only trust root, without network or Pakta, and
    the signature still covers the whole file ("Total document signed" in pdfsig).

    ``stamp`` is the text of the visible stamp, drawn when the document has a placed field of
    that name (``add_signature_fields``); otherwise the signature is invisible.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if long_term is not None:
        DocumentSecurityStore.supply_dss_in_writer(
            writer,
            None,
            certs=[signer.signing_cert, _asn1_cert(long_term.ca)],
            crls=[asn1_crl.CertificateList.load(long_term.crl)],
        )
    meta = PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason[:200],
        location=location[:100],
        md_algorithm="sha256",
    )
    output = io.BytesIO()
    try:
        pdf_signer = signers.PdfSigner(
            meta, signer=signer, timestamper=timestamper, stamp_style=STAMP_STYLE
        )
        _outside_event_loop(
            lambda: pdf_signer.sign_pdf(
                writer,
                output=output,
                bytes_reserved=BYTES_RESERVED * (2 if timestamper else 1),
                appearance_text_params={"stamp": stamp_ascii(stamp or "")},
            )
        )
    except (SigningError, OSError, ValueError) as error:
        if timestamper is not None:
            raise TimestampUnavailable(str(error)) from error
        raise
    except Exception as error:  # the TSA client raises its own errors (HTTP, ASN.1)
        if timestamper is not None:
            raise TimestampUnavailable(str(error)) from error
        raise
    return output.getvalue()


@dataclass
class SignatureCheck:
    field_name: str
    signer_name: str
    signer_serial: int
    signing_time: dt.datetime | None
    intact: bool
    trusted: bool
    revoked: bool
    modified_after: bool
    timestamped: bool

    @property
    def status(self) -> str:
        if not self.intact or self.modified_after:
            return "modified"
        if self.revoked:
            return "revoked"
        if not self.trusted:
            return "untrusted"
        return "valid"


def validate(
    pdf: bytes, *, trust_roots: list[x509.Certificate], revoked_serials: set[int]
) -> list[SignatureCheck]:
    """Check every embedded signature: integrity, chain to our roots, revocation, later changes.

    Raises ``ValueError`` when the file is not a readable PDF. An uploaded file can be damaged
    in any way, and pyHanko then raises whatever its parser met (``decimal.InvalidOperation``
    for a broken number, ``AttributeError``...): every failure to read is that one error.
    """
    try:
        return _outside_event_loop(
            lambda: _validate(pdf, trust_roots=trust_roots, revoked_serials=revoked_serials)
        )
    except Exception as error:  # a damaged file, whatever broke in the parser
        raise ValueError("not a readable PDF") from error


def _validate(
    pdf: bytes, *, trust_roots: list[x509.Certificate], revoked_serials: set[int]
) -> list[SignatureCheck]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    embedded = list(reader.embedded_signatures)
    context = ValidationContext(
        trust_roots=[_asn1_cert(c) for c in trust_roots], allow_fetching=False
    )
    checks = []
    for sig in embedded:
        status = validate_pdf_signature(sig, context, skip_diff=False)
        cert = sig.signer_cert
        if sig is embedded[-1]:
            # The last signature must cover the whole file: bytes after it were added later.
            modified_after = status.coverage != SignatureCoverageLevel.ENTIRE_FILE
        else:
            # Later revisions may add signatures (form filling), nothing else.
            level = status.modification_level
            modified_after = (
                level is None or level > ModificationLevel.FORM_FILLING or not status.docmdp_ok
            )
        checks.append(
            SignatureCheck(
                field_name=sig.field_name,
                signer_name=cert.subject.native.get("common_name", ""),
                signer_serial=cert.serial_number,
                signing_time=status.signer_reported_dt,
                intact=bool(status.intact and status.valid),
                trusted=bool(status.trusted),
                revoked=cert.serial_number in revoked_serials,
                modified_after=bool(modified_after),
                timestamped=status.timestamp_validity is not None,
            )
        )
    return checks
