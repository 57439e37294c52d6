"""The SIASN-ready export of a year's sanctions, as a service: it records who took the data."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from pakta.audit.services import audit_record
from pakta.core.downloads import JSON, XLSX
from pakta.discipline import exports, selectors
from pakta.org.models import Pemda

FORMATS = ("xlsx", "json", "zip")


@transaction.atomic
def siasn_export(
    *, pemda: Pemda, year: int | None, fmt: str, acting_user: Any
) -> tuple[bytes, str, str]:
    """The sanctions of ``year`` in SIASN's fields as ``fmt``: (content, file name, type)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    sanctions = list(selectors.sanction_list_for(pemda=pemda, year=year))
    audit_record(
        actor=acting_user,
        action="discipline.sanctions.exported",
        pemda_id=pemda.pk,
        summary={"format": fmt, "rows": len(sanctions), "year": year},
    )
    name = f"hukdis-{pemda.slug}-{timezone.localdate().strftime('%Y%m%d')}.{fmt}"
    if fmt == "zip":
        return exports.siasn_zip(sanctions), name, "application/zip"
    rows = exports.siasn_rows(sanctions)
    if fmt == "xlsx":
        return exports.siasn_xlsx(rows), name, XLSX
    return exports.siasn_json(rows), name, JSON
