"""Filing a gratification report, and the Pemda's internal deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.gratification import deadlines, rules
from pakta.gratification.models import (
    ExemptCategory,
    GiftKind,
    GratificationReport,
    GratificationSettings,
    Relationship,
)
from pakta.gratification.rules import tanggal
from pakta.gratification.services.common import (
    UploadedFile,
    _require_manage,
    _step,
    appointment_date,
    store_files,
)
from pakta.org.models import Official, Pemda
from pakta.org.selectors import current_position
from pakta.org.workdays import WorkCalendar

# --- Settings -------------------------------------------------------------------------------------


@transaction.atomic
def settings_set(
    *, pemda: Pemda, acting_user: Any, days_to_upg: int, days_upg_to_kpk: int
) -> GratificationSettings:
    _require_manage(acting_user, pemda)
    if not (1 <= days_to_upg <= 30 and 1 <= days_upg_to_kpk <= 30):
        raise DomainError(_("Internal deadlines must be between 1 and 30 working days."))
    row, _created = GratificationSettings.objects.update_or_create(
        pemda=pemda, defaults={"days_to_upg": days_to_upg, "days_upg_to_kpk": days_upg_to_kpk}
    )
    audit_record(
        actor=acting_user,
        action="gratification.settings.changed",
        obj=row,
        summary={"days_to_upg": days_to_upg, "days_upg_to_kpk": days_upg_to_kpk},
    )
    return row


# --- Filing ---------------------------------------------------------------------------------------


def _next_number(pemda: Pemda, year: int) -> str:
    prefix = f"GRT/{year}/"
    last = (
        GratificationReport.objects.select_for_update()
        .filter(pemda=pemda, number__startswith=prefix)
        .aggregate(m=Max("number"))["m"]
    )
    serial = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:05d}"


@transaction.atomic
def report_file(
    *,
    pemda: Pemda,
    acting_user: Any,
    type: str,
    giver_name: str,
    relationship: str,
    occasion: str,
    received_on: dt.date,
    place: str,
    kind: str,
    description: str,
    value: int,
    location: str,
    chronology: str,
    recipient: Official | None = None,
    giver_organisation: str = "",
    giver_identifier: str = "",
    vendor_active_contract: bool = False,
    exempt_category: str = "",
    files: Sequence[UploadedFile] = (),
    compensation_requested: bool = False,
    confidential: bool = False,
    today: dt.date | None = None,
) -> GratificationReport:
    """File a report of a gift received or refused. The recipient is the acting user's own
    official; the UPG may file on behalf of another official of the Pemda (``recipient``)."""
    today = today or timezone.localdate()
    own = getattr(acting_user, "official", None)
    if recipient is None:
        if own is None or own.pemda_id != pemda.pk:
            raise DomainError(
                _(
                    "Your account is not linked to an official of this Pemda; ask the UPG to file "
                    "the report on your behalf."
                )
            )
        recipient = own
    elif recipient.pk != getattr(own, "pk", None):
        _require_manage(acting_user, pemda)
    if recipient.pemda_id != pemda.pk:
        raise DomainError(_("The recipient must be an official of this Pemda."))
    if type not in GratificationReport.Type.values:
        raise DomainError(_("Choose whether the gift was received or refused."))
    if relationship not in Relationship.values:
        raise DomainError(_("Choose the giver's relationship from the list."), code="relationship")
    if kind not in GiftKind.values:
        raise DomainError(_("Choose the kind of gift from the list."), code="kind")
    if exempt_category and exempt_category not in ExemptCategory.values:
        raise DomainError(_("Choose the exempt category from the list."), code="exempt_category")
    if not isinstance(value, int) or value <= 0:
        raise DomainError(_("The estimated value must be more than Rp0."), code="value")
    if received_on > today:
        raise DomainError(_("The date received cannot be in the future."), code="received_on")
    appointed = appointment_date(recipient)
    if appointed and received_on < appointed:
        raise DomainError(
            _("The date received is before the official's appointment (%(date)s).")
            % {"date": tanggal(appointed)},
            code="received_on",
        )
    if type == GratificationReport.Type.REFUSED:
        location = GratificationReport.Location.NONE
        compensation_requested = False
    elif (
        location not in GratificationReport.Location.values
        or location == GratificationReport.Location.NONE
    ):
        raise DomainError(_("Say where the gift is now."), code="location")
    required = (
        ("giver_name", _("giver's name"), giver_name),
        ("occasion", _("occasion"), occasion),
        ("place", _("place"), place),
        ("description", _("what the gift is"), description),
        ("chronology", _("chronology"), chronology),
    )
    for code, label, text in required:
        if not text.strip():
            raise DomainError(_("Fill in the %(field)s.") % {"field": label}, code=code)
    documents = store_files(files)
    assessment = rules.assess(
        pemda=pemda,
        recipient=recipient,
        relationship=relationship,
        exempt_category=exempt_category,
        kind=kind,
        value=value,
        received_on=received_on,
        giver_name=giver_name,
        giver_identifier=giver_identifier,
        vendor_active_contract=vendor_active_contract,
    )
    matches = rules.giver_matches(
        pemda=pemda, name=giver_name, identifier=giver_identifier, day=received_on
    )
    contracts = rules.procurement_contracts(
        pemda=pemda,
        recipient=recipient,
        name=giver_name,
        identifier=giver_identifier,
        day=received_on,
    )
    calendar = WorkCalendar(pemda)
    days_to_upg, days_upg_to_kpk = deadlines.settings_for(pemda)
    kpk_due = calendar.add_working_days(received_on, deadlines.KPK_DAYS)
    position = current_position(recipient)
    report = GratificationReport(
        pemda=pemda,
        number=_next_number(pemda, today.year),
        type=type,
        reporter=acting_user,
        recipient=recipient,
        recipient_nip=recipient.nip,
        recipient_name=recipient.full_name,
        recipient_position=position.title if position else "",
        recipient_unit=position.unit if position else None,
        recipient_unit_name=position.unit.name if position else "",
        giver_name=giver_name.strip(),
        giver_key=rules.normalise_name(giver_name),
        giver_organisation=giver_organisation.strip(),
        giver_identifier=giver_identifier.strip(),
        relationship=relationship,
        vendor_active_contract=vendor_active_contract,
        occasion=occasion.strip(),
        exempt_category=exempt_category,
        received_on=received_on,
        place=place.strip(),
        kind=kind,
        description=description.strip(),
        value=value,
        location=location,
        chronology=chronology.strip(),
        compensation_requested=compensation_requested,
        confidential=confidential,
        assessment=assessment.outcome,
        assessment_reason=f"{assessment.reason} ({assessment.source})",
        flags=[
            {"entry": m.entry_id, "name": m.name, "kind": m.kind, "score": m.score, "by": m.by}
            for m in matches
        ]
        + [c.as_flag() for c in contracts],
        reported_on=today,
        kpk_due=kpk_due,
        upg_due=calendar.add_working_days(received_on, days_to_upg),
        forward_due=min(calendar.add_working_days(today, days_upg_to_kpk), kpk_due)
        if today <= kpk_due
        else calendar.add_working_days(today, days_upg_to_kpk),
        late=today > kpk_due,
    )
    report.save()
    if documents:
        report.evidence.set(documents)
    _step(report, "filed", acting_user)
    audit_record(
        actor=acting_user,
        action="gratification.report.filed",
        obj=report,
        summary={
            "number": report.number,
            "type": type,
            "on_behalf": recipient.pk != getattr(own, "pk", None),
            "late": report.late,
            "assessment": assessment.outcome,
            "flags": len(matches) + len(contracts),
            "files": [d.sha256 for d in documents],
        },
    )
    transaction.on_commit(lambda: _notify_upg(report))
    return report


def _notify_upg(report: GratificationReport) -> None:
    from pakta.gratification.selectors import upg_users
    from pakta.notifications.services import message_send

    message_send(
        users=upg_users(report.pemda),
        render=lambda user: (
            _("New gratification report %(number)s") % {"number": report.number},
            _("A gratification report was filed; verify its completeness by %(date)s.")
            % {"date": tanggal(report.forward_due)},
        ),
        url=report.get_absolute_url(),
        pemda=report.pemda,
    )
