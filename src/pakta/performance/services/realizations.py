"""Quarterly realizations with evidence, their verification and correction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.documents import document_store
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.uploads import upload_check
from pakta.org.models import Pemda
from pakta.performance.achievement import to_decimal
from pakta.performance.models import (
    QUARTER_LABELS,
    QUARTERS,
    EvidenceFile,
    Indicator,
    Realization,
)
from pakta.performance.services.base import (
    EVIDENCE_EXTENSIONS,
    Status,
    _lock,
    _official_of,
    _require_superior,
    realization_deadline_days,
)
from pakta.performance.services.content import _clean_text
from pakta.performance.services.rollups import _refresh_achievement
from pakta.performance.todo import announce_realization

# --- Realizations ---------------------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = (
        dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    ) - dt.timedelta(days=1)
    return start, end


def realization_deadline(year: int, quarter: int) -> dt.date:
    """The last day to report a quarter on time: N days after its end (setting)."""
    return quarter_bounds(year, quarter)[1] + dt.timedelta(days=realization_deadline_days())


def _local_today(pemda: Pemda) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(pemda.timezone)).date()


@dataclass
class EvidenceUpload:
    name: str
    content: bytes
    content_type: str = "application/octet-stream"


@transaction.atomic
def realization_submit(
    *,
    indicator: Indicator,
    quarter: int,
    value: Any,
    acting_user: Any,
    note: str = "",
    evidence: Sequence[EvidenceUpload] = (),
) -> Realization:
    """The official reports the value of a quarter with evidence; the superior verifies it.

    A realization first reported after the deadline (N days after the quarter's end, in the
    Pemda's time zone) is flagged late; correcting a returned one keeps the first flag.
    """
    agreement = _lock(indicator.agreement)
    if _official_of(acting_user) != agreement.official_id:
        raise PermissionDeniedError(
            _("Only the official who is the first party reports realizations.")
        )
    if agreement.status != Status.SIGNED or not agreement.is_current:
        raise DomainError(_("Realizations are reported on the signed, current agreement."))
    if quarter not in QUARTERS:
        raise DomainError(_("A quarter is a number from 1 to 4."))
    label = QUARTER_LABELS[quarter]
    today = _local_today(agreement.pemda)
    if today < quarter_bounds(agreement.year, quarter)[0]:
        raise DomainError(_("%(quarter)s has not started yet.") % {"quarter": label})
    number = to_decimal(value)
    if number is None or not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise DomainError(_("The realization must be a number."))
    files = list(evidence)
    for upload in files:
        upload_check(
            name=upload.name,
            data=upload.content,
            kind="evidence",
            accepted=EVIDENCE_EXTENSIONS,
            refused_type=_("%(name)s: this kind of file is not accepted as evidence."),
        )
    realization = (
        Realization.objects.select_for_update().filter(indicator=indicator, quarter=quarter).first()
    )
    now = timezone.now()
    if realization is not None and realization.status == Realization.Status.VERIFIED:
        raise DomainError(
            _("The realization of %(quarter)s has been verified and can no longer be changed.")
            % {"quarter": label}
        )
    if not files and (realization is None or not realization.evidence.exists()):
        raise DomainError(_("Attach at least one evidence file."))
    if realization is None:
        realization = Realization.objects.create(
            pemda_id=agreement.pemda_id,
            indicator=indicator,
            agreement=agreement,
            quarter=quarter,
            value=number,
            note=note.strip(),
            submitted_at=now,
            submitted_by=acting_user,
            is_late=today > realization_deadline(agreement.year, quarter),
        )
    else:
        realization.value = number
        realization.note = note.strip()
        realization.status = Realization.Status.SUBMITTED
        realization.submitted_at = now
        realization.submitted_by = acting_user
        realization.save(
            update_fields=["value", "note", "status", "submitted_at", "submitted_by", "updated_at"]
        )
    for upload in files:
        stored = document_store(
            content=upload.content,
            content_type=upload.content_type or "application/octet-stream",
            original_name=PurePath(upload.name).name[:255],
        )
        EvidenceFile.objects.create(
            realization=realization, document=stored, name=PurePath(upload.name).name[:255]
        )
    _refresh_achievement(agreement)
    audit_record(
        actor=acting_user,
        action="performance.realization.submitted",
        obj=realization,
        summary={
            "indicator_id": indicator.pk,
            "quarter": quarter,
            "evidence": len(files),
            "late": realization.is_late,
        },
    )
    announce_realization(realization, "submitted")
    return realization


@transaction.atomic
def realization_verify(*, realization: Realization, acting_user: Any) -> Realization:
    """The superior accepts the reported value; it then counts in the achievement."""
    agreement = _lock(realization.agreement)
    _require_superior(agreement, acting_user)
    realization = Realization.objects.select_for_update().get(pk=realization.pk)
    if realization.status != Realization.Status.SUBMITTED:
        raise DomainError(_("Only a realization awaiting verification can be verified."))
    realization.status = Realization.Status.VERIFIED
    realization.verified_at = timezone.now()
    realization.verified_by = acting_user
    realization.return_reason = ""
    realization.save(
        update_fields=["status", "verified_at", "verified_by", "return_reason", "updated_at"]
    )
    _refresh_achievement(agreement)
    audit_record(
        actor=acting_user,
        action="performance.realization.verified",
        obj=realization,
        summary={"quarter": realization.quarter},
    )
    announce_realization(realization, "returned")
    return realization


@transaction.atomic
def realization_return(*, realization: Realization, reason: str, acting_user: Any) -> Realization:
    """The superior returns the reported value with a reason; the official corrects it."""
    agreement = _lock(realization.agreement)
    _require_superior(agreement, acting_user)
    realization = Realization.objects.select_for_update().get(pk=realization.pk)
    if realization.status != Realization.Status.SUBMITTED:
        raise DomainError(_("Only a realization awaiting verification can be returned."))
    realization.return_reason = _clean_text(
        reason, _("Give the reason, so that the official knows what to correct."), 2000
    )
    realization.status = Realization.Status.RETURNED
    realization.save(update_fields=["status", "return_reason", "updated_at"])
    _refresh_achievement(agreement)
    audit_record(
        actor=acting_user,
        action="performance.realization.returned",
        obj=realization,
        summary={"quarter": realization.quarter},
    )
    return realization
