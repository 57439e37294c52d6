"""The standing declaration of interests: start (pre-filled from the previous year), fill in
its sections, sign and submit (PAdES through pakta.signing). A submitted declaration is never
changed: a correction or a later change starts a new version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.accounts.credentials import Reauthentication, reauthenticate
from pakta.audit.services import audit_record
from pakta.conflicts import matching
from pakta.conflicts.models import (
    DeclaredBusiness,
    DeclaredDebtGift,
    DeclaredPosition,
    DeclaredRelative,
    Relation,
    StandingDeclaration,
)
from pakta.conflicts.validators import validate_nib, validate_nik, validate_npwp, validate_share
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.permissions import has_permission
from pakta.org.models import Official, Position

# Debts and gifts at or above this amount (rupiah) must be declared (configuration).
DEBT_GIFT_THRESHOLD = int(getattr(settings, "PAKTA_COI_DEBT_GIFT_THRESHOLD", 1_000_000))


def _valid(check: Any, value: str) -> str:
    if not value:
        return ""
    try:
        return str(check(value))
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None


def _own_official(acting_user: Any, official: Official) -> None:
    if getattr(acting_user, "official_id", None) != official.pk:
        raise PermissionDeniedError(_("Only the official can fill in their own declaration."))
    if not has_permission(acting_user, official.pemda, "conflicts.declare"):
        raise PermissionDeniedError(_("You may not make declarations in this Pemda."))


def _editable(declaration: StandingDeclaration, acting_user: Any) -> None:
    _own_official(acting_user, declaration.official)
    if not declaration.is_editable:
        raise DomainError(_("This declaration was submitted; start a new version to change it."))


def _copy_sections(source: StandingDeclaration, target: StandingDeclaration) -> None:
    relatives: dict[int, DeclaredRelative] = {}
    for relative in source.relatives.all():
        old_pk = relative.pk
        relative.pk = None
        relative.declaration = target
        relative.save()
        relatives[old_pk] = relative
    for business in source.businesses.all():
        business.pk = None
        business.declaration = target
        business.relative = relatives.get(business.relative_id) if business.relative_id else None
        business.save()
    for position in source.positions.all():
        position.pk = None
        position.declaration = target
        position.save()
    for debt_gift in source.debts_gifts.all():
        debt_gift.pk = None
        debt_gift.declaration = target
        debt_gift.save()


@transaction.atomic
def declaration_start(
    *,
    official: Official,
    year: int,
    acting_user: Any,
    reason: str = StandingDeclaration.Reason.ANNUAL,
    position: Position | None = None,
) -> StandingDeclaration:
    """Start (or return the open draft of) the official's declaration for ``year``: a copy of the
    latest earlier version — this year's submitted one, else the previous year's."""
    _own_official(acting_user, official)
    if reason not in StandingDeclaration.Reason.values:
        raise DomainError(_("Unknown reason for the declaration."))
    if reason == StandingDeclaration.Reason.APPOINTMENT and position is None:
        raise DomainError(_("A declaration on appointment names the position."))
    if position is not None and position.pemda_id != official.pemda_id:
        raise DomainError(_("The position belongs to another Pemda."))
    if not (2000 <= year <= timezone.localdate().year + 1):
        raise DomainError(_("Choose a year of service."))
    mine = StandingDeclaration.objects.filter(official=official)
    draft = mine.filter(
        year=year,
        reason=reason,
        status=StandingDeclaration.Status.DRAFT,
    ).first()
    if draft is not None:
        return draft
    same_year = mine.filter(year=year, reason=reason).order_by("-version").first()
    previous = (
        same_year
        or mine.exclude(status=StandingDeclaration.Status.DRAFT)
        .filter(year__lt=year)
        .order_by("-year", "-version")
        .first()
    )
    declaration = StandingDeclaration.objects.create(
        pemda=official.pemda,
        official=official,
        year=year,
        reason=reason,
        position=position,
        version=(same_year.version + 1) if same_year else 1,
        previous=previous,
        sections_none=list(previous.sections_none) if previous else [],
    )
    if previous is not None:
        _copy_sections(previous, declaration)
    audit_record(
        actor=acting_user,
        action="conflicts.declaration.started",
        obj=declaration,
        summary={
            "year": year,
            "version": declaration.version,
            "prefilled_from": previous.pk if previous else None,
        },
    )
    return declaration


def _touch(declaration: StandingDeclaration, acting_user: Any, section: str, row: Any) -> None:
    if section in declaration.sections_none:
        declaration.sections_none = [s for s in declaration.sections_none if s != section]
        declaration.save(update_fields=["sections_none", "updated_at"])
    audit_record(
        actor=acting_user,
        action="conflicts.declaration.updated",
        obj=declaration,
        summary={"section": section, "row_id": row.pk},
    )


@transaction.atomic
def declaration_relative_add(
    *,
    declaration: StandingDeclaration,
    acting_user: Any,
    relation: str,
    name: str,
    nik: str = "",
    birth_date: dt.date | None = None,
    birth_place: str = "",
    employer: str = "",
) -> DeclaredRelative:
    _editable(declaration, acting_user)
    if relation not in Relation.values:
        raise DomainError(_("Choose the relation."))
    if not name.strip():
        raise DomainError(_("Enter the relative's name."))
    nik = _valid(validate_nik, nik)
    official = declaration.official
    # A relation to oneself: the official's own name with their own birth date.
    if birth_date == official.birth_date and (
        matching.name_tokens(name) == matching.name_tokens(official.name)
    ):
        raise DomainError(_("You cannot declare yourself as your own relative."))
    relative = DeclaredRelative.objects.create(
        pemda=declaration.pemda,
        declaration=declaration,
        relation=relation,
        name=name.strip(),
        nik=nik,
        birth_date=birth_date,
        birth_place=birth_place.strip(),
        employer=employer.strip(),
    )
    _touch(declaration, acting_user, "relatives", relative)
    return relative


@transaction.atomic
def declaration_business_add(
    *,
    declaration: StandingDeclaration,
    acting_user: Any,
    company_name: str,
    role: str,
    nib: str = "",
    npwp: str = "",
    share_percent: Any = None,
    relative: DeclaredRelative | None = None,
) -> DeclaredBusiness:
    _editable(declaration, acting_user)
    if not company_name.strip():
        raise DomainError(_("Enter the company's name."))
    if role not in DeclaredBusiness.Role.values:
        raise DomainError(_("Choose the role in the company."))
    nib = _valid(validate_nib, nib)
    npwp = _valid(validate_npwp, npwp)
    try:
        share = validate_share(share_percent)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    if relative is not None and relative.declaration_id != declaration.pk:
        raise DomainError(_("That relative is not part of this declaration."))
    business = DeclaredBusiness.objects.create(
        pemda=declaration.pemda,
        declaration=declaration,
        relative=relative,
        company_name=company_name.strip(),
        nib=nib,
        npwp=npwp,
        role=role,
        share_percent=share,
    )
    _touch(declaration, acting_user, "businesses", business)
    return business


@transaction.atomic
def declaration_position_add(
    *,
    declaration: StandingDeclaration,
    acting_user: Any,
    organisation: str,
    role: str,
    is_paid: bool = False,
) -> DeclaredPosition:
    _editable(declaration, acting_user)
    if not organisation.strip() or not role.strip():
        raise DomainError(_("Enter the organisation and the role."))
    row = DeclaredPosition.objects.create(
        pemda=declaration.pemda,
        declaration=declaration,
        organisation=organisation.strip(),
        role=role.strip(),
        is_paid=is_paid,
    )
    _touch(declaration, acting_user, "positions", row)
    return row


@transaction.atomic
def declaration_debt_gift_add(
    *,
    declaration: StandingDeclaration,
    acting_user: Any,
    kind: str,
    counterparty: str,
    amount: int,
    description: str = "",
) -> DeclaredDebtGift:
    _editable(declaration, acting_user)
    if kind not in DeclaredDebtGift.Kind.values:
        raise DomainError(_("Choose debt or gift."))
    if not counterparty.strip():
        raise DomainError(_("Enter the creditor or the giver."))
    if amount < DEBT_GIFT_THRESHOLD:
        raise DomainError(
            _("Only debts and gifts of at least Rp%(amount)s are declared here.")
            % {"amount": f"{DEBT_GIFT_THRESHOLD:,}".replace(",", ".")}
        )
    row = DeclaredDebtGift.objects.create(
        pemda=declaration.pemda,
        declaration=declaration,
        kind=kind,
        counterparty=counterparty.strip(),
        amount=amount,
        description=description.strip(),
    )
    _touch(declaration, acting_user, "debts_gifts", row)
    return row


@transaction.atomic
def declaration_section_none(
    *, declaration: StandingDeclaration, acting_user: Any, section: str
) -> StandingDeclaration:
    """The official confirms a section is empty ("none")."""
    _editable(declaration, acting_user)
    if section not in StandingDeclaration.SECTIONS:
        raise DomainError(_("Unknown section."))
    if getattr(declaration, section).exists():
        raise DomainError(_("This section has entries; remove them before declaring none."))
    if section not in declaration.sections_none:
        declaration.sections_none = [*declaration.sections_none, section]
        declaration.save(update_fields=["sections_none", "updated_at"])
        audit_record(
            actor=acting_user,
            action="conflicts.declaration.updated",
            obj=declaration,
            summary={"section": section, "none": True},
        )
    return declaration


def declaration_submit(
    *,
    declaration: StandingDeclaration,
    acting_user: Any,
    credential: str | Reauthentication,
) -> StandingDeclaration:
    """Sign the declaration (PAdES, after re-authentication) and submit it; the previous
    submitted version of the same year is superseded; screening runs on it."""
    from pakta.conflicts.documents import render_declaration
    from pakta.conflicts.services.procurement import procurement_screen_against_declarations
    from pakta.conflicts.services.screening import screen_declaration
    from pakta.org.selectors import current_position
    from pakta.signing import services as signing
    from pakta.signing.models import Signature, SignedDocument

    _editable(declaration, acting_user)
    official = declaration.official
    consent = reauthenticate(user=acting_user, credential=credential)
    with transaction.atomic():
        locked = StandingDeclaration.objects.select_for_update().get(pk=declaration.pk)
        if not locked.is_editable:
            raise DomainError(_("This declaration was already submitted."))
        position = current_position(official)
        document = signing.signed_document_create(
            pemda=locked.pemda,
            kind=SignedDocument.Kind.REPORT,
            title=_("Declaration of interests %(year)s: %(name)s")
            % {"year": locked.year, "name": official.full_name},
            render=lambda doc: render_declaration(locked, doc),
            acting_user=acting_user,
        )
        signing.signature_apply(
            document=document,
            official=official,
            role=Signature.Role.SIGNER,
            acting_user=acting_user,
            credential=consent,
            position=position.title if position else "",
        )
        StandingDeclaration.objects.filter(
            official=official,
            year=locked.year,
            reason=locked.reason,
            status__in=[
                StandingDeclaration.Status.SUBMITTED,
                StandingDeclaration.Status.CORRECTION,
            ],
        ).update(status=StandingDeclaration.Status.SUPERSEDED)
        locked.status = StandingDeclaration.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.document = document
        locked.correction_note = ""
        locked.save(
            update_fields=["status", "submitted_at", "document", "correction_note", "updated_at"]
        )
        audit_record(
            actor=acting_user,
            action="conflicts.declaration.submitted",
            obj=locked,
            summary={"document_id": document.pk, "version": locked.version},
        )
        screen_declaration(declaration=locked, acting_user=acting_user)
        procurement_screen_against_declarations(
            pemda=locked.pemda, acting_user=acting_user, official=locked.official
        )
    locked.refresh_from_db()
    return locked
