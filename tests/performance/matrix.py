"""Objects the permission matrix needs for the performance pages and API (see
tests/core/test_permission_matrix.py): made through the services, in Pemda A inside the Kepala
OPD's unit, and named on no subject's account (the parties are officials without a role)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pakta.performance import services as perf
from pakta.performance.models import (
    AgreementAchievement,
    EvidenceFile,
    Goal,
    Indicator,
    PerformanceAgreement,
    Programme,
    QuarterTarget,
    Realization,
)
from tests.conftest import PASSWORD
from tests.signing.conftest import user_for

YEAR = 2026
EVIDENCE = [perf.EvidenceUpload("bukti.pdf", b"%PDF-1.4 bukti", "application/pdf")]


def make_agreement(world: Any, side: str) -> PerformanceAgreement:
    """A draft of a new official, the second party being the side's first official."""
    return perf.agreement_create(
        pemda=world.pemda[side],
        official=world.new_official(side),
        year=YEAR,
        superior=world.official[side],
        acting_user=world.superadmin,
    )


def make_goal(world: Any, side: str) -> Goal:
    return perf.goal_add(
        agreement=make_agreement(world, side), name="Sasaran uji", acting_user=world.superadmin
    )


def _indicator(goal: Goal, world: Any, name: str = "Indikator uji") -> Indicator:
    return perf.indicator_add(
        goal=goal,
        acting_user=world.superadmin,
        name=name,
        unit_of_measure="%",
        polarity="higher",
        target=Decimal("90"),
        quarter_targets={1: (20, None), 2: (40, None), 3: (60, None), 4: (90, None)},
    )


def make_indicator(world: Any, side: str) -> Indicator:
    return _indicator(make_goal(world, side), world)


def make_target(world: Any, side: str) -> QuarterTarget:
    return make_indicator(world, side).targets.get(quarter=1)


def make_programme(world: Any, side: str) -> Programme:
    return perf.programme_add(
        agreement=make_agreement(world, side),
        name="Program uji",
        budget="1000000",
        acting_user=world.superadmin,
    )


def _signed(world: Any, side: str) -> PerformanceAgreement:
    goal = make_goal(world, side)
    for number in range(3):
        _indicator(goal, world, f"Indikator {number}")
    agreement = goal.agreement
    first, second = user_for(agreement.official), user_for(agreement.superior)
    perf.agreement_submit(agreement=agreement, acting_user=first)
    perf.agreement_approve(agreement=agreement, acting_user=second)
    perf.agreement_sign_first_party(agreement=agreement, acting_user=first, credential=PASSWORD)
    perf.agreement_sign_second_party(agreement=agreement, acting_user=second, credential=PASSWORD)
    agreement.refresh_from_db()
    return agreement


def make_realization(world: Any, side: str) -> Realization:
    """A realization awaiting verification, in the first free quarter of a signed agreement."""
    signed: dict[str, PerformanceAgreement] = world.__dict__.setdefault("performance_signed", {})
    while True:
        agreement = signed.get(side)
        if agreement is not None:
            taken = set(agreement.realizations.values_list("indicator_id", "quarter"))
            for indicator in agreement.indicators.order_by("pk"):
                for quarter in (1, 2, 3, 4):
                    if (indicator.pk, quarter) not in taken:
                        return perf.realization_submit(
                            indicator=indicator,
                            quarter=quarter,
                            value="25",
                            evidence=EVIDENCE,
                            acting_user=user_for(agreement.official),
                        )
        signed[side] = _signed(world, side)


def make_evidence(world: Any, side: str) -> EvidenceFile:
    return make_realization(world, side).evidence.get()


def make_achievement(world: Any, side: str) -> AgreementAchievement:
    realization = make_realization(world, side)
    return AgreementAchievement.objects.get(agreement=realization.agreement, quarter=1)


FACTORIES = {
    PerformanceAgreement: make_agreement,
    Goal: make_goal,
    Indicator: make_indicator,
    QuarterTarget: make_target,
    Programme: make_programme,
    Realization: make_realization,
    EvidenceFile: make_evidence,
    AgreementAchievement: make_achievement,
}
