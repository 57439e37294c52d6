"""Pact templates, signing events and pacts. Every write records an audit event.

Compliance figures (signed / pending / excused per Pemda, unit and year) are kept in
``ComplianceCount`` rows by the same services that change a pact's status, so dashboards never
count pacts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.accounts.credentials import Reauthentication, reauthenticate
from pakta.audit.services import PendingEvent, audit_record, audit_record_many
from pakta.core.errors import DomainError
from pakta.org.models import Assignment, Official, Pemda, Position
from pakta.org.selectors import current_position, direct_superior, top_unit
from pakta.pacts.models import (
    DEFAULT_CLAUSES,
    ComplianceCount,
    EventWitness,
    Pact,
    PactTemplate,
    SigningEvent,
)
from pakta.pacts.rendering import (
    logo_data_uri,
    qr_svg_data_uri,
    render_pdf,
    tanggal_id,
    verification_url,
)
from pakta.pacts.todo import announce_event_open, announce_pact_to_witness, announce_pacts_to_sign
from pakta.signing import services as signing
from pakta.signing.models import PendingSignature, Signature, SignedDocument

# --- Templates --------------------------------------------------------------------------------


@transaction.atomic
def template_create(
    *, pemda: Pemda, acting_user: Any, clauses: list[str] | None = None, **fields: Any
) -> PactTemplate:
    """A new draft version; the standard seven commitments unless other clauses are given."""
    version = (
        PactTemplate.objects.filter(pemda=pemda)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    template = PactTemplate.objects.create(
        pemda=pemda, version=version, clauses=list(clauses or DEFAULT_CLAUSES), **fields
    )
    audit_record(
        actor=acting_user,
        action="pacts.template.created",
        obj=template,
        summary={"version": version},
    )
    return template


@transaction.atomic
def template_update(
    *, template: PactTemplate, acting_user: Any, clauses: list[str], **fields: Any
) -> PactTemplate:
    """Change a draft. A published version is immutable: make a new version instead."""
    if template.is_published:
        raise DomainError(_("A published template cannot be changed; create a new version."))
    clauses = [c.strip() for c in clauses if c.strip()]
    if not clauses:
        raise DomainError(_("A pact needs at least one commitment."))
    for name in ("name", "title", "opening", "statement"):
        if name in fields:
            setattr(template, name, fields[name])
    template.clauses = clauses
    template.save()
    audit_record(
        actor=acting_user,
        action="pacts.template.updated",
        obj=template,
        summary={"clauses": len(clauses)},
    )
    return template


@transaction.atomic
def template_publish(*, template: PactTemplate, acting_user: Any) -> PactTemplate:
    if template.is_published:
        raise DomainError(_("This version is already published."))
    template.status = PactTemplate.Status.PUBLISHED
    template.published_at = timezone.now()
    template.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action="pacts.template.published",
        obj=template,
        summary={"version": template.version},
    )
    return template


def template_new_version(*, template: PactTemplate, acting_user: Any) -> PactTemplate:
    """A draft copy of ``template`` with the next version number."""
    return template_create(
        pemda=template.pemda,
        acting_user=acting_user,
        clauses=list(template.clauses),
        name=template.name,
        title=template.title,
        opening=template.opening,
        statement=template.statement,
    )


def template_current(pemda: Pemda, acting_user: Any = None) -> PactTemplate:
    """The latest published template; the standard text is published for a Pemda that has none."""
    template = (
        PactTemplate.objects.filter(pemda=pemda, status=PactTemplate.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )
    if template is None:
        template = template_publish(
            template=template_create(pemda=pemda, acting_user=acting_user), acting_user=acting_user
        )
    return template


# --- Who signs, who witnesses -------------------------------------------------------------------


# --- Compliance counters ----------------------------------------------------------------------


def _count(pemda_id: int, unit_id: int | None, year: int, **deltas: int) -> None:
    keys: dict[str, Any] = {"pemda_id": pemda_id, "unit_id": unit_id, "year": year}
    row, _created = ComplianceCount.objects.get_or_create(**keys)
    ComplianceCount.objects.filter(pk=row.pk).update(
        **{name: F(name) + delta for name, delta in deltas.items()}
    )


# --- Events -----------------------------------------------------------------------------------


# A signing event is held in these years (a date in year 1 or 9999 is a typing slip).
EVENT_YEARS = (2000, 2100)
EVENT_DATE_MESSAGE = _("Give a date between the years 2000 and 2100.")


@transaction.atomic
def event_create(
    *,
    pemda: Pemda,
    acting_user: Any,
    title: str,
    date: dt.date,
    place: str,
    template: PactTemplate,
    occasion: str = "",
    year: int | None = None,
    leader: Official | None = None,
    leader_title: str = "",
) -> SigningEvent:
    if template.pemda_id != pemda.pk or not template.is_published:
        raise DomainError(_("Choose a published template of this Pemda."))
    if leader is not None and leader.pemda_id != pemda.pk:
        raise DomainError(_("The leader must be an official of this Pemda."))
    if not EVENT_YEARS[0] <= date.year <= EVENT_YEARS[1]:
        raise DomainError(EVENT_DATE_MESSAGE)
    event = SigningEvent.objects.create(
        pemda=pemda,
        title=title,
        date=date,
        place=place,
        template=template,
        occasion=occasion,
        year=year or date.year,
        leader=leader,
        leader_title=leader_title,
    )
    audit_record(actor=acting_user, action="pacts.event.created", obj=event)
    return event


def _new_pact(
    *,
    official: Official,
    year: int,
    template: PactTemplate,
    origin: str,
    due: dt.date,
    event: SigningEvent | None = None,
    assignment: Assignment | None = None,
    witness: Official | None = None,
) -> Pact:
    position = assignment.position if assignment is not None else current_position(official)
    unit = top_unit(position.unit) if position is not None else None
    return Pact(
        pemda_id=official.pemda_id,
        official=official,
        position=position,
        unit=unit,
        year=year,
        template=template,
        origin=origin,
        due_date=due,
        event=event,
        assignment=assignment,
        witness=witness if witness is not None else direct_superior(official, position),
    )


@transaction.atomic
def event_add_participants(
    *, event: SigningEvent, officials: Iterable[Official], acting_user: Any
) -> list[Pact]:
    """Invite officials; an official already invited is left as is. Kepala OPD are witnessed by the leader."""
    if event.status == SigningEvent.Status.CLOSED:
        raise DomainError(_("The event is closed."))
    existing = set(event.pacts.values_list("official_id", flat=True))
    pacts = []
    for official in officials:
        if official.pk in existing or official.pemda_id != event.pemda_id:
            continue
        existing.add(official.pk)
        pact = _new_pact(
            official=official,
            year=event.year,
            template=event.template,
            origin=Pact.Origin.EVENT,
            due=event.date,
            event=event,
        )
        if pact.witness is None and event.leader_id and event.leader_id != official.pk:
            pact.witness = event.leader
        pacts.append(pact)
    Pact.objects.bulk_create(pacts)
    for pact in pacts:
        _count(event.pemda_id, pact.unit_id, event.year, pending=1)
    audit_record_many(
        actor=acting_user,
        events=[
            PendingEvent(
                action="pacts.pact.created",
                obj=p,
                summary={"official_id": p.official_id, "event_id": event.pk},
            )
            for p in pacts
        ],
    )
    if event.status == SigningEvent.Status.OPEN:
        announce_pacts_to_sign(pacts)
    return pacts


@transaction.atomic
def event_add_witness(
    *,
    event: SigningEvent,
    acting_user: Any,
    official: Official | None = None,
    name: str = "",
    organisation: str = "",
    email: str = "",
) -> EventWitness:
    if event.status == SigningEvent.Status.CLOSED:
        raise DomainError(_("The event is closed."))
    if official is not None and official.pemda_id != event.pemda_id:
        raise DomainError(
            _("The witness must be an official of this Pemda, or an external stakeholder.")
        )
    if official is None and not name.strip():
        raise DomainError(_("Give the witness's name."))
    witness = EventWitness.objects.create(
        event=event,
        official=official,
        name=official.full_name if official else name.strip(),
        organisation=organisation,
        is_external=official is None,
        email=email.strip() if official is None else "",
    )
    audit_record(
        actor=acting_user,
        action="pacts.event.witness_added",
        obj=event,
        summary={"witness_id": witness.pk, "external": witness.is_external},
    )
    return witness


@transaction.atomic
def event_open(*, event: SigningEvent, acting_user: Any) -> SigningEvent:
    if event.status != SigningEvent.Status.DRAFT:
        raise DomainError(_("Only an event being prepared can be opened."))
    if not event.pacts.exists():
        raise DomainError(_("Add participants before opening the event."))
    event.status = SigningEvent.Status.OPEN
    event.save(update_fields=["status", "updated_at"])
    audit_record(actor=acting_user, action="pacts.event.opened", obj=event)
    announce_event_open(event)
    return event


@transaction.atomic
def event_close(*, event: SigningEvent, acting_user: Any) -> SigningEvent:
    if event.status != SigningEvent.Status.OPEN:
        raise DomainError(_("Only an open event can be closed."))
    event.status = SigningEvent.Status.CLOSED
    event.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=acting_user,
        action="pacts.event.closed",
        obj=event,
        summary={"pending": event.pacts.filter(status=Pact.Status.PENDING).count()},
    )
    # The Berita Acara: signed by the leader and every witness (pakta.pacts.ceremony).
    from pakta.pacts.ceremony import record_create

    record_create(event=event, acting_user=acting_user)
    return event


# --- Pacts ------------------------------------------------------------------------------------


@transaction.atomic
def pact_create_for_assignment(*, assignment: Assignment, acting_user: Any) -> Pact:
    """A new position brings a new pact, due a configurable number of days after the start."""
    if hasattr(assignment, "pact"):
        return assignment.pact
    template = template_current(assignment.official.pemda, acting_user)
    due = assignment.start_date + dt.timedelta(days=settings.PAKTA_PACT_DUE_DAYS)
    pact = _new_pact(
        official=assignment.official,
        year=assignment.start_date.year,
        template=template,
        origin=Pact.Origin.ASSIGNMENT,
        due=due,
        assignment=assignment,
    )
    pact.save()
    _count(pact.pemda_id, pact.unit_id, pact.year, pending=1)
    audit_record(
        actor=acting_user,
        action="pacts.pact.created",
        obj=pact,
        summary={"official_id": pact.official_id, "assignment_id": assignment.pk},
    )
    announce_pacts_to_sign([pact])
    return pact


def witness_title_of(pact: Pact) -> str:
    """The witness's title as printed: the event leader's title, or the witness's position."""
    witness = pact.witness
    if witness is None:
        return ""
    if pact.event is not None and witness.pk == pact.event.leader_id and pact.event.leader_title:
        return pact.event.leader_title
    position = current_position(witness)
    return position.title if position else ""


def _render_pact(pact: Pact, document: SignedDocument) -> bytes:
    pemda = pact.pemda
    template = pact.template
    position = pact.position
    witness = pact.witness
    witness_title = witness_title_of(pact)
    date = pact.event.date if pact.event else timezone.localdate()
    instansi = pact.unit.name if pact.unit else pemda.name
    context = {
        "title": document.title,
        "pemda": pemda,
        "logo": logo_data_uri(pemda),
        "template": template,
        "clauses": [c.replace("{instansi}", instansi) for c in template.clauses],
        "official": pact.official,
        "position_title": position.title if position else "",
        "unit_name": position.unit.name if position else "",
        "witness": witness,
        "witness_title": witness_title,
        "place": pemda.seat or pemda.name,
        "date_text": tanggal_id(date),
        "qr": qr_svg_data_uri(verification_url(document.token)),
        "verify_url": verification_url(document.token),
        "short_code": document.short_code_display,
        # The ceremony's witnesses (signing the Berita Acara), named on each pact.
        "event_witnesses": list(pact.event.witnesses.all()) if pact.event else [],
    }
    return render_pdf("pacts/documents/pact.html", context)


def pact_document(*, pact: Pact, acting_user: Any) -> SignedDocument:
    """The pact's PDF, rendered once with its verification QR code; later versions add signatures."""
    document = _pact_document_row(pact=pact)
    return signing.signed_document_render(
        document=document, render=pact_document_render, acting_user=acting_user
    )


def _pact_document_row(*, pact: Pact) -> SignedDocument:
    """The pact's document row, reserved on first need without its PDF (the signing task, or
    the first reader, renders it: ``pact_document``)."""
    if pact.document_id:
        return pact.document  # type: ignore[return-value]
    with transaction.atomic():
        locked = (
            # Lock the pact row only: PostgreSQL refuses FOR UPDATE on the nullable side of
            # the outer joins that select_related adds.
            Pact.objects.select_for_update(of=("self",))
            .select_related("pemda", "position", "official")
            .get(pk=pact.pk)
        )
        if locked.document_id:
            # Read after the lock, not joined: a row locked after a wait is read again, but
            # the rows joined to it are those of before the wait (none, in a race).
            pact.document = SignedDocument.objects.get(pk=locked.document_id)
            return pact.document
        document = signing.signed_document_reserve(
            pemda=locked.pemda,
            kind=SignedDocument.Kind.PACT,
            title=f"Pakta Integritas {locked.year} — {locked.official.full_name}",
            is_public=bool(
                locked.position and locked.position.level in Position.STRUCTURAL_LEVELS[:3]
            ),
        )
        locked.document = document
        locked.save(update_fields=["document", "updated_at"])
        pact.document = document
        return document


def pact_document_render(document: SignedDocument) -> bytes:
    """The render hook of pact documents (``signing.hooks``): the pact the document belongs to."""
    pact = Pact.objects.select_related(
        "pemda", "template", "position__unit", "unit", "witness", "event", "official"
    ).get(document=document)
    return _render_pact(pact, document)


def pact_signature_applied(signature: Signature, actor: Any) -> None:
    """The signed hook of pact documents (``signing.hooks``), in the transaction that recorded
    the signature, whoever applied it (the request, the worker, the timestamp retry): the
    official's signature makes the pact signed (and tells the witness); the witness's completes
    the document."""
    pact = Pact.objects.filter(document_id=signature.document_id).first()
    if pact is None:
        return
    if signature.role == Signature.Role.SIGNER:
        _mark_signed(pact.pk, signature, actor)
    elif signature.role == Signature.Role.WITNESS:
        document = SignedDocument.objects.get(pk=signature.document_id)
        if document.status != SignedDocument.Status.COMPLETED and not document.pending.exists():
            signing.signed_document_complete(document=document, acting_user=actor)


def pact_sign_check(pact: Pact) -> None:
    """Raise the refusal :func:`pact_sign` gives before asking for consent (the sign page shows
    it instead of the form)."""
    if pact.status == Pact.Status.EXCUSED:
        raise DomainError(_("This pact is excused and cannot be signed."))
    if pact.event is not None and pact.event.status != SigningEvent.Status.OPEN:
        raise DomainError(_("The signing event is not open."))


def pact_sign(
    *, pact: Pact, acting_user: Any, credential: str | Reauthentication, at_once: bool = False
) -> Signature | Any:
    """The official signs their own pact (after re-authenticating); signing twice changes nothing."""
    pact_sign_check(pact)
    # Consent first: a mistyped password leaves nothing behind (no document, no event).
    credential = reauthenticate(user=acting_user, credential=credential)
    # The PDF is rendered and signed by the task worker (``signing.signature_request``); the
    # page shows "being signed" until then. With tasks run in the caller, signed here.
    document = _pact_document_row(pact=pact)
    position = pact.position.title if pact.position else ""
    result = signing.signature_request(
        document=document,
        official=pact.official,
        role=Signature.Role.SIGNER,
        acting_user=acting_user,
        credential=credential,
        position=position,
        dated=pact.event.date if pact.event else None,
        at_once=at_once,
    )
    if isinstance(result, Signature):
        _mark_signed(pact.pk, result, acting_user)
    return result


def pact_sign_confirmed(*, pact: Pact) -> Signature:
    """The official, who has no account, signs their pact at the kiosk after the caller checked
    their one-time PIN for this pact (``pacts.kiosk``). Fails closed: nothing is left pending."""
    if pact.status == Pact.Status.EXCUSED:
        raise DomainError(_("This pact is excused and cannot be signed."))
    if pact.event is not None and pact.event.status != SigningEvent.Status.OPEN:
        raise DomainError(_("The signing event is not open."))
    document = pact_document(pact=pact, acting_user=None)
    signature = signing.signature_apply_by_one_time_secret(
        document=document,
        official=pact.official,
        role=Signature.Role.SIGNER,
        position=pact.position.title if pact.position else "",
        dated=pact.event.date if pact.event else None,
    )
    _mark_signed(pact.pk, signature, None)
    return signature


@transaction.atomic
def _mark_signed(pact_id: int, signature: Signature, acting_user: Any) -> None:
    pact = Pact.objects.select_for_update().get(pk=pact_id)
    if pact.status == Pact.Status.SIGNED:
        return
    _count(
        pact.pemda_id,
        pact.unit_id,
        pact.year,
        pending=-1 if pact.status == Pact.Status.PENDING else 0,
        excused=-1 if pact.status == Pact.Status.EXCUSED else 0,
        signed=1,
    )
    pact.status = Pact.Status.SIGNED
    pact.signed_at = signature.signed_at
    pact.save(update_fields=["status", "signed_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action="pacts.pact.signed",
        obj=pact,
        summary={"signature_id": signature.pk},
    )
    _supersede_earlier_pacts(pact, acting_user)
    announce_pact_to_witness(pact)


def _supersede_earlier_pacts(pact: Pact, acting_user: Any) -> None:
    """An official who moved and signed the pact of the new position: the signed pacts of the
    positions they left (the same year or before) are superseded by this one."""
    if pact.document is None or pact.position_id is None:
        return
    from pakta.signing.services import signed_document_supersede

    earlier = (
        Pact.objects.filter(
            official_id=pact.official_id,
            status=Pact.Status.SIGNED,
            year__lte=pact.year,
            document__isnull=False,
            document__superseded_at__isnull=True,
        )
        .exclude(pk=pact.pk)
        .exclude(position_id=pact.position_id)
        .select_related("document")
    )
    for old in earlier:
        if old.document is not None:
            signed_document_supersede(
                document=old.document, by=pact.document, acting_user=acting_user
            )


def pact_witness_sign_check(pact: Pact) -> None:
    """Raise the refusal :func:`pact_witness_sign` gives before asking for consent."""
    if pact.witness is None:
        raise DomainError(_("This pact has no witness."))
    if pact.status != Pact.Status.SIGNED or pact.document is None:
        raise DomainError(_("The official has not signed this pact yet."))


def pact_witness_sign(
    *, pact: Pact, acting_user: Any, credential: str | Reauthentication, at_once: bool = False
) -> Signature | Any:
    """The witness (direct superior or the event's leader) countersigns after the official."""
    pact_witness_sign_check(pact)
    assert pact.witness is not None and pact.document is not None
    result = signing.signature_request(
        document=pact.document,
        official=pact.witness,
        role=Signature.Role.WITNESS,
        acting_user=acting_user,
        credential=credential,
        position=witness_title_of(pact),
        dated=pact.event.date if pact.event else None,
        at_once=at_once,
    )
    if isinstance(result, Signature):
        # Completed by the signed hook (``pact_signature_applied``) when it signed.
        pact.document.refresh_from_db()
        if (
            pact.document.status != SignedDocument.Status.COMPLETED
            and not pact.document.pending.exists()
        ):
            signing.signed_document_complete(document=pact.document, acting_user=acting_user)
    return result


def pact_sign_retry(*, pact: Pact, part: str, acting_user: Any) -> Signature | Any:
    """Try again a signature of the user's (as ``signer`` or ``witness``) that failed in the
    worker; their consent stands."""
    me, role = (
        (pact.official_id, Signature.Role.SIGNER)
        if part == "signer"
        else (pact.witness_id, Signature.Role.WITNESS)
    )
    if me is None or pact.document_id is None:
        raise DomainError(_("There is no signature to try again."))
    pending = (
        PendingSignature.objects.select_related("document", "official")
        .filter(document_id=pact.document_id, official_id=me, role=role)
        .first()
    )
    if pending is None:
        raise DomainError(_("There is no signature to try again."))
    return signing.signature_pending_requeue(pending=pending, acting_user=acting_user)


@transaction.atomic
def pacts_of_assignments(assignment_ids: list[int]) -> tuple[str, list[int]]:
    """The pacts made for these assignments (for org's undo check)."""
    found: list[int] = []
    for start in range(0, len(assignment_ids), 5000):
        chunk = assignment_ids[start : start + 5000]
        found.extend(Pact.objects.filter(assignment_id__in=chunk).values_list("pk", flat=True))
    return "pacts.pact", found


def pact_withdraw_for_assignment(*, assignment: Assignment, acting_user: Any) -> None:
    """Remove the unsigned pact of an assignment that is being undone (an HR import reverted)."""
    pact = Pact.objects.select_for_update().filter(assignment=assignment).first()
    if pact is None:
        return
    if pact.status != Pact.Status.PENDING:
        raise DomainError(_("Only a pact not yet signed can be withdrawn."))
    _count(pact.pemda_id, pact.unit_id, pact.year, pending=-1)
    audit_record(
        actor=acting_user,
        action="pacts.pact.withdrawn",
        obj=pact,
        summary={"official_id": pact.official_id, "assignment_id": assignment.pk},
    )
    pact.delete()


@transaction.atomic
def pact_excuse(*, pact: Pact, reason: str, acting_user: Any) -> Pact:
    """Excuse an official (leave, vacancy…) with a reason; they no longer count as not signed."""
    pact = Pact.objects.select_for_update().get(pk=pact.pk)
    if pact.status != Pact.Status.PENDING:
        raise DomainError(_("Only a pact not yet signed can be excused."))
    if not reason.strip():
        raise DomainError(_("Give the reason (for example leave or a vacant position)."))
    pact.status = Pact.Status.EXCUSED
    pact.excused_reason = reason.strip()[:200]
    pact.save(update_fields=["status", "excused_reason", "updated_at"])
    _count(pact.pemda_id, pact.unit_id, pact.year, pending=-1, excused=1)
    audit_record(actor=acting_user, action="pacts.pact.excused", obj=pact)
    return pact
