"""Objects the permission matrix needs for the action-plan pages (see
tests/core/test_permission_matrix.py). Items of Pemda A are owned by the Kepala OPD's unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pakta.actionplans import services
from pakta.actionplans.models import ActionItem, ActionPlan


def make_plan(world: Any, side: str) -> ActionPlan:
    return services.action_plan_create(
        pemda=world.pemda[side],
        acting_user=world.superadmin,
        title=f"Rencana aksi {next(world.serial)}",
        source=ActionPlan.Source.KPK_LETTER,
        letter_number="B/1838/KSP.00/70-73/04/2024",
        letter_date=dt.date(2024, 4, 4),
    )


def make_item(world: Any, side: str) -> ActionItem:
    return services.action_item_add(
        plan=make_plan(world, side),
        acting_user=world.superadmin,
        title="Deklarasi benturan kepentingan Pokja",
        owner_unit=world.unit[side],
        due_date=dt.date(2030, 6, 30),
        required_output="Formulir deklarasi",
    )


FACTORIES = {ActionPlan: make_plan, ActionItem: make_item}
