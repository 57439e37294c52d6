"""Shared pieces of the gratification services: evidence files, guards, step records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.models import Document
from pakta.core.permissions import has_permission
from pakta.core.uploads import uploads_store
from pakta.gratification.models import (
    GratificationReport,
    ReportStep,
)
from pakta.org.models import Official, Pemda

Status = GratificationReport.Status


# Evidence, checked by ``core.uploads`` (limit: the kind "gratification_evidence").
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


@dataclass
class UploadedFile:
    name: str
    content: bytes
    content_type: str = ""


def store_files(files: Iterable[UploadedFile]) -> list[Document]:
    """Evidence: images (JPEG, PNG) or PDF only, checked by content (``core.uploads``)."""
    return uploads_store(
        files,
        kind="gratification_evidence",
        accepted=EVIDENCE_EXTENSIONS,
        refused_type=_("%(name)s: evidence must be an image (JPEG, PNG) or a PDF file."),
        code="evidence",
    )


def _step(report: GratificationReport, step: str, actor: Any, note: str = "") -> None:
    ReportStep.objects.create(pemda=report.pemda, report=report, step=step, note=note, actor=actor)


def _require_manage(user: Any, pemda: Pemda) -> None:
    if not has_permission(user, pemda, "gratification.manage"):
        raise PermissionDeniedError(_("Only the UPG can process gratification reports."))


def _lock(report: GratificationReport, *allowed: str) -> GratificationReport:
    locked = GratificationReport.objects.select_for_update().get(pk=report.pk)
    if locked.status not in allowed:
        raise DomainError(
            _("This step is not possible while the report is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return locked


def appointment_date(official: Official) -> dt.date | None:
    first = official.assignments.order_by("start_date").values_list("start_date", flat=True).first()
    return first
