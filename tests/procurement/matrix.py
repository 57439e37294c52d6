"""Objects the permission matrix needs for the procurement pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pakta.procurement import services
from pakta.procurement.models import Package, Party


def make_party(world: Any, side: str) -> Party:
    return services.party_get_or_create(
        pemda=world.pemda[side], name=f"CV Maju {next(world.serial)}", roles=["tenderer"]
    )


def make_package(world: Any, side: str) -> Package:
    tenderer = make_party(world, side)
    return services.package_create(
        pemda=world.pemda[side],
        acting_user=world.superadmin,
        title=f"Pengadaan alat kesehatan {next(world.serial)}",
        buyer=world.unit[side],
        method="open",
        hps_value=Decimal("100000000"),
        bids=[services.BidInput(tenderer=tenderer, amount=Decimal("95000000"))],
        winner=tenderer,
        contract_value=Decimal("95000000"),
    )


FACTORIES: dict[Any, Any] = {Party: make_party, Package: make_package}
