"""Objects the permission matrix needs for the procurement pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pakta.procurement import services
from pakta.procurement.models import Case, Flag, OcdsImport, Package, Party


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


def make_import(world: Any, side: str) -> OcdsImport:
    from pakta.procurement.services.imports import ocds_import_create

    return ocds_import_create(
        pemda=world.pemda[side],
        acting_user=world.superadmin,
        file_name="ocds.jsonl",
        content=b'{"ocid": "ocds-x-1", "tag": ["compiled"]}\n',
        enqueue=False,
    )


def make_case(world: Any, side: str) -> Case:
    from pakta.procurement.models import Case

    package = make_package(world, side)
    # Opened through the model (the superadmin holds no Inspektorat role); the case service's
    # guard is tested in tests/procurement/test_cases.py.
    return Case.objects.create(pemda=package.pemda, package=package, opened_by=world.superadmin)


def make_flag(world: Any, side: str) -> Flag:
    package = make_package(world, side)
    return Flag.objects.create(pemda=package.pemda, package=package, code="R018", value=1.0)


FACTORIES.update({OcdsImport: make_import, Case: make_case, Flag: make_flag})
