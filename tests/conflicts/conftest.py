from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Services' messages in English here, so that tests can match them (pages set their own
    language through the middleware)."""
    with translation.override("en"):
        yield
