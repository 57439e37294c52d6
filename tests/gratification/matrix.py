"""Objects the permission matrix needs for the gratification pages and API (see
tests/core/test_permission_matrix.py): reports filed by the UPG on behalf of an official named
on no subject's account, an item in custody, an entry of the giver register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pakta.gratification import custody, services
from pakta.gratification.models import CustodyItem, GiverEntry, GratificationReport


def make_report(world: Any, side: str) -> GratificationReport:
    return services.report_file(
        pemda=world.pemda[side],
        acting_user=world.superadmin,
        recipient=world.official[side],
        type=GratificationReport.Type.RECEIVED,
        giver_name=f"Rekanan {next(world.serial)}",
        relationship="vendor",
        occasion="Hari raya",
        received_on=dt.date(2026, 2, 2),
        place="Kantor",
        kind="goods",
        description="Parsel",
        value=500_000,
        location=GratificationReport.Location.UPG,
        chronology="Diantar ke kantor.",
        today=dt.date(2026, 2, 9),
    )


def make_custody_item(world: Any, side: str) -> CustodyItem:
    return custody.custody_receive(
        report=make_report(world, side),
        acting_user=world.superadmin,
        description="Parsel",
        received_from="Penerima",
        storage="Lemari UPG",
        condition="good",
        received_on=dt.date(2026, 2, 9),
    )


def make_giver(world: Any, side: str) -> GiverEntry:
    return custody.giver_add(
        pemda=world.pemda[side],
        acting_user=world.superadmin,
        name=f"CV Rekan {next(world.serial)}",
        kind="vendor",
    )


FACTORIES = {
    GratificationReport: make_report,
    CustodyItem: make_custody_item,
    GiverEntry: make_giver,
}
