"""Decisions that need declarations (a procurement package, an HR decision): members, the named
tenderers or candidates, each member's declaration, recusal with a substitute, and recording the
decision clean once everyone required has declared and no open conflict remains."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.conflicts.models import (
    Decision,
    DecisionAnswer,
    DecisionDeclaration,
    DecisionMember,
    DecisionSubject,
    Finding,
    Recusal,
)
from pakta.conflicts.permissions import can_manage_decision
from pakta.conflicts.validators import validate_nib, validate_nik, validate_npwp, validate_share
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.permissions import has_permission
from pakta.org.models import Official, Pemda, Unit

PROCUREMENT_ROLES = {
    DecisionMember.Role.POKJA,
    DecisionMember.Role.PPK,
    DecisionMember.Role.PEJABAT_PENGADAAN,
    DecisionMember.Role.PPHP,
}


def _valid(check: Any, value: str) -> str:
    if not value:
        return ""
    try:
        return str(check(value))
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None


def _manager(user: Any, decision: Decision) -> None:
    if not can_manage_decision(user, decision):
        raise PermissionDeniedError(_("You may not manage this decision."))


@transaction.atomic
def decision_create(
    *,
    pemda: Pemda,
    acting_user: Any,
    kind: str,
    title: str,
    unit: Unit,
    year: int,
    code: str = "",
    opened_at: dt.datetime | None = None,
) -> Decision:
    if kind not in Decision.Kind.values:
        raise DomainError(_("Choose the kind of decision."))
    if not title.strip():
        raise DomainError(_("Enter the title of the decision."))
    if unit.pemda_id != pemda.pk:
        raise DomainError(_("The unit belongs to another Pemda."))
    decision = Decision(
        pemda=pemda,
        kind=kind,
        title=title.strip(),
        code=code.strip(),
        unit=unit,
        year=year,
        opened_at=opened_at,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    _manager(acting_user, decision)
    decision.save()
    audit_record(
        actor=acting_user,
        action="conflicts.decision.created",
        obj=decision,
        summary={"kind": kind, "code": decision.code, "unit_id": unit.pk},
    )
    return decision


def _member_new(decision: Decision, official: Official, role: str) -> DecisionMember:
    if role not in DecisionMember.Role.values:
        raise DomainError(_("Choose the member's role."))
    procurement = decision.kind == Decision.Kind.PROCUREMENT
    if procurement != (role in PROCUREMENT_ROLES):
        raise DomainError(_("This role does not belong to this kind of decision."))
    if official.pemda_id != decision.pemda_id:
        raise DomainError(_("The official belongs to another Pemda."))
    if decision.members.filter(official=official, role=role).exists():
        raise DomainError(_("This official already has this role in the decision."))
    return DecisionMember(pemda=decision.pemda, decision=decision, official=official, role=role)


@transaction.atomic
def decision_member_add(
    *, decision: Decision, acting_user: Any, official: Official, role: str
) -> DecisionMember:
    _manager(acting_user, decision)
    member = _member_new(decision, official, role)
    member.save()
    audit_record(
        actor=acting_user,
        action="conflicts.decision.member_added",
        obj=member,
        summary={"decision_id": decision.pk, "official_id": official.pk, "role": role},
    )
    return member


@transaction.atomic
def decision_subject_add(
    *,
    decision: Decision,
    acting_user: Any,
    kind: str,
    name: str,
    is_company: bool = False,
    parent: DecisionSubject | None = None,
    nik: str = "",
    nib: str = "",
    npwp: str = "",
    birth_date: dt.date | None = None,
    birth_place: str = "",
    share_percent: Any = None,
    official: Official | None = None,
) -> DecisionSubject:
    """A tenderer or winner (a company), an owner or director of one, or a candidate."""
    _manager(acting_user, decision)
    if kind not in DecisionSubject.Kind.values:
        raise DomainError(
            _("Choose whether this is a tenderer, an owner, a director or a candidate.")
        )
    if not name.strip():
        raise DomainError(_("Enter the name."))
    people = {DecisionSubject.Kind.OWNER, DecisionSubject.Kind.DIRECTOR}
    if (kind in people) != (parent is not None):
        raise DomainError(_("An owner or director belongs to a tenderer, and only they do."))
    if parent is not None and parent.decision_id != decision.pk:
        raise DomainError(_("That tenderer is not part of this decision."))
    procurement = decision.kind == Decision.Kind.PROCUREMENT
    if procurement == (kind == DecisionSubject.Kind.CANDIDATE):
        raise DomainError(_("A package has tenderers; an HR decision has candidates."))
    if official is not None and official.pemda_id != decision.pemda_id:
        raise DomainError(_("The official belongs to another Pemda."))
    try:
        share = validate_share(share_percent)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    subject = DecisionSubject.objects.create(
        pemda=decision.pemda,
        decision=decision,
        parent=parent,
        kind=kind,
        is_company=is_company,
        name=name.strip(),
        nik=_valid(validate_nik, nik),
        nib=_valid(validate_nib, nib),
        npwp=_valid(validate_npwp, npwp),
        birth_date=birth_date,
        birth_place=birth_place.strip(),
        share_percent=share,
        official=official,
    )
    audit_record(
        actor=acting_user,
        action="conflicts.decision.subject_added",
        obj=subject,
        summary={"decision_id": decision.pk, "kind": kind},
    )
    return subject


def declarable_subjects(decision: Decision) -> list[DecisionSubject]:
    """The tenderers and candidates a member declares for (not their owners/directors)."""
    return list(decision.subjects.filter(parent__isnull=True).order_by("pk"))


@transaction.atomic
def decision_declare(
    *,
    decision: Decision,
    acting_user: Any,
    answers: Sequence[tuple[DecisionSubject, str, str]],
) -> DecisionDeclaration:
    """The acting official's declaration for every tenderer or candidate of the decision:
    (subject, relationship, detail). A second declaration replaces the first (new version)."""
    official_id = getattr(acting_user, "official_id", None) or 0
    if not has_permission(acting_user, decision.pemda, "conflicts.declare"):
        raise PermissionDeniedError(_("You may not make declarations in this Pemda."))
    member = decision.members.filter(official_id=official_id, is_active=True).first()
    if member is None:
        raise DomainError(
            _("You are not a member of this decision's committee, so you cannot declare for it.")
        )
    expected = {subject.pk for subject in declarable_subjects(decision)}
    if not expected:
        raise DomainError(_("No tenderers or candidates are named yet."))
    given = {subject.pk for subject, _rel, _detail in answers}
    if given != expected or len(answers) != len(expected):
        raise DomainError(_("Answer for every tenderer or candidate, once each."))
    for _subject, relationship, detail in answers:
        if relationship not in DecisionAnswer.Relationship.values:
            raise DomainError(_("Choose the relationship, or “none”."))
        if relationship != DecisionAnswer.Relationship.NONE and not detail.strip():
            raise DomainError(_("Describe the relationship you declare."))
    previous = member.declarations.filter(is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
    declaration = DecisionDeclaration.objects.create(
        pemda=decision.pemda,
        member=member,
        version=(previous.version + 1) if previous else 1,
        has_conflict=any(rel != DecisionAnswer.Relationship.NONE for _s, rel, _d in answers),
    )
    DecisionAnswer.objects.bulk_create(
        DecisionAnswer(
            pemda=decision.pemda,
            declaration=declaration,
            subject=subject,
            relationship=relationship,
            detail=detail.strip(),
        )
        for subject, relationship, detail in answers
    )
    audit_record(
        actor=acting_user,
        action="conflicts.decision.declared",
        obj=declaration,
        summary={
            "decision_id": decision.pk,
            "version": declaration.version,
            "has_conflict": declaration.has_conflict,
        },
    )
    from pakta.conflicts.services.screening import screen_decision

    screen_decision(decision=decision, acting_user=acting_user)
    if decision.package_id:
        from pakta.conflicts.services.procurement import (
            procurement_screen_against_declarations,
        )

        procurement_screen_against_declarations(
            pemda=decision.pemda, acting_user=acting_user, official=member.official
        )
    return declaration


def missing_declarers(decision: Decision) -> list[DecisionMember]:
    return list(
        decision.members.filter(is_active=True)
        .exclude(declarations__is_current=True)
        .select_related("official")
    )


def open_conflicts(decision: Decision) -> list[DecisionMember]:
    """Active members who declared a relationship and have not been replaced."""
    return list(
        decision.members.filter(
            is_active=True, declarations__is_current=True, declarations__has_conflict=True
        ).select_related("official")
    )


@transaction.atomic
def decision_recuse(
    *,
    decision: Decision,
    acting_user: Any,
    member: DecisionMember,
    substitute: Official,
    reason: str,
) -> Recusal:
    """The member stands aside; the substitute takes the same role and must declare."""
    _manager(acting_user, decision)
    if member.decision_id != decision.pk or not member.is_active:
        raise DomainError(_("This person is not an active member of the decision."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the recusal."))
    if substitute.pk == member.official_id:
        raise DomainError(_("The substitute must be another person."))
    if decision.members.filter(official=substitute, is_active=True).exists():
        raise DomainError(_("The substitute is already a member of this decision."))
    replacement = _member_new(decision, substitute, member.role)
    replacement.save()
    member.is_active = False
    member.save(update_fields=["is_active", "updated_at"])
    recusal = Recusal.objects.create(
        pemda=decision.pemda,
        decision=decision,
        member=member,
        substitute=replacement,
        reason=reason.strip(),
        recorded_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="conflicts.decision.recusal",
        obj=recusal,
        summary={
            "decision_id": decision.pk,
            "official_id": member.official_id,
            "substitute_id": substitute.pk,
        },
    )
    return recusal


@transaction.atomic
def decision_mark_clean(*, decision: Decision, acting_user: Any) -> Decision:
    """Record the decision clean: every required person declared, no declared conflict left
    (the conflicted were recused), no open or confirmed finding on it."""
    _manager(acting_user, decision)
    if not decision.members.filter(is_active=True).exists():
        raise DomainError(_("Name the committee before recording the decision clean."))
    missing = missing_declarers(decision)
    if missing:
        raise DomainError(
            _("Not everyone has declared yet: %(names)s.")
            % {"names": ", ".join(m.official.full_name for m in missing)}
        )
    conflicted = open_conflicts(decision)
    if conflicted:
        raise DomainError(
            _("%(names)s declared a conflict and must be replaced first.")
            % {"names": ", ".join(m.official.full_name for m in conflicted)}
        )
    # Findings about someone recused from this decision are settled by the recusal.
    active = set(decision.members.filter(is_active=True).values_list("official_id", flat=True))
    recused = (
        set(decision.members.filter(is_active=False).values_list("official_id", flat=True)) - active
    )
    unsettled = decision.findings.exclude(official_id__in=recused).filter(
        status__in=[Finding.Status.OPEN, Finding.Status.CORRECTION, Finding.Status.CONFIRMED]
    )
    if unsettled.exists():
        raise DomainError(_("Screening findings on this decision are not settled yet."))
    decision.recorded_clean_at = timezone.now()
    decision.save(update_fields=["recorded_clean_at", "updated_at"])
    audit_record(actor=acting_user, action="conflicts.decision.clean", obj=decision, summary={})
    return decision


PERSON_KINDS = {
    "owner": DecisionSubject.Kind.OWNER,
    "beneficial_owner": DecisionSubject.Kind.OWNER,
    "director": DecisionSubject.Kind.DIRECTOR,
    "commissioner": DecisionSubject.Kind.DIRECTOR,
}


def _party_ids(party: Any) -> dict[str, str]:
    ids: dict[str, str] = {}
    pairs = [(party.identifier_scheme, party.identifier)]
    pairs += [
        (str(extra.get("scheme", "")), str(extra.get("id", "")))
        for extra in party.additional_identifiers or []
        if isinstance(extra, dict)
    ]
    for scheme, value in pairs:
        digits = "".join(ch for ch in value if ch.isdigit())
        if scheme == "ID-NIB" and len(digits) == 13:
            ids.setdefault("nib", digits)
        if scheme == "ID-NPWP" and len(digits) in (15, 16):
            ids.setdefault("npwp", digits)
    return ids


@transaction.atomic
def decision_from_package(*, package: Any, acting_user: Any) -> Decision:
    """The decision for a procurement package (created on first use, brought up to date after):
    its committee must declare for its tenderers and winner, whose owners and directors are
    copied in for screening. The committee is read from the procurement app."""
    unit = package.procuring_unit or package.buyer
    if unit is None:
        raise DomainError(_("The package names no procuring unit of this Pemda."))
    decision = Decision.objects.filter(package=package).first()
    if decision is None:
        decision = Decision(
            pemda=package.pemda,
            kind=Decision.Kind.PROCUREMENT,
            code=package.code,
            title=package.title[:250],
            unit=unit,
            year=package.year or timezone.localdate().year,
            opened_at=package.tender_start,
            package=package,
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        _manager(acting_user, decision)
        decision.save()
        audit_record(
            actor=acting_user,
            action="conflicts.decision.created",
            obj=decision,
            summary={"kind": decision.kind, "package_id": package.pk},
        )
    else:
        _manager(acting_user, decision)
    recused = set(
        Recusal.objects.filter(decision=decision).values_list("member__official_id", "member__role")
    )
    for committee in package.committee.select_related("official"):
        key = (committee.official_id, committee.role)
        if key in recused or decision.members.filter(official_id=key[0], role=key[1]).exists():
            continue
        member = _member_new(decision, committee.official, committee.role)
        member.save()
        audit_record(
            actor=acting_user,
            action="conflicts.decision.member_added",
            obj=member,
            summary={"decision_id": decision.pk, "official_id": member.official_id},
        )
    parties = [bid.tenderer for bid in package.bids.select_related("tenderer")]
    if package.winner_id and package.winner not in parties:
        parties.append(package.winner)
    known = {s.name for s in decision.subjects.filter(parent__isnull=True)}
    for party in parties:
        if party.name in known:
            continue
        known.add(party.name)
        ids = _party_ids(party)
        subject = DecisionSubject.objects.create(
            pemda=decision.pemda,
            decision=decision,
            kind=DecisionSubject.Kind.WINNER
            if party.pk == package.winner_id
            else DecisionSubject.Kind.TENDERER,
            is_company=True,
            name=party.name[:200],
            nib=ids.get("nib", ""),
            npwp=ids.get("npwp", ""),
        )
        for person in party.people.all():
            if person.role not in PERSON_KINDS:
                continue
            DecisionSubject.objects.create(
                pemda=decision.pemda,
                decision=decision,
                parent=subject,
                kind=PERSON_KINDS[person.role],
                name=person.name[:200],
                nik=person.nik if len(person.nik or "") == 16 else "",
                birth_date=person.birth_date,
                share_percent=person.share_percent,
            )
        audit_record(
            actor=acting_user,
            action="conflicts.decision.subject_added",
            obj=subject,
            summary={"decision_id": decision.pk, "party_id": party.pk},
        )
    return decision
