"""The OCDS import: upload → background check (progress, per-line errors) → apply all or nothing,
or only the valid lines. Re-importing an ``ocid`` updates its package. Parties are kept as
organisations with their identifiers and the people behind them, and matched to Pakta's units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pakta.audit.services import audit_record
from pakta.core.documents import document_read, document_store
from pakta.core.errors import DomainError
from pakta.org.models import Pemda, Unit
from pakta.procurement import ocds
from pakta.procurement.cardinal.engine import parse_rfc3339
from pakta.procurement.models import (
    Award,
    Bid,
    Method,
    OcdsImport,
    Package,
    Party,
    PartyPerson,
    normalise_name,
)

MAX_BYTES = 200 * 1024 * 1024

MESSAGES = {
    "not_json": gettext_lazy("The line is not JSON."),
    "not_utf8": gettext_lazy("The file is not UTF-8 text."),
    "not_an_object": gettext_lazy("The line is not a JSON object."),
    "missing_ocid": gettext_lazy("The release has no ocid."),
    "amount_not_number": gettext_lazy("The amount is not a number."),
    "unknown_currency": gettext_lazy("The currency is not an ISO 4217 code."),
    "date_without_zone": gettext_lazy("The date has no time zone (write e.g. +07:00 or Z)."),
    "not_a_date": gettext_lazy("The value is not a date and time (RFC 3339)."),
    "duplicate_ocid": gettext_lazy("The ocid appears on an earlier line too."),
    "record_without_releases": gettext_lazy(
        "The record has neither releases nor a compiled release."
    ),
}


def error_message(code: str) -> str:
    if code.startswith("merge_failed"):
        return _("The releases of this ocid cannot be merged: %(detail)s") % {
            "detail": code.partition(": ")[2]
        }
    return str(MESSAGES.get(code, code))


# --- Jobs --------------------------------------------------------------------------------------


@transaction.atomic
def ocds_import_create(
    *,
    pemda: Pemda,
    acting_user: Any,
    file_name: str,
    content: bytes,
    mode: str = OcdsImport.Mode.ALL_OR_NOTHING,
    enqueue: bool = True,
) -> OcdsImport:
    """Store an uploaded OCDS file and queue its import (``enqueue=False``: the caller runs
    ``ocds_import_run`` itself, as the management command does)."""
    if mode not in OcdsImport.Mode.values:
        raise DomainError(_("Choose how to treat lines with errors."))
    if not content.strip():
        raise DomainError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise DomainError(_("The file is larger than 200 MB."))
    document = document_store(
        content=content, content_type="application/x-ndjson", original_name=file_name[:255]
    )
    job = OcdsImport.objects.create(
        pemda=pemda,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        document=document,
        file_name=file_name[:255],
        mode=mode,
    )
    audit_record(
        actor=acting_user,
        action="procurement.import",
        obj=job,
        summary={"sha256": document.sha256, "mode": mode, "stage": "uploaded"},
    )
    if enqueue:
        from pakta.procurement.tasks import ocds_import_task

        transaction.on_commit(lambda: ocds_import_task.enqueue(job.pk))
    return job


def ocds_import_run(*, job_id: int) -> OcdsImport:
    """Check every line, then apply (all or nothing, or the valid lines), then recompute the
    Pemda's red flags. Progress is saved as lines are read."""
    job = OcdsImport.objects.select_related("pemda", "created_by", "document").get(pk=job_id)
    if job.status != OcdsImport.Status.QUEUED:
        return job
    job.status = OcdsImport.Status.RUNNING
    job.save(update_fields=["status", "updated_at"])

    def progress(done: int, total: int) -> None:
        OcdsImport.objects.filter(pk=job.pk).update(total_lines=total, processed_lines=done)

    assert job.document is not None
    reading = ocds.read(document_read(job.document), progress=progress)
    errors = [
        {**e.as_dict(), "message": e.message, "text": error_message(e.message)}
        for e in reading.errors
    ]
    job.refresh_from_db()
    job.total_lines = reading.lines
    job.processed_lines = reading.lines
    job.errors = errors[:5000]
    refused = bool(errors) and (job.mode == OcdsImport.Mode.ALL_OR_NOTHING or not reading.releases)
    with transaction.atomic():
        if refused:
            job.status = OcdsImport.Status.REJECTED
            job.summary = {"errors": len(errors), "valid": len(reading.releases)}
        else:
            summary = apply_releases(pemda=job.pemda, releases=[r for _l, r in reading.releases])
            from pakta.procurement.services.flags import flags_compute

            summary["flags"] = flags_compute(pemda=job.pemda, acting_user=job.created_by)
            summary["errors"] = len(errors)
            job.summary = summary
            job.status = OcdsImport.Status.DONE
        job.finished_at = timezone.now()
        job.save()
        audit_record(
            actor=job.created_by,
            action="procurement.import",
            obj=job,
            summary={"stage": job.status, **{k: v for k, v in job.summary.items() if k != "flags"}},
        )
    return job


# --- Applying compiled releases ----------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _when(value: Any) -> dt.datetime | None:
    return parse_rfc3339(value) if isinstance(value, str) else None


def _get(node: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


class _Units:
    """The Pemda's units by normalised name, to match buyers and procuring entities."""

    def __init__(self, pemda: Pemda) -> None:
        self.by_name: dict[str, Unit] = {}
        for unit in Unit.objects.filter(pemda=pemda, is_active=True):
            self.by_name.setdefault(normalise_name(unit.name), unit)

    def match(self, name: str) -> Unit | None:
        return self.by_name.get(normalise_name(name)) if name else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _identifier(party: dict[str, Any]) -> tuple[str, str]:
    identifier = _dict(party.get("identifier"))
    scheme = str(identifier.get("scheme") or "")
    value = str(identifier.get("id") or "")
    return scheme[:40], value[:100]


class _Parties:
    """The Pemda's organisations, read once per import and kept by key (scheme + identifier, else
    the exact name); a party is written only when an import changes it."""

    def __init__(self, pemda: Pemda, units: _Units) -> None:
        self.pemda = pemda
        self.units = units
        self.by_key: dict[tuple[str, str], Party] = {}
        for party in Party.objects.filter(pemda=pemda).order_by("name", "pk"):
            key = (
                (party.identifier_scheme, party.identifier)
                if party.identifier
                else ("name", party.name)
            )
            self.by_key.setdefault(key, party)
        self.used: set[tuple[str, str]] = set()  # the parties this import referred to
        self.people: set[tuple[int, str, str]] = set()  # (party, name, role) ensured

    def __len__(self) -> int:
        return len(self.used)

    def get(self, data: dict[str, Any]) -> Party:
        pemda = self.pemda
        name = str(data.get("name") or data.get("id") or "?")[:300]
        scheme, identifier = _identifier(data)
        key = (scheme, identifier) if identifier else ("name", name)
        roles = sorted({r for r in data.get("roles") or [] if isinstance(r, str)})
        party = self.by_key.get(key)
        unit = self.units.match(name) if {"buyer", "procuringEntity"} & set(roles) else None
        address = _dict(data.get("address"))
        address_text = ", ".join(
            str(address[k]) for k in ("streetAddress", "locality", "region") if address.get(k)
        )
        extra = [i for i in data.get("additionalIdentifiers") or [] if isinstance(i, dict)]
        if party is None:
            party = Party(
                pemda=pemda, identifier_scheme=scheme if identifier else "", identifier=identifier
            )
        before = (
            party.name,
            party.roles,
            party.additional_identifiers,
            party.address,
            party.unit_id,
        )
        party.name = name
        party.roles = sorted(set(party.roles or []) | set(roles))
        party.additional_identifiers = extra or party.additional_identifiers
        party.address = address_text or party.address
        if unit is not None:
            party.unit = unit
        after = (name, party.roles, party.additional_identifiers, party.address, party.unit_id)
        if party.pk is None or after != before:
            party.save()
        self.by_key[key] = party
        self.used.add(key)
        _people(party, data, self.people)
        return party


def _people(party: Party, data: dict[str, Any], ensured: set[tuple[int, str, str]]) -> None:
    """Beneficial owners and shareholders (OCDS extensions) as the people behind the party
    (``ensured``: those already looked up by this import)."""
    found: list[tuple[str, str, str, Decimal | None]] = []
    for owner in data.get("beneficialOwners") or []:
        if isinstance(owner, dict) and owner.get("name"):
            ident = _dict(owner.get("identifier"))
            nik = str(ident.get("id") or "") if ident.get("scheme") == "IDN-IDCARD" else ""
            found.append((str(owner["name"]), PartyPerson.Role.BENEFICIAL_OWNER, nik, None))
    for holder in data.get("shareholders") or []:
        if not isinstance(holder, dict):
            continue
        who = _dict(holder.get("shareholder")) or holder
        if who.get("name"):
            found.append(
                (str(who["name"]), PartyPerson.Role.OWNER, "", _decimal(holder.get("shareholding")))
            )
    for name, role, nik, share in found:
        nik = nik if len(nik) == 16 and nik.isdigit() else ""
        seen = (party.pk, name[:200], role)
        if seen in ensured:
            continue
        ensured.add(seen)
        PartyPerson.objects.get_or_create(
            pemda=party.pemda,
            party=party,
            name=name[:200],
            role=role,
            defaults={"nik": nik, "share_percent": share},
        )


def apply_releases(*, pemda: Pemda, releases: list[dict[str, Any]]) -> dict[str, Any]:
    """Create or update a package per compiled release (by ``ocid``). Runs in the caller's
    transaction. Round trips: the Pemda's parties and the packages of these ocids are read once;
    a party is written when it is new or changed; a package is written once (its winner
    included); the bids, awards and award suppliers of all releases are inserted in bulk at the
    end (the old bids and awards of re-imported packages deleted in one statement each)."""
    units = _Units(pemda)
    parties = _Parties(pemda, units)
    existing: dict[str, Package] = {}
    ocids = [str(r["ocid"])[:200] for r in releases]
    for at in range(0, len(ocids), 500):
        for found in Package.objects.filter(pemda=pemda, ocid__in=ocids[at : at + 500]):
            existing[found.ocid] = found
    created = updated = 0
    replaced: list[int] = []  # re-imported packages whose bids and awards are replaced
    # Per ocid, the rows to insert (a repeated ocid replaces its earlier rows, as an update).
    rows: dict[str, tuple[list[Bid], list[tuple[Award, list[Party]]]]] = {}
    for release in releases:
        by_id: dict[str, Party] = {}
        for data in release.get("parties") or []:
            if isinstance(data, dict):
                party = parties.get(data)
                if isinstance(data.get("id"), str):
                    by_id[data["id"]] = party

        def ref(obj: Any, role: str, by_id: dict[str, Party] = by_id) -> Party | None:
            if not isinstance(obj, dict):
                return None
            if isinstance(obj.get("id"), str) and obj["id"] in by_id:
                return by_id[obj["id"]]
            if obj.get("name") or obj.get("id"):
                party = parties.get({**obj, "roles": [role]})
                if isinstance(obj.get("id"), str):
                    by_id[obj["id"]] = party
                return party
            return None

        tender = _dict(release.get("tender"))
        buyer = ref(release.get("buyer"), "buyer")
        procuring = ref(tender.get("procuringEntity"), "procuringEntity") or buyer
        awards = [a for a in release.get("awards") or [] if isinstance(a, dict)]
        active = [a for a in awards if a.get("status") == "active"]
        contracts = [c for c in release.get("contracts") or [] if isinstance(c, dict)]
        contract = contracts[0] if contracts else {}
        amendments = [
            d
            for c in contracts
            for a in (c.get("amendments") or [])
            if isinstance(a, dict) and (d := _when(a.get("date"))) is not None
        ]
        start = _when(_get(tender, "tenderPeriod", "startDate"))
        release_date = _when(release.get("date"))
        method = tender.get("procurementMethod")
        values = {
            "source": Package.Source.OCDS,
            "code": str(tender.get("id") or "")[:100],
            "title": str(tender.get("title") or release.get("ocid"))[:500],
            "buyer_party": buyer,
            "procuring_party": procuring,
            "buyer": buyer.unit if buyer else None,
            "procuring_unit": procuring.unit if procuring else None,
            "method": method if method in Method.values else "",
            "method_details": str(tender.get("procurementMethodDetails") or "")[:200],
            "main_category": tender.get("mainProcurementCategory")
            if tender.get("mainProcurementCategory") in {"goods", "works", "services"}
            else "",
            "hps_value": _decimal(_get(tender, "value", "amount")),
            "pagu": _decimal(_get(release, "planning", "budget", "amount", "amount")),
            "currency": str(_get(tender, "value", "currency") or "IDR")[:3],
            "year": when.year if (when := start or release_date) else None,
            "status": str(tender.get("status") or "")[:20],
            "tender_start": start,
            "tender_end": _when(_get(tender, "tenderPeriod", "endDate")),
            "award_date": min(
                (d for a in active if (d := _when(a.get("date"))) is not None), default=None
            ),
            "contract_value": _decimal(_get(contract, "value", "amount")),
            "contract_signed": _when(contract.get("dateSigned")),
            "contract_start": (
                d.date() if (d := _when(_get(contract, "period", "startDate"))) else None
            ),
            "contract_end": (
                d.date() if (d := _when(_get(contract, "period", "endDate"))) else None
            ),
            "first_amendment": min(amendments) if amendments else None,
            "release": release,
        }
        ocid = str(release["ocid"])[:200]
        package: Package | None = existing.get(ocid)
        if package is None:
            package = existing[ocid] = Package(pemda=pemda, ocid=ocid)
            created += 1
        else:
            updated += 1
            replaced.append(package.pk)
        for name, value in values.items():
            setattr(package, name, value)
        # Parties in release order (as the rows were written before): suppliers after bids.
        release_bids = []
        for data in _get(release, "bids", "details") or []:
            if not isinstance(data, dict):
                continue
            tenderers = [t for t in data.get("tenderers") or [] if isinstance(t, dict)]
            tenderer = ref(tenderers[0], "tenderer") if tenderers else None
            if tenderer is None:
                continue
            status = data.get("status")
            release_bids.append(
                Bid(
                    pemda=pemda,
                    tenderer=tenderer,
                    amount=_decimal(_get(data, "value", "amount")),
                    currency=str(_get(data, "value", "currency") or "IDR")[:3],
                    status=status if status in Bid.Status.values else "",
                    date=_when(data.get("date")),
                )
            )
        release_awards = []
        winner_parties: list[Party] = []
        for data in awards:
            status = data.get("status")
            award = Award(
                pemda=pemda,
                award_id=str(data.get("id") or "")[:200],
                status=status if status in Award.Status.values else "",
                value=_decimal(_get(data, "value", "amount")),
                currency=str(_get(data, "value", "currency") or "IDR")[:3],
                date=_when(data.get("date")),
            )
            suppliers = [s for s in (ref(s, "supplier") for s in data.get("suppliers") or []) if s]
            release_awards.append((award, suppliers))
            if status == "active":
                winner_parties += suppliers
        package.winner = winner_parties[0] if len({p.pk for p in winner_parties}) == 1 else None
        package.save()
        for bid in release_bids:
            bid.package = package
        for award, _suppliers in release_awards:
            award.package = package
        rows[ocid] = (release_bids, release_awards)
    for at in range(0, len(replaced), 500):
        Bid.objects.filter(package_id__in=replaced[at : at + 500]).delete()
        Award.objects.filter(package_id__in=replaced[at : at + 500]).delete()
    bids = [bid for release_bids, _a in rows.values() for bid in release_bids]
    awards_rows = [row for _b, release_awards in rows.values() for row in release_awards]
    Bid.objects.bulk_create(bids, batch_size=1000)
    Award.objects.bulk_create([award for award, _s in awards_rows], batch_size=1000)
    through = Award.suppliers.through
    links = {
        (award.pk, supplier.pk): None for award, suppliers in awards_rows for supplier in suppliers
    }
    through.objects.bulk_create(
        [through(award_id=a, party_id=p) for a, p in links], batch_size=1000
    )
    return {"created": created, "updated": updated, "parties": len(parties)}
