"""A small Pemda for performance agreements: the bupati (regional head), the head of the health
office (``official_a``, second party: the bupati) and a head of division under them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from pakta.accounts.models import User
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.performance import services as perf
from pakta.performance.models import PerformanceAgreement
from tests.conftest import PASSWORD
from tests.signing.conftest import user_for

YEAR = 2026


@pytest.fixture(autouse=True)
def english() -> Any:
    """Service messages are matched in English (the msgids); pages are checked in Indonesian."""
    from django.utils import translation

    with translation.override("en"):
        yield


@dataclass
class People:
    bupati: Official
    kadis: Official
    kabid: Official
    sub_unit: Unit

    def user(self, official: Official) -> User:
        return user_for(official)


@pytest.fixture
def people(pemda_a: Pemda, unit_a: Unit, official_a: Official, superadmin: User) -> People:
    setda = org.unit_create(
        pemda=pemda_a, name="Sekretariat Daerah", kind="sekretariat", acting_user=superadmin
    )
    bupati_post = org.position_create(
        pemda=pemda_a, unit=setda, title="Bupati Alfa", level="jpt_utama", acting_user=superadmin
    )
    bupati = org.official_create(
        pemda=pemda_a, nip="196601011990031001", name="Bambang Wijaya", acting_user=superadmin
    )
    org.assignment_start(
        official=bupati,
        position=bupati_post,
        start_date=dt.date(2021, 2, 26),
        acting_user=superadmin,
    )
    bidang = org.unit_create(
        pemda=pemda_a,
        name="Bidang Pelayanan Kesehatan",
        parent=unit_a,
        kind="sub_unit",
        acting_user=superadmin,
    )
    kabid_post = org.position_create(
        pemda=pemda_a,
        unit=bidang,
        title="Kepala Bidang Pelayanan Kesehatan",
        level="administrator",
        is_unit_head=True,
        acting_user=superadmin,
    )
    kabid = org.official_create(
        pemda=pemda_a, nip="198203152008012001", name="Rina Marlina", acting_user=superadmin
    )
    org.assignment_start(
        official=kabid, position=kabid_post, start_date=dt.date(2022, 5, 2), acting_user=superadmin
    )
    return People(bupati=bupati, kadis=official_a, kabid=kabid, sub_unit=bidang)


def fill(agreement: PerformanceAgreement, user: Any, *, indicators: int = 2) -> list[Any]:
    """A goal with indicators and quarterly targets, and one programme."""
    goal = perf.goal_add(
        agreement=agreement, name="Meningkatnya derajat kesehatan masyarakat", acting_user=user
    )
    made = [
        perf.indicator_add(
            goal=goal,
            acting_user=user,
            name="Cakupan imunisasi dasar lengkap",
            unit_of_measure="%",
            polarity="higher",
            target=Decimal("95"),
            weight=Decimal("2"),
            quarter_targets={1: (20, None), 2: (45, None), 3: (70, None), 4: (95, None)},
        )
    ]
    if indicators > 1:
        made.append(
            perf.indicator_add(
                goal=goal,
                acting_user=user,
                name="Waktu tunggu pelayanan rawat jalan",
                unit_of_measure="bulan",
                polarity="lower",
                target=Decimal("7"),
                target_upper=Decimal("8"),
                weight=Decimal("1"),
                quarter_targets=dict.fromkeys((1, 2, 3, 4), (7, 8)),
            )
        )
    perf.programme_add(
        agreement=agreement,
        name="Program Pemenuhan Upaya Kesehatan Perorangan",
        budget=Decimal("1250000"),
        acting_user=user,
    )
    return made


def signed_agreement(people: People, *, official: Official | None = None) -> PerformanceAgreement:
    """An agreement of ``official`` (the head of the health office) signed by both parties."""
    official = official or people.kadis
    user = user_for(official)
    agreement = perf.agreement_create(
        pemda=official.pemda, official=official, year=YEAR, acting_user=user
    )
    fill(agreement, user)
    perf.agreement_submit(agreement=agreement, acting_user=user)
    superior_user = user_for(agreement.superior)
    perf.agreement_approve(agreement=agreement, acting_user=superior_user)
    perf.agreement_sign_first_party(agreement=agreement, acting_user=user, credential=PASSWORD)
    perf.agreement_sign_second_party(
        agreement=agreement, acting_user=superior_user, credential=PASSWORD
    )
    agreement.refresh_from_db()
    return agreement
