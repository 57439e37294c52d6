"""Automatic screening, explained in Indonesian. Each finding names its evidence and a score.

(a) Between declarations and decisions: a company the official or a relative declared is a
    tenderer in a package of the official's unit, or a relative owns or directs one; a relative is
    a candidate in an HR decision the official sits on, or an official working under them.
(b) Against Pakta's own data: a tenderer's owner or director is an official of the Pemda; a
    panel member shares a family name (and a relative's birth place) with a candidate.
(c) Completeness and plausibility: a section neither filled nor declared empty, a committee
    member who has not declared, a declaration changed after the package opened, a relationship
    found where the member declared "none".

Pairs the Inspektorat dismissed (KnownFalsePositive) are not flagged again.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from pakta.audit.services import audit_record
from pakta.conflicts import matching, scoring
from pakta.conflicts.models import (
    Decision,
    DecisionAnswer,
    DecisionDeclaration,
    DecisionMember,
    DecisionSubject,
    Finding,
    KnownFalsePositive,
    StandingDeclaration,
)
from pakta.org.models import Assignment, Official

SECTION_LABELS = {
    "relatives": "hubungan keluarga",
    "businesses": "kepentingan usaha",
    "positions": "jabatan di luar kedinasan",
    "debts_gifts": "utang dan hadiah",
}


class _Flagger:
    def __init__(self, pemda_id: int) -> None:
        self.pemda_id = pemda_id
        self.known = set(
            KnownFalsePositive.objects.filter(pemda_id=pemda_id).values_list("pair_key", flat=True)
        )
        self.created = 0
        self.seen: set[str] = set()

    def flag(
        self,
        *,
        kind: str,
        official: Official,
        pair_key: str,
        score: float,
        explanation: str,
        evidence: list[str],
        declaration: StandingDeclaration | None = None,
        decision: Decision | None = None,
    ) -> None:
        if pair_key in self.known:
            return
        self.seen.add(pair_key)
        existing = Finding.objects.filter(pemda_id=self.pemda_id, pair_key=pair_key).first()
        if existing is not None:
            if existing.status == Finding.Status.OPEN:
                existing.score = Decimal(str(score))
                existing.evidence = evidence
                existing.explanation = explanation
                existing.declaration = declaration or existing.declaration
                existing.save(
                    update_fields=["score", "evidence", "explanation", "declaration", "updated_at"]
                )
            return
        Finding.objects.create(
            pemda_id=self.pemda_id,
            kind=kind,
            official=official,
            declaration=declaration,
            decision=decision,
            pair_key=pair_key[:200],
            score=Decimal(str(score)),
            weight=scoring.weight(kind),
            explanation=explanation,
            evidence=evidence,
        )
        self.created += 1


def _relative_party(relative: Any) -> matching.Party:
    return matching.Party(
        relative.name,
        identifiers={"nik": relative.nik} if relative.nik else {},
        birth_date=relative.birth_date,
        birth_place=relative.birth_place,
    )


def _business_party(business: Any) -> matching.Party:
    ids = {k: v for k, v in (("nib", business.nib), ("npwp", business.npwp)) if v}
    return matching.Party(business.company_name, "company", ids)


def _official_party(official: Official) -> matching.Party:
    return matching.Party(
        official.name, identifiers={"nip": official.nip}, birth_date=official.birth_date
    )


def subject_party(subject: DecisionSubject) -> matching.Party:
    ids = {
        k: v for k, v in (("nik", subject.nik), ("nib", subject.nib), ("npwp", subject.npwp)) if v
    }
    if subject.official_id:
        ids["nip"] = subject.official.nip  # type: ignore[union-attr]
    return matching.Party(
        subject.name,
        "company" if subject.is_company else "person",
        ids,
        birth_date=subject.birth_date,
        birth_place=subject.birth_place,
    )


def _latest_declaration(official_id: int) -> StandingDeclaration | None:
    return (
        StandingDeclaration.objects.filter(
            official_id=official_id,
            status__in=[
                StandingDeclaration.Status.SUBMITTED,
                StandingDeclaration.Status.CORRECTION,
            ],
        )
        .order_by("-year", "-submitted_at")
        .first()
    )


def _declared_none(member: DecisionMember | None, subject: DecisionSubject) -> bool:
    if member is None:
        return False
    current = member.declarations.filter(is_current=True).first()
    if current is None:
        return False
    root = subject.parent_id or subject.pk
    answer = current.answers.filter(subject_id=root).first()
    return answer is not None and answer.relationship == DecisionAnswer.Relationship.NONE


def _compare_with_subjects(
    flagger: _Flagger,
    declaration: StandingDeclaration,
    subjects: Iterable[DecisionSubject],
    member: DecisionMember | None = None,
) -> None:
    """The declaration's companies and relatives against a decision's tenderers/candidates."""
    official = declaration.official
    relatives = list(declaration.relatives.all())
    businesses = list(declaration.businesses.select_related("relative"))
    for subject in subjects:
        decision = subject.decision
        party = subject_party(subject)
        label = f"{decision.code or decision.title}"
        candidates: list[tuple[str, str, Any, matching.Party, str]] = []
        if subject.is_company:
            for business in businesses:
                holder = business.relative.name if business.relative else "yang bersangkutan"
                candidates.append(
                    (
                        Finding.Kind.COMPANY_TENDERER,
                        f"biz{business.pk}",
                        business,
                        _business_party(business),
                        f"Badan usaha yang dideklarasikan ({business.company_name}, dimiliki/"
                        f"dikelola oleh {holder}) adalah peserta tender pada paket {label}.",
                    )
                )
        elif subject.kind == DecisionSubject.Kind.CANDIDATE:
            for relative in relatives:
                candidates.append(
                    (
                        Finding.Kind.RELATIVE_CANDIDATE,
                        f"rel{relative.pk}",
                        relative,
                        _relative_party(relative),
                        f"{relative.get_relation_display()} yang dideklarasikan ({relative.name}) "
                        f"adalah kandidat pada keputusan {label} yang diputuskan bersama "
                        f"{official.full_name}.",
                    )
                )
        else:  # an owner or director of a tenderer
            for relative in relatives:
                candidates.append(
                    (
                        Finding.Kind.RELATIVE_TENDERER,
                        f"rel{relative.pk}",
                        relative,
                        _relative_party(relative),
                        f"{relative.get_relation_display()} yang dideklarasikan ({relative.name}) "
                        f"adalah {subject.get_kind_display().lower()} dari peserta "
                        f"{subject.parent.name if subject.parent else ''} pada paket {label}.",
                    )
                )
        for kind, _left_key, _row, left, text in candidates:
            result = matching.match(left, party)
            if not result.is_match:
                continue
            if _declared_none(member, subject):
                kind = Finding.Kind.UNDECLARED
                text += " Anggota menyatakan “tidak ada hubungan” untuk peserta ini."
            flagger.flag(
                kind=kind,
                official=official,
                # The pair without the declaration's version: a dismissal holds for later
                # versions that declare the same person or company.
                pair_key=f"{kind}:o{official.pk}:{_stable(left)}:s{subject.pk}",
                score=result.score,
                explanation=text,
                evidence=result.evidence,
                declaration=declaration,
                decision=decision,
            )


def _stable(party: matching.Party) -> str:
    return matching.exact_key(party)[:80]


def _completeness(flagger: _Flagger, declaration: StandingDeclaration) -> None:
    for section in StandingDeclaration.SECTIONS:
        if section in declaration.sections_none or getattr(declaration, section).exists():
            continue
        flagger.flag(
            kind=Finding.Kind.MISSING_SECTION,
            official=declaration.official,
            pair_key=f"missing_section:o{declaration.official_id}:{declaration.year}:{section}",
            score=1.0,
            explanation=f"Bagian “{SECTION_LABELS[section]}” tidak diisi dan tidak dinyatakan "
            "“tidak ada”.",
            evidence=[f"versi {declaration.version}, tahun {declaration.year}"],
            declaration=declaration,
        )


def _supervised(flagger: _Flagger, declaration: StandingDeclaration) -> None:
    """Relatives who are officials in the unit the official heads (or its sub-units)."""
    from pakta.org.selectors import current_position

    official = declaration.official
    position = current_position(official)
    if position is None or not position.is_unit_head:
        return
    relatives = list(declaration.relatives.all())
    if not relatives:
        return
    under = (
        Official.objects.filter(
            pk__in=Assignment.objects.filter(
                end_date__isnull=True, position__unit__path__startswith=position.unit.path
            ).values("official_id")
        )
        .exclude(pk=official.pk)
        .only("pk", "name", "nip", "birth_date")
    )
    blocks: dict[str, list[Official]] = {}
    for other in under:
        for key in matching.blocking_keys(matching.name_tokens(other.name)):
            blocks.setdefault(key, []).append(other)
    for relative in relatives:
        left = _relative_party(relative)
        compared: set[int] = set()
        for key in matching.blocking_keys(left.tokens()):
            for other in blocks.get(key, []):
                if other.pk in compared:
                    continue
                compared.add(other.pk)
                result = matching.match(left, _official_party(other))
                if result.is_match:
                    flagger.flag(
                        kind=Finding.Kind.RELATIVE_SUPERVISED,
                        official=official,
                        pair_key=f"relative_supervised:o{official.pk}:{_stable(left)}:o{other.pk}",
                        score=result.score,
                        explanation=f"{relative.get_relation_display()} yang dideklarasikan "
                        f"({relative.name}) bekerja di unit yang dipimpin {official.full_name} "
                        f"(NIP {other.nip}).",
                        evidence=result.evidence,
                        declaration=declaration,
                    )


def _refresh_risk(declaration: StandingDeclaration | None, decision: Decision | None) -> None:
    active = [Finding.Status.OPEN, Finding.Status.CONFIRMED, Finding.Status.CORRECTION]
    if declaration is not None:
        rows = Finding.objects.filter(
            official_id=declaration.official_id, status__in=active
        ).filter(Q(declaration__year=declaration.year) | Q(declaration__isnull=True))
        declaration.risk_score = scoring.risk(list(rows.values_list("weight", "score")))
        declaration.save(update_fields=["risk_score", "updated_at"])
    if decision is not None:
        rows = decision.findings.filter(status__in=active)
        decision.risk_score = scoring.risk(list(rows.values_list("weight", "score")))
        decision.save(update_fields=["risk_score", "updated_at"])


def _decisions_for(official: Official) -> list[Decision]:
    """Open decisions the official sits on, and packages of the official's own unit."""
    from pakta.org.selectors import current_position, top_unit

    ids = set(
        DecisionMember.objects.filter(official=official, is_active=True).values_list(
            "decision_id", flat=True
        )
    )
    position = current_position(official)
    q = Q(pk__in=ids)
    if position is not None:
        q |= Q(kind=Decision.Kind.PROCUREMENT, unit__path__startswith=top_unit(position.unit).path)
    return list(
        Decision.objects.filter(pemda_id=official.pemda_id, recorded_clean_at__isnull=True).filter(
            q
        )
    )


@transaction.atomic
def screen_declaration(*, declaration: StandingDeclaration, acting_user: Any) -> int:
    """Screen a submitted declaration; returns the number of new findings."""
    flagger = _Flagger(declaration.pemda_id)
    _completeness(flagger, declaration)
    for decision in _decisions_for(declaration.official):
        member = decision.members.filter(official=declaration.official, is_active=True).first()
        subjects = decision.subjects.select_related("parent", "decision", "official")
        _compare_with_subjects(flagger, declaration, subjects, member)
    _supervised(flagger, declaration)
    _refresh_risk(declaration, None)
    for decision in _decisions_for(declaration.official):
        _refresh_risk(None, decision)
    audit_record(
        actor=acting_user,
        action="conflicts.screening.run",
        obj=declaration,
        summary={"new_findings": flagger.created},
    )
    return flagger.created


def _vendor_officials(flagger: _Flagger, decision: Decision) -> None:
    people = list(
        decision.subjects.filter(
            kind__in=[DecisionSubject.Kind.OWNER, DecisionSubject.Kind.DIRECTOR]
        ).select_related("parent")
    )
    if not people:
        return
    keys: set[str] = set()
    for person in people:
        keys |= matching.blocking_keys(matching.name_tokens(person.name))
    q = Q(pk__in=[])
    for key in keys:
        q |= Q(name__icontains=key)
    officials = list(Official.objects.filter(pemda_id=decision.pemda_id).filter(q)[:2000])
    for person in people:
        party = subject_party(person)
        for official in officials:
            result = matching.match(party, _official_party(official))
            if result.is_match:
                flagger.flag(
                    kind=Finding.Kind.VENDOR_OFFICIAL,
                    official=official,
                    pair_key=f"vendor_official:o{official.pk}:s{person.pk}",
                    score=result.score,
                    explanation=f"{person.get_kind_display()} peserta "
                    f"{person.parent.name if person.parent else ''} ({person.name}) cocok dengan "
                    f"pegawai {official.full_name} (NIP {official.nip}).",
                    evidence=result.evidence,
                    decision=decision,
                )


def _shared_family(flagger: _Flagger, decision: Decision, member: DecisionMember) -> None:
    declaration = _latest_declaration(member.official_id)
    places = (
        {r.birth_place.strip().lower() for r in declaration.relatives.all() if r.birth_place}
        if declaration
        else set()
    )
    surname = matching.strip_titles(member.official.name)[0].split()[-1:]
    if not surname or not places:
        return
    for candidate in decision.subjects.filter(kind=DecisionSubject.Kind.CANDIDATE):
        theirs = matching.strip_titles(candidate.name)[0].split()[-1:]
        if theirs == surname and candidate.birth_place.strip().lower() in places:
            flagger.flag(
                kind=Finding.Kind.SHARED_FAMILY_NAME,
                official=member.official,
                pair_key=f"shared_family_name:o{member.official_id}:s{candidate.pk}",
                score=0.6,
                explanation=f"Anggota panitia {member.official.full_name} dan kandidat "
                f"{candidate.name} memiliki nama keluarga yang sama ({surname[0].title()}) dan "
                f"tempat lahir kandidat sama dengan tempat lahir keluarga yang dideklarasikan.",
                evidence=[f"nama keluarga: {surname[0]}", f"tempat lahir: {candidate.birth_place}"],
                declaration=declaration,
                decision=decision,
            )


@transaction.atomic
def screen_decision(*, decision: Decision, acting_user: Any) -> int:
    """Screen every active member of a decision against its tenderers or candidates."""
    flagger = _Flagger(decision.pemda_id)
    subjects = list(decision.subjects.select_related("parent", "decision", "official"))
    screened: list[StandingDeclaration] = []
    for member in decision.members.filter(is_active=True).select_related("official"):
        current: DecisionDeclaration | None = member.declarations.filter(is_current=True).first()
        missing_key = f"missing_declaration:o{member.official_id}:d{decision.pk}"
        if current is None:
            flagger.flag(
                kind=Finding.Kind.MISSING_DECLARATION,
                official=member.official,
                pair_key=missing_key,
                score=1.0,
                explanation=f"{member.official.full_name} ({member.get_role_display()}) belum "
                f"menyampaikan pernyataan untuk {decision.code or decision.title}.",
                evidence=[],
                decision=decision,
            )
        else:
            Finding.objects.filter(
                pemda_id=decision.pemda_id, pair_key=missing_key, status=Finding.Status.OPEN
            ).delete()
            if (
                current.version > 1
                and decision.opened_at is not None
                and current.created_at > decision.opened_at
            ):
                flagger.flag(
                    kind=Finding.Kind.CHANGED_AFTER_OPEN,
                    official=member.official,
                    pair_key=f"changed_after_open:o{member.official_id}:d{decision.pk}:v{current.version}",
                    score=1.0,
                    explanation=f"Pernyataan {member.official.full_name} diubah (versi "
                    f"{current.version}) setelah paket/seleksi dibuka.",
                    evidence=[f"dibuka {decision.opened_at:%d-%m-%Y %H:%M}"],
                    decision=decision,
                )
        declaration = _latest_declaration(member.official_id)
        if declaration is not None:
            _compare_with_subjects(flagger, declaration, subjects, member)
            screened.append(declaration)
        if decision.kind != Decision.Kind.PROCUREMENT:
            _shared_family(flagger, decision, member)
    if decision.kind == Decision.Kind.PROCUREMENT:
        _vendor_officials(flagger, decision)
    _refresh_risk(None, decision)
    for declaration in screened:  # the members' declarations carry these findings' risk too
        _refresh_risk(declaration, None)
    audit_record(
        actor=acting_user,
        action="conflicts.screening.run",
        obj=decision,
        summary={"new_findings": flagger.created},
    )
    return flagger.created
