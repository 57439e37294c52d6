"""The deployment's certificate authority: certificates for officials, organisational e-seals
and the CRL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

KEY_SIZE = 2048
CA_YEARS = 20
OFFICIAL_YEARS = 2
# A CRL promises the next within this many days; ``refresh_crl`` runs daily, so a few missed
# runs do not leave relying parties with an expired list.
CRL_DAYS = 7
SEAL_YEARS = 2
# An external witness's certificate serves one signature on one ceremony record.
EXTERNAL_DAYS = 1


@dataclass
class KeyPair:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def _name(common_name: str, *, serial: str = "", organisation: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    if serial:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(attributes)


def crl_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/signing/crl.der"


def generate_key(key_size: int) -> rsa.RSAPrivateKey:
    """A new RSA key: the one place keys are made (the test suite hands out pre-made ones)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=key_size)


def create_ca(*, now: dt.datetime) -> KeyPair:
    key = generate_key(3072)
    name = _name("Pakta Root CA", organisation="Pakta")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return KeyPair(key, certificate)


def _end_entity(
    *, ca: KeyPair, subject: x509.Name, years: int, now: dt.datetime, days: int = 0
) -> tuple[rsa.RSAPrivateKey, x509.CertificateBuilder]:
    """A new key and the extensions every signing certificate of the deployment carries.

    Key usage digitalSignature + contentCommitment (nonRepudiation): the key makes signatures
    and seals on documents, nothing else. The extended key usage emailProtection is what NSS
    (poppler's pdfsig) expects of a document signing certificate.
    """
    key = generate_key(KEY_SIZE)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(
            min(now + dt.timedelta(days=days or 365 * years), ca.certificate.not_valid_after_utc)
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(crl_url())], None, None, None
                    )
                ]
            ),
            critical=False,
        )
    )
    return key, builder


def issue_certificate(
    *, ca: KeyPair, common_name: str, nip: str, organisation: str, email: str, now: dt.datetime
) -> KeyPair:
    """A signing certificate whose subject carries the official's name and NIP."""
    subject = _name(common_name, serial=nip, organisation=organisation)
    key, builder = _end_entity(ca=ca, subject=subject, years=OFFICIAL_YEARS, now=now)
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    return KeyPair(key, builder.sign(ca.key, hashes.SHA256()))


def issue_external_certificate(
    *, ca: KeyPair, common_name: str, organisation: str, email: str, now: dt.datetime
) -> KeyPair:
    """A short-lived certificate for an outside witness (no NIP, no official): the subject names
    the person (CN) and their organisation (O), the e-mail address the link went to is its SAN."""
    subject = _name(common_name, organisation=organisation)
    key, builder = _end_entity(ca=ca, subject=subject, years=0, now=now, days=EXTERNAL_DAYS)
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    return KeyPair(key, builder.sign(ca.key, hashes.SHA256()))


def seal_subject(*, organisation: str, unit: str, identifier: str) -> x509.Name:
    """The subject of an organisational e-seal, in the legal-person style of ETSI EN 319 412-3.

    countryName, organizationName, organizationalUnitName, organizationIdentifier and a
    commonName naming the unit of the organisation, never a person: no personal name, no NIP,
    no serialNumber of a natural person.
    """
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, identifier[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{unit} {organisation}"[:64]),
        ]
    )


def issue_seal_certificate(
    *, ca: KeyPair, organisation: str, unit: str, identifier: str, now: dt.datetime
) -> KeyPair:
    """An organisational e-seal certificate: issued to the organisation, not to a person."""
    subject = seal_subject(organisation=organisation, unit=unit, identifier=identifier)
    key, builder = _end_entity(ca=ca, subject=subject, years=SEAL_YEARS, now=now)
    return KeyPair(key, builder.sign(ca.key, hashes.SHA256()))


def build_crl(
    *, ca: KeyPair, revoked: list[tuple[int, dt.datetime]], number: int, now: dt.datetime
) -> bytes:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now)
        .next_update(now + dt.timedelta(days=CRL_DAYS))
        .add_extension(x509.CRLNumber(number), critical=False)
    )
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def key_to_der(key: PrivateKeyTypes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def key_from_der(data: bytes) -> PrivateKeyTypes:
    """A key Pakta generated, as unsealed from the keystore (authenticated encryption): loaded
    without OpenSSL's RSA key check, which only guards against keys from outside (90-230 ms)."""
    return serialization.load_der_private_key(
        data, password=None, unsafe_skip_rsa_key_validation=True
    )


def cert_to_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def cert_from_pem(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def certs_from_pem(pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem.encode()) if pem.strip() else []
