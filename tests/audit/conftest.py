"""Fixtures shared by the audit tests: a signed document comes from the signing tests."""

from tests.signing.conftest import document_a, witness_official

__all__ = ["document_a", "witness_official"]
