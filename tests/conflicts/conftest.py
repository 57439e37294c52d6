from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from pakta.conflicts import services
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.models import Position
from tests.conftest import PASSWORD, make_user


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Services' messages in English here, so that tests can match them (pages set their own
    language through the middleware)."""
    with translation.override("en"):
        yield


YEAR = 2026


@pytest.fixture
def people(pemda_a, unit_a, official_a, superadmin) -> dict[str, Any]:
    from pakta.accounts.services import membership_grant, user_create

    position = org.position_create(
        pemda=pemda_a,
        unit=unit_a,
        title="Pokja Pemilihan",
        level=Position.Level.FUNGSIONAL,
        acting_user=superadmin,
    )
    result: dict[str, Any] = {"head": official_a}
    for key, nip, name in (
        ("budi", "198503152010011003", "Budi Siregar, S.T."),
        ("sari", "199001012015032002", "Sari Lestari"),
        ("andi", "198801012012011004", "Andi Wijaya"),
    ):
        official = org.official_create(pemda=pemda_a, nip=nip, name=name, acting_user=superadmin)
        org.assignment_start(
            official=official,
            position=position,
            start_date=dt.date(2024, 1, 2),
            acting_user=superadmin,
        )
        user = user_create(
            username=key, password=PASSWORD, acting_user=superadmin, official=official
        )
        membership_grant(user=user, pemda=pemda_a, role=Role.PEGAWAI, acting_user=superadmin)
        result[key] = official
        result[f"{key}_user"] = user
    result["admin"] = make_user("admin-coi", pemda_a, Role.ADMIN, granter=superadmin)
    result["inspektorat"] = make_user("insp-coi", pemda_a, Role.INSPEKTORAT, granter=superadmin)
    return result


def _package(people, unit_a, pemda_a, *, opened_at=None):
    admin = people["admin"]
    decision = services.decision_create(
        pemda=pemda_a,
        acting_user=admin,
        kind="procurement",
        code="PKG-2026-017",
        title="Pembangunan Puskesmas Sukamaju",
        unit=unit_a,
        year=YEAR,
        opened_at=opened_at,
    )
    budi = services.decision_member_add(
        decision=decision, acting_user=admin, official=people["budi"], role="pokja"
    )
    services.decision_member_add(
        decision=decision, acting_user=admin, official=people["sari"], role="ppk"
    )
    tenderer = services.decision_subject_add(
        decision=decision,
        acting_user=admin,
        kind="tenderer",
        name="PT Maju Bersama",
        is_company=True,
        nib="1234567890123",
    )
    services.decision_subject_add(
        decision=decision,
        acting_user=admin,
        kind="director",
        parent=tenderer,
        name="Hj. Rina Siregar, S.E.",
        birth_date=dt.date(1988, 7, 9),
    )
    return decision, budi, tenderer
