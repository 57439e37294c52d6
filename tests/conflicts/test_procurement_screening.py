"""Procurement packages screened against declarations of interests (issue 18 item 4, issue 17
item 3(a)): what the Inspektorat sees on the package and in its queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pakta.audit.models import AuditEvent
from pakta.conflicts import services
from pakta.conflicts.models import Decision
from pakta.procurement.models import Flag, Package
from pakta.procurement.services import packages as procurement
from pakta.procurement.services.flags import flags_compute, weights
from tests.conflicts.conftest import YEAR
from tests.conftest import PASSWORD, client_for


def _declare_spouse(people: dict[str, Any]) -> None:
    user = people["budi_user"]
    standing = services.declaration_start(official=people["budi"], year=YEAR, acting_user=user)
    services.declaration_relative_add(
        declaration=standing,
        acting_user=user,
        relation="spouse",
        name="Rina Siregar",
        birth_date=dt.date(1988, 7, 9),
    )
    for section in ("businesses", "positions", "debts_gifts"):
        services.declaration_section_none(declaration=standing, acting_user=user, section=section)
    services.declaration_submit(declaration=standing, acting_user=user, credential=PASSWORD)


def _package(people: dict[str, Any], pemda: Any, unit: Any) -> Package:
    admin = people["admin"]
    winner = procurement.party_get_or_create(
        pemda=pemda, name="PT Maju Bersama", identifier_scheme="ID-NIB", identifier="1234567890123"
    )
    other = procurement.party_get_or_create(pemda=pemda, name="CV Lain Sendiri")
    procurement.party_person_add(
        party=winner,
        acting_user=admin,
        name="Hj. Rina Siregar, S.E.",
        role="director",
        birth_date=dt.date(1988, 7, 9),
    )
    return procurement.package_create(
        pemda=pemda,
        acting_user=admin,
        title="Pembangunan Puskesmas Sukamaju",
        code="PKG-2026-017",
        buyer=unit,
        method="open",
        year=YEAR,
        committee=[(people["budi"], "pokja"), (people["sari"], "ppk")],
        bids=[
            procurement.BidInput(winner, Decimal("950000000")),
            procurement.BidInput(other, Decimal("990000000")),
        ],
        winner=winner,
    )


def test_undeclared_spouse_director_raises_high_priority_coi_once(
    people: dict[str, Any], pemda_a: Any, unit_a: Any
) -> None:
    package = _package(people, pemda_a, unit_a)
    inspektorat = people["inspektorat"]
    flags_compute(pemda=pemda_a, acting_user=inspektorat)
    assert not Flag.objects.filter(package=package, code="COI").exists()
    before = Package.objects.get(pk=package.pk).risk_score

    # Budi (Pokja) declares his spouse; submitting screens the packages he is on.
    _declare_spouse(people)
    flag = Flag.objects.get(package=package, code="COI")
    assert flag.detail["priority"] == "high" and flag.detail["undeclared"] is True
    text = flag.detail["explanation"]
    assert text.startswith("Suami/istri yang dideklarasikan oleh Budi Siregar")
    assert "direktur PT Maju Bersama" in text
    assert "Rina Siregar" in text and "PT Maju Bersama" in text and "Pokja" in text
    assert "tidak dinyatakan" in text and "prioritas tinggi" in text
    assert any("tanggal lahir sama" in line for line in flag.detail["evidence"])
    package.refresh_from_db()
    assert package.risk_score == before + 10
    assert AuditEvent.objects.filter(action="conflicts.screening.procurement").exists()

    # Running again (by hand, or after a recomputation of the flags) adds nothing.
    assert (
        services.procurement_screen_against_declarations(pemda=pemda_a, acting_user=inspektorat)
        == 0
    )
    flags_compute(pemda=pemda_a, acting_user=inspektorat)
    assert Flag.objects.filter(package=package, code="COI").count() == 1
    package.refresh_from_db()
    assert package.risk_score == before + 10

    # What the Inspektorat sees: the package first in the queue, the relationship explained.
    client = client_for(inspektorat)
    page = client.get(package.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Prioritas tinggi" in page
    assert "Rina Siregar" in page and "tanggal lahir sama" in page
    queue = client.get(f"/p/{pemda_a.slug}/procurement/", HTTP_ACCEPT_LANGUAGE="id")
    assert queue.content.decode().index("Pembangunan Puskesmas Sukamaju") > 0


def test_relationship_declared_for_the_package_is_normal_priority(
    people: dict[str, Any], pemda_a: Any, unit_a: Any
) -> None:
    package = _package(people, pemda_a, unit_a)
    _declare_spouse(people)
    assert Flag.objects.get(package=package, code="COI").detail["priority"] == "high"
    high = Package.objects.get(pk=package.pk).risk_score
    # Budi declares the family relation with the tenderer in the package's declaration.
    decision = services.decision_from_package(package=package, acting_user=people["admin"])
    answers = [
        (subject, "family" if subject.name == "PT Maju Bersama" else "none", "istri direktur")
        for subject in decision.subjects.filter(parent__isnull=True)
    ]
    services.decision_declare(decision=decision, acting_user=people["budi_user"], answers=answers)
    flag = Flag.objects.get(package=package, code="COI")
    assert flag.detail["priority"] == "normal" and flag.detail["undeclared"] is False
    package.refresh_from_db()
    assert package.risk_score == high - weights()["COI"] + weights()["COI_DECLARED"]


def test_the_admin_opens_a_decision_from_a_package_of_their_own_pemda_only(
    people: dict[str, Any], pemda_a: Any, unit_a: Any, pemda_b: Any, superadmin: Any
) -> None:
    package = _package(people, pemda_a, unit_a)
    elsewhere = procurement.package_create(
        pemda=pemda_b, acting_user=superadmin, title="Jalan Kota Beta", year=YEAR
    )
    client = client_for(people["admin"])
    url = "/p/{slug}/conflicts/decisions/from-package/{pk}/"

    # Another Pemda's package is not found from Pemda A, and no decision is made for it.
    response = client.post(url.format(slug=pemda_a.slug, pk=elsewhere.pk))
    assert response.status_code == 404
    assert not Decision.objects.filter(package=elsewhere).exists()

    response = client.post(url.format(slug=pemda_a.slug, pk=package.pk))
    decision = Decision.objects.get(package=package)
    assert decision.pemda == pemda_a
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    assert "Pembangunan Puskesmas Sukamaju" in client.get(response["Location"]).content.decode()


def test_the_api_lists_the_pemdas_own_flags_and_cases(
    people: dict[str, Any], pemda_a: Any, unit_a: Any, pemda_b: Any, superadmin: Any
) -> None:
    from pakta.procurement.services.cases import case_open
    from tests.core.test_api import api, token_for

    package = _package(people, pemda_a, unit_a)
    _declare_spouse(people)
    elsewhere = procurement.package_create(
        pemda=pemda_b, acting_user=superadmin, title="Jalan Kota Beta", year=YEAR
    )
    Flag.objects.create(pemda=pemda_b, package=elsewhere, code="COI", value=1, detail={})
    case = case_open(package=package, acting_user=people["inspektorat"])
    client = api(token_for(people["inspektorat"]))

    flags = client.get(f"/api/v1/p/{pemda_a.slug}/procurement/flags/").json()
    rows = flags["results"] if isinstance(flags, dict) else flags
    mine = list(Flag.objects.filter(pemda=pemda_a).order_by("package_id", "code", "pk"))
    assert [row["id"] for row in rows] == [flag.pk for flag in mine]
    assert ("COI", package.pk) in {(row["code"], row["package"]) for row in rows}

    cases = client.get(f"/api/v1/p/{pemda_a.slug}/procurement/cases/").json()
    rows = cases["results"] if isinstance(cases, dict) else cases
    assert [(row["id"], row["package"]) for row in rows] == [(case.pk, package.pk)]
