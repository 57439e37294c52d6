from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant, user_create
from pakta.core.roles import Role
from pakta.gratification import services
from pakta.gratification.models import GratificationReport
from pakta.org.models import Official
from tests.conftest import PASSWORD

TODAY = dt.date(2026, 3, 2)  # a Monday
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def seeded_rules(request: Any) -> None:
    """The rules the data migration seeds. A ``transaction=True`` test anywhere in the session
    flushes them, so they are put back (idempotently) for every database test here."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from django.apps import apps

    importlib.import_module("pakta.gratification.migrations.0002_seed_rules").seed(apps, None)


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def reporter(official_a: Official, pemda_a: Any, superadmin: User) -> User:
    user = user_create(
        username="hadi", password=PASSWORD, acting_user=superadmin, official=official_a
    )
    membership_grant(user=user, pemda=pemda_a, role=Role.PEGAWAI, acting_user=superadmin)
    return user


@pytest.fixture
def upg(role_users: dict[str, User]) -> User:
    return role_users["upg"]


def file_report(pemda: Any, user: User, **overrides: Any) -> GratificationReport:
    fields: dict[str, Any] = {
        "type": GratificationReport.Type.RECEIVED,
        "giver_name": "PT Maju Jaya",
        "giver_organisation": "PT Maju Jaya",
        "relationship": "vendor",
        "occasion": "Hari raya",
        "received_on": dt.date(2026, 2, 23),
        "place": "Kantor Dinas Kesehatan",
        "kind": "goods",
        "description": "Parsel lebaran",
        "value": 750_000,
        "location": GratificationReport.Location.RECIPIENT,
        "chronology": "Diantar kurir ke kantor.",
        "today": TODAY,
    }
    fields.update(overrides)
    return services.report_file(pemda=pemda, acting_user=user, **fields)
