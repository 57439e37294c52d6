"""The custody register (items handed to the UPG) and the giver register (for cross-checks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.gratification import rules
from pakta.gratification.models import CustodyItem, GiverEntry, GratificationReport
from pakta.gratification.services import UploadedFile, _require_manage, store_files
from pakta.org.models import Pemda, Unit


@transaction.atomic
def custody_receive(
    *,
    report: GratificationReport,
    acting_user: Any,
    description: str,
    received_from: str,
    storage: str,
    condition: str,
    received_on: dt.date | None = None,
    photos: Sequence[UploadedFile] = (),
) -> CustodyItem:
    """Take an item of a received gift into the UPG's custody (a refused gift has none)."""
    _require_manage(acting_user, report.pemda)
    received_on = received_on or timezone.localdate()
    if report.type == GratificationReport.Type.REFUSED:
        raise DomainError(_("A refused gift is not taken into custody."))
    if condition not in CustodyItem.Condition.values:
        raise DomainError(_("Choose the item's condition from the list."))
    if received_on > timezone.localdate():
        raise DomainError(_("The date received cannot be in the future."))
    if not (description.strip() and received_from.strip() and storage.strip()):
        raise DomainError(_("Describe the item, who handed it over and where it is stored."))
    documents = store_files(photos)
    item = CustodyItem.objects.create(
        pemda=report.pemda,
        report=report,
        description=description.strip(),
        received_from=received_from.strip(),
        received_on=received_on,
        storage=storage.strip(),
        condition=condition,
    )
    if documents:
        item.photos.set(documents)
    GratificationReport.objects.filter(pk=report.pk).update(
        location=GratificationReport.Location.UPG
    )
    audit_record(
        actor=acting_user,
        action="gratification.custody.received",
        obj=item,
        summary={"report_id": report.pk, "condition": condition},
    )
    return item


@transaction.atomic
def custody_release(
    *,
    item: CustodyItem,
    acting_user: Any,
    released_to: str,
    receipt: UploadedFile | None = None,
    distribution_report: str = "",
    released_on: dt.date | None = None,
) -> CustodyItem:
    """Release against a receipt; perishable food is distributed to a social institution with a
    report, without waiting for the decision."""
    _require_manage(acting_user, item.pemda)
    locked = CustodyItem.objects.select_for_update().get(pk=item.pk)
    if locked.released_on:
        raise DomainError(_("This item has already been released."))
    if not released_to.strip():
        raise DomainError(_("Say to whom the item is released."))
    perishable = locked.condition == CustodyItem.Condition.PERISHABLE
    if perishable and not distribution_report.strip():
        raise DomainError(
            _("Perishable food needs a distribution report (which institution, what, when).")
        )
    if not perishable:
        report = locked.report
        if report.status not in (
            GratificationReport.Status.DECIDED,
            GratificationReport.Status.CLOSED,
        ):
            raise DomainError(_("An item is released only after its status has been determined."))
        if receipt is None:
            raise DomainError(_("Attach the signed receipt of the release."))
    documents = store_files([receipt]) if receipt else []
    locked.released_to = released_to.strip()
    locked.released_on = released_on or timezone.localdate()
    locked.release_receipt = documents[0] if documents else None
    locked.distribution_report = distribution_report.strip()
    locked.save()
    audit_record(
        actor=acting_user,
        action="gratification.custody.released",
        obj=locked,
        summary={"perishable": perishable},
    )
    return locked


@transaction.atomic
def giver_add(
    *,
    pemda: Pemda,
    acting_user: Any,
    name: str,
    kind: str,
    identifier: str = "",
    unit: Unit | None = None,
    valid_until: dt.date | None = None,
    note: str = "",
) -> GiverEntry:
    _require_manage(acting_user, pemda)
    if not name.strip():
        raise DomainError(_("Enter the giver's name."))
    if kind not in GiverEntry.Kind.values:
        raise DomainError(_("Choose the kind of entry from the list."))
    if unit is not None and unit.pemda_id != pemda.pk:
        raise DomainError(_("The unit belongs to another Pemda."))
    entry = GiverEntry.objects.create(
        pemda=pemda,
        name=name.strip(),
        key=rules.normalise_name(name),
        identifier=rules.normalise_identifier(identifier),
        kind=kind,
        unit=unit,
        valid_until=valid_until,
        note=note.strip(),
    )
    audit_record(
        actor=acting_user, action="gratification.giver.added", obj=entry, summary={"kind": kind}
    )
    return entry
