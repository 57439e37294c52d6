"""Objects the permission matrix needs for the surveys pages (see tests/core/test_permission_matrix.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pakta.surveys import services
from pakta.surveys.models import Questionnaire, SpiFinding, SpiResult, Survey


def make_spi_result(world: Any, side: str) -> SpiResult:
    year = 2022 + next(world.serial) % 4  # a seeded year; a repeat replaces the same row
    return services.spi_result_save(
        pemda=world.pemda[side], year=year, acting_user=world.superadmin, index=Decimal("71.53")
    )


def make_questionnaire(world: Any, side: str) -> Questionnaire:
    return services.questionnaire_create(pemda=world.pemda[side], acting_user=world.superadmin)


def make_survey(world: Any, side: str) -> Survey:
    questionnaire = services.questionnaire_publish(
        questionnaire=make_questionnaire(world, side), acting_user=world.superadmin
    )
    return services.survey_create(
        pemda=world.pemda[side],
        questionnaire=questionnaire,
        title=f"Survei {next(world.serial)}",
        year=2024,
        acting_user=world.superadmin,
    )


def make_spi_finding(world: Any, side: str) -> SpiFinding:
    return services.spi_finding_add(
        result=make_spi_result(world, side),
        text="Perkuat deklarasi benturan kepentingan Pokja Pemilihan.",
        acting_user=world.superadmin,
    )


FACTORIES = {
    SpiResult: make_spi_result,
    SpiFinding: make_spi_finding,
    Questionnaire: make_questionnaire,
    Survey: make_survey,
}
