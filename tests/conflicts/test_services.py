"""Declarations, decisions, screening and review: what each service does, and that every
refusal leaves no row and no audit event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pakta.audit.models import AuditEvent
from pakta.conflicts import services
from pakta.conflicts.models import (
    DecisionAnswer,
    DeclaredBusiness,
    DeclaredRelative,
    Finding,
    KnownFalsePositive,
    StandingDeclaration,
)
from pakta.core.errors import DomainError, PermissionDeniedError
from tests.conflicts.conftest import YEAR, _package
from tests.conftest import PASSWORD


def _counts() -> tuple[int, ...]:
    from pakta.conflicts import models

    return (
        AuditEvent.objects.count(),
        models.StandingDeclaration.objects.count(),
        models.DeclaredRelative.objects.count(),
        models.DeclaredBusiness.objects.count(),
        models.DecisionDeclaration.objects.count(),
        models.DecisionSubject.objects.count(),
        models.Finding.objects.count(),
    )


def test_declaration_prefilled_signed_and_versioned(people, pemda_a) -> None:
    budi, user = people["budi"], people["budi_user"]
    first = services.declaration_start(official=budi, year=YEAR - 1, acting_user=user)
    services.declaration_relative_add(
        declaration=first,
        acting_user=user,
        relation="sibling",
        name="Rina Siregar",
        nik="1271014907880003",
        birth_date=dt.date(1988, 7, 9),
        birth_place="Medan",
    )
    services.declaration_business_add(
        declaration=first,
        acting_user=user,
        company_name="CV Sumber Rejeki",
        role="owner",
        nib="9876543210123",
        share_percent="40",
    )
    services.declaration_section_none(declaration=first, acting_user=user, section="positions")
    first = services.declaration_submit(declaration=first, acting_user=user, credential=PASSWORD)
    assert first.status == StandingDeclaration.Status.SUBMITTED
    assert first.document is not None and first.document.signatures.count() == 1
    # The unfilled "debts and gifts" section is a completeness finding, in Indonesian.
    missing = Finding.objects.get(kind="missing_section", official=budi)
    assert "utang dan hadiah" in missing.explanation
    assert first.risk_score > 0
    # Next year starts from last year's answers.
    second = services.declaration_start(official=budi, year=YEAR, acting_user=user)
    assert second.previous == first and second.version == 1
    assert [r.name for r in second.relatives.all()] == ["Rina Siregar"]
    assert second.businesses.get().share_percent == 40
    assert second.sections_none == ["positions"]
    with pytest.raises(DomainError):
        services.declaration_relative_add(
            declaration=first, acting_user=user, relation="child", name="Anak"
        )


@pytest.mark.parametrize(
    ("method", "fields", "message"),
    [
        ("relative", {"nik": "12710149078800"}, "A NIK has exactly 16 digits."),
        ("relative", {"nik": "1271013213880003"}, "is not a possible birth date"),
        ("business", {"npwp": "12.345"}, "An NPWP has 15 or 16 digits."),
        ("business", {"nib": "12345"}, "A NIB has exactly 13 digits."),
        ("business", {"share_percent": "120"}, "between 0 and 100 percent"),
        ("self", {}, "You cannot declare yourself as your own relative."),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(people, method, fields, message) -> None:
    budi, user = people["budi"], people["budi_user"]
    declaration = services.declaration_start(official=budi, year=YEAR, acting_user=user)
    before = _counts()
    with pytest.raises(DomainError) as error:
        if method == "relative":
            services.declaration_relative_add(
                declaration=declaration, acting_user=user, relation="child", name="Anak", **fields
            )
        elif method == "self":
            services.declaration_relative_add(
                declaration=declaration,
                acting_user=user,
                relation="sibling",
                name="Budi Siregar",
                birth_date=budi.birth_date,
            )
        else:
            services.declaration_business_add(
                declaration=declaration,
                acting_user=user,
                company_name="PT Contoh",
                role="owner",
                **fields,
            )
    assert message in str(error.value)
    assert _counts() == before


def test_indonesian_message_for_a_bad_nik(people) -> None:
    from django.utils import translation

    budi, user = people["budi"], people["budi_user"]
    declaration = services.declaration_start(official=budi, year=YEAR, acting_user=user)
    with translation.override("id"), pytest.raises(DomainError) as error:
        services.declaration_relative_add(
            declaration=declaration, acting_user=user, relation="child", name="Anak", nik="123"
        )
    assert str(error.value) == "NIK terdiri atas tepat 16 angka."


def test_someone_elses_declaration_is_refused(people) -> None:
    declaration = services.declaration_start(
        official=people["budi"], year=YEAR, acting_user=people["budi_user"]
    )
    before = _counts()
    with pytest.raises(PermissionDeniedError):
        services.declaration_relative_add(
            declaration=declaration, acting_user=people["sari_user"], relation="child", name="X"
        )
    with pytest.raises(PermissionDeniedError):
        services.declaration_start(
            official=people["budi"], year=YEAR, acting_user=people["sari_user"]
        )
    assert _counts() == before


def test_package_declaration_screening_recusal_and_clean(people, pemda_a, unit_a) -> None:
    budi_user = people["budi_user"]
    standing = services.declaration_start(official=people["budi"], year=YEAR, acting_user=budi_user)
    services.declaration_relative_add(
        declaration=standing,
        acting_user=budi_user,
        relation="sibling",
        name="Rina Siregar",
        birth_date=dt.date(1988, 7, 9),
    )
    for section in ("businesses", "positions", "debts_gifts"):
        services.declaration_section_none(
            declaration=standing, acting_user=budi_user, section=section
        )
    services.declaration_submit(declaration=standing, acting_user=budi_user, credential=PASSWORD)

    decision, budi_member, tenderer = _package(people, unit_a, pemda_a)
    admin = people["admin"]
    # Andi is not on the package: refused, nothing written.
    before = _counts()
    with pytest.raises(DomainError, match="not a member of this decision's committee"):
        services.decision_declare(
            decision=decision, acting_user=people["andi_user"], answers=[(tenderer, "none", "")]
        )
    assert _counts() == before
    # Not everyone declared: not clean.
    with pytest.raises(DomainError, match="Not everyone has declared yet"):
        services.decision_mark_clean(decision=decision, acting_user=admin)
    # Budi declares "none", but his declared sister directs the tenderer.
    services.decision_declare(
        decision=decision, acting_user=budi_user, answers=[(tenderer, "none", "")]
    )
    finding = Finding.objects.get(kind="undeclared", official=people["budi"])
    assert "Rina Siregar" in finding.explanation
    assert "tidak ada hubungan" in finding.explanation
    assert any("tanggal lahir sama" in line for line in finding.evidence)
    assert finding.score >= 0.8
    decision.refresh_from_db()
    assert decision.risk_score >= 8
    standing.refresh_from_db()
    assert standing.risk_score >= 8  # the queue of declarations ranks it too
    # Budi corrects: he declares the relation → recusal with Andi as the substitute.
    services.decision_declare(
        decision=decision,
        acting_user=budi_user,
        answers=[(tenderer, DecisionAnswer.Relationship.FAMILY, "Adik kandung direktur")],
    )
    services.decision_declare(
        decision=decision, acting_user=people["sari_user"], answers=[(tenderer, "none", "")]
    )
    with pytest.raises(DomainError, match="declared a conflict and must be replaced"):
        services.decision_mark_clean(decision=decision, acting_user=admin)
    recusal = services.decision_recuse(
        decision=decision,
        acting_user=admin,
        member=budi_member,
        substitute=people["andi"],
        reason="Hubungan keluarga dengan direktur peserta",
    )
    assert recusal.substitute.official == people["andi"]
    with pytest.raises(DomainError, match="Not everyone has declared yet: Andi Wijaya"):
        services.decision_mark_clean(decision=decision, acting_user=admin)
    services.decision_declare(
        decision=decision, acting_user=people["andi_user"], answers=[(tenderer, "none", "")]
    )
    # The finding is about Budi, who no longer sits on the package: confirm it, then clean.
    services.finding_confirm(
        finding=finding, acting_user=people["inspektorat"], reason="Benar saudara kandung"
    )
    services.decision_mark_clean(decision=decision, acting_user=admin)
    decision.refresh_from_db()
    assert decision.recorded_clean_at is not None


def test_dismissed_pair_is_not_flagged_again(people, pemda_a, unit_a) -> None:
    decision, _member, _tenderer = _package(people, unit_a, pemda_a)
    services.screen_decision(decision=decision, acting_user=people["admin"])
    finding = Finding.objects.get(kind="missing_declaration", official=people["budi"])
    assert "belum menyampaikan pernyataan" in finding.explanation
    services.finding_dismiss(
        finding=finding, acting_user=people["inspektorat"], reason="Sudah menyatakan di kertas"
    )
    assert KnownFalsePositive.objects.filter(pair_key=finding.pair_key).exists()
    services.screen_decision(decision=decision, acting_user=people["admin"])
    assert Finding.objects.filter(pair_key=finding.pair_key).count() == 1
    assert Finding.objects.get(pair_key=finding.pair_key).status == "dismissed"
    # Review refusals: no reason, twice, not the Inspektorat — nothing written.
    other = Finding.objects.get(kind="missing_declaration", official=people["sari"])
    before = _counts()
    with pytest.raises(DomainError):
        services.finding_confirm(finding=other, acting_user=people["inspektorat"], reason=" ")
    with pytest.raises(DomainError):
        services.finding_dismiss(finding=finding, acting_user=people["inspektorat"], reason="x")
    with pytest.raises(PermissionDeniedError):
        services.finding_confirm(finding=other, acting_user=people["admin"], reason="x")
    assert _counts() == before


def test_changed_after_the_package_opened(people, pemda_a, unit_a) -> None:
    opened = timezone.now() - dt.timedelta(days=1)
    decision, _member, tenderer = _package(people, unit_a, pemda_a, opened_at=opened)
    for _ in range(2):
        services.decision_declare(
            decision=decision, acting_user=people["budi_user"], answers=[(tenderer, "none", "")]
        )
    finding = Finding.objects.get(kind="changed_after_open")
    assert "setelah paket/seleksi dibuka" in finding.explanation


def test_vendor_director_who_is_an_official(people, pemda_a, unit_a) -> None:
    decision, _member, tenderer = _package(people, unit_a, pemda_a)
    services.decision_subject_add(
        decision=decision,
        acting_user=people["admin"],
        kind="owner",
        parent=tenderer,
        name="Ir. H. Andi Wijaya, M.T.",
        birth_date=people["andi"].birth_date,
        share_percent="60",
    )
    services.screen_decision(decision=decision, acting_user=people["admin"])
    finding = Finding.objects.get(kind="vendor_official", official=people["andi"])
    assert "Andi Wijaya" in finding.explanation and "NIP" in finding.explanation


def test_hr_decision_relative_candidate_and_refusals(people, pemda_a, unit_a) -> None:
    admin, budi_user = people["admin"], people["budi_user"]
    decision = services.decision_create(
        pemda=pemda_a,
        acting_user=admin,
        kind="jpt",
        title="Seleksi JPT Kepala Dinas",
        unit=unit_a,
        year=YEAR,
    )
    before = _counts()
    with pytest.raises(DomainError, match="does not belong to this kind"):
        services.decision_member_add(
            decision=decision, acting_user=admin, official=people["budi"], role="pokja"
        )
    with pytest.raises(DomainError, match="An owner or director belongs to a tenderer"):
        services.decision_subject_add(decision=decision, acting_user=admin, kind="owner", name="X")
    with pytest.raises(DomainError, match="between 0 and 100"):
        services.decision_subject_add(
            decision=decision, acting_user=admin, kind="candidate", name="X", share_percent=101
        )
    assert _counts() == before
    services.decision_member_add(
        decision=decision, acting_user=admin, official=people["budi"], role="panel"
    )
    candidate = services.decision_subject_add(
        decision=decision,
        acting_user=admin,
        kind="candidate",
        name="M. Rizki Siregar",
        birth_date=dt.date(1990, 2, 3),
    )
    standing = services.declaration_start(official=people["budi"], year=YEAR, acting_user=budi_user)
    services.declaration_relative_add(
        declaration=standing,
        acting_user=budi_user,
        relation="child_in_law",
        name="Muhammad Rizki Siregar",
        birth_date=dt.date(1990, 2, 3),
    )
    services.declaration_submit(declaration=standing, acting_user=budi_user, credential=PASSWORD)
    finding = Finding.objects.get(kind="relative_candidate")
    assert "Muhammad Rizki Siregar" in finding.explanation and "kandidat" in finding.explanation
    services.decision_declare(
        decision=decision, acting_user=budi_user, answers=[(candidate, "none", "")]
    )
    assert Finding.objects.filter(kind="undeclared", official=people["budi"]).exists()
    assert DeclaredRelative.objects.count() == 1 and DeclaredBusiness.objects.count() == 0


def test_decision_from_a_procurement_package(people, pemda_a, unit_a) -> None:
    from pakta.procurement.services.packages import (
        BidInput,
        package_create,
        party_get_or_create,
        party_person_add,
    )

    admin = people["admin"]
    tenderer = party_get_or_create(
        pemda=pemda_a,
        name="CV Karya Mandiri",
        identifier_scheme="ID-NIB",
        identifier="1112223334445",
    )
    party_person_add(
        party=tenderer,
        acting_user=admin,
        name="Rina Siregar",
        role="director",
        birth_date=dt.date(1988, 7, 9),
    )
    package = package_create(
        pemda=pemda_a,
        acting_user=admin,
        title="Pengadaan Alat Kesehatan",
        code="PKG-2026-099",
        procuring_unit=unit_a,
        year=YEAR,
        committee=[(people["budi"], "pokja"), (people["sari"], "ppk")],
        bids=[BidInput(tenderer=tenderer, amount=None)],
        winner=tenderer,
    )
    decision = services.decision_from_package(package=package, acting_user=admin)
    assert decision.kind == "procurement" and decision.package == package
    assert {m.official.name for m in decision.members.all()} == {
        "Budi Siregar, S.T.",
        "Sari Lestari",
    }
    company = decision.subjects.get(parent__isnull=True)
    assert company.kind == "winner" and company.nib == "1112223334445"
    assert company.people.get().name == "Rina Siregar"
    # Again: nothing doubled.
    services.decision_from_package(package=package, acting_user=admin)
    assert decision.subjects.count() == 2 and decision.members.count() == 2
