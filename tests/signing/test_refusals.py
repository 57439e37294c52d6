"""Refused signing changes leave no row and no event (issue 20, item 6)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from pakta.accounts.models import User
from pakta.org.models import Official
from pakta.signing import services as signing
from pakta.signing.models import (
    DocumentVersion,
    PendingSignature,
    Signature,
    SignedDocument,
    SigningIdentity,
)
from tests.conftest import PASSWORD
from tests.kit import assert_refused
from tests.signing.conftest import user_for

pytestmark = pytest.mark.django_db

SIGNED = (SignedDocument, DocumentVersion, Signature, PendingSignature, SigningIdentity)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_nobody_signs_in_another_officials_name(
    document_a: SignedDocument, official_a: Official, witness_official: Official
) -> None:
    """A witness trying to sign as the official is refused, even with their own password."""
    witness = user_for(witness_official)

    with assert_refused(*SIGNED, match="can sign as themselves."):
        signing.signature_apply(
            document=document_a,
            official=official_a,
            role=Signature.Role.SIGNER,
            acting_user=witness,
            credential=PASSWORD,
        )


def test_a_wrong_password_signs_nothing(document_a: SignedDocument, official_a: Official) -> None:
    """An official who mistypes the password is told nothing was signed; no certificate is issued."""
    signer = user_for(official_a)

    with assert_refused(*SIGNED, match="The confirmation is wrong: nothing was signed."):
        signing.signature_apply(
            document=document_a,
            official=official_a,
            role=Signature.Role.SIGNER,
            acting_user=signer,
            credential="not-my-password",
        )


def test_a_completed_document_takes_no_new_signature(
    document_a: SignedDocument, official_a: Official, superadmin: User
) -> None:
    """Signing a document already marked complete is refused."""
    signing.signed_document_complete(document=document_a, acting_user=superadmin)
    signer = user_for(official_a)

    with assert_refused(*SIGNED, match="This document is already complete."):
        signing.signature_apply(
            document=document_a,
            official=official_a,
            role=Signature.Role.SIGNER,
            acting_user=signer,
            credential=PASSWORD,
        )


def test_a_withdrawal_needs_a_reason(document_a: SignedDocument, superadmin: User) -> None:
    """Withdrawing a document without a reason is refused; it stays valid."""
    with assert_refused(SignedDocument, match="Give the reason for the withdrawal."):
        signing.signed_document_withdraw(document=document_a, reason="  ", acting_user=superadmin)


def test_only_receipts_carry_the_institution_seal(
    document_a: SignedDocument, superadmin: User
) -> None:
    """Sealing a pact with the Inspektorat's e-seal is refused."""
    with assert_refused(*SIGNED, match="Only receipts can carry the institution seal."):
        signing.institution_seal_apply(document=document_a, acting_user=superadmin)


def test_a_broken_pkcs12_file_is_not_imported(official_a: Official, superadmin: User) -> None:
    """An admin uploading a damaged certificate file (or a wrong password) is refused."""
    with assert_refused(SigningIdentity, match="The PKCS#12 file cannot be opened"):
        signing.identity_import_pkcs12(
            official=official_a, data=b"not a pkcs12 file", password="x", acting_user=superadmin
        )
