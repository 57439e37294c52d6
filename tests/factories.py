"""factory_boy factories for the common worlds, each creating through the services (so each
row has its audit event, as in the app). ``OfficialFactory(pemda=pemda)`` gives an official with
a valid NIP, a unit and a current position; pass ``position=`` to place them.

    head = OfficialFactory(pemda=pemda, position__is_unit_head=True)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from pakta.accounts.models import User
from pakta.accounts.services import user_create
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Position, Unit
from tests.kit import make_nip


def _actor() -> User:
    found = User.objects.filter(username="factory-root").first()
    return found or user_create(
        username="factory-root", password="x-factory-pass", acting_user=None, is_superuser=True
    )


class PemdaFactory(factory.Factory):
    class Meta:
        model = Pemda

    name = factory.Sequence(lambda n: f"Kabupaten Uji {n}")
    slug = factory.Sequence(lambda n: f"uji-{n}")
    kind = "kabupaten"
    kemendagri_code = factory.Sequence(lambda n: f"97.{n % 100:02d}")

    @classmethod
    def _create(cls, model_class: Any, **fields: Any) -> Pemda:
        return org.pemda_create(acting_user=_actor(), **fields)


class UnitFactory(factory.Factory):
    class Meta:
        model = Unit

    pemda = factory.SubFactory(PemdaFactory)
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")

    @classmethod
    def _create(cls, model_class: Any, **fields: Any) -> Unit:
        return org.unit_create(acting_user=_actor(), **fields)


class PositionFactory(factory.Factory):
    class Meta:
        model = Position

    unit = factory.SubFactory(UnitFactory)
    pemda = factory.SelfAttribute("unit.pemda")
    title = factory.Sequence(lambda n: f"Analis {n}")
    level = "pelaksana"
    is_unit_head = False

    @classmethod
    def _create(cls, model_class: Any, **fields: Any) -> Position:
        return org.position_create(acting_user=_actor(), **fields)


class OfficialFactory(factory.Factory):
    class Meta:
        model = Official

    pemda = factory.SubFactory(PemdaFactory)
    nip = factory.Sequence(lambda n: make_nip(20_000 + n))
    name = factory.Sequence(lambda n: f"Pegawai Uji {n}")
    position = factory.LazyAttribute(
        lambda o: PositionFactory(unit=UnitFactory(pemda=o.pemda), pemda=o.pemda)
    )

    @classmethod
    def _create(cls, model_class: Any, position: Position | None = None, **fields: Any) -> Official:
        actor = _actor()
        official = org.official_create(acting_user=actor, **fields)
        if position is not None:
            org.assignment_start(
                official=official,
                position=position,
                start_date=dt.date(2024, 1, 2),
                acting_user=actor,
            )
        return official
