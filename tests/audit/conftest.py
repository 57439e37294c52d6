"""Fixtures shared by the audit tests: a signed document comes from the signing tests; messages
are read in English."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.signing.conftest import document_a, witness_official

__all__ = ["document_a", "witness_official"]


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    with translation.override("en"):
        yield
